import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { CredentialCipher } from '../credential-cipher.js';

describe('secrets at rest', () => {
  const cipher = new CredentialCipher('key material');

  it('decrypts only for the owner it was encrypted for, and never stores the plain text', () => {
    const stored = cipher.encrypt('app-password', 'caldav:42');
    expect(stored).not.toContain('app-password');
    expect(cipher.decrypt(stored, 'caldav:42')).toBe('app-password');
    expect(() => cipher.decrypt(stored, 'caldav:43')).toThrow();
    expect(() => new CredentialCipher('other key').decrypt(stored, 'caldav:42')).toThrow();
    expect(cipher.encrypt('app-password', 'caldav:42')).not.toBe(stored); // fresh IV each time
  });

  it('takes its key from CREDENTIAL_KEY, still honours the older CALENDAR_CREDENTIAL_KEY, and demands one in production', () => {
    expect(loadConfig({ CREDENTIAL_KEY: 'new' }).credentialKey).toBe('new');
    expect(loadConfig({ CALENDAR_CREDENTIAL_KEY: 'old' }).credentialKey).toBe('old');
    expect(loadConfig({ CREDENTIAL_KEY: 'new', CALENDAR_CREDENTIAL_KEY: 'old' }).credentialKey).toBe('new');
    // In production every secret must be given: fill in the others until the credential key is the one missing.
    const production: Record<string, string> = { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://sso.example/jwks', DATABASE_URL: 'postgres://db/bheem' };
    let missing = '';
    for (let guard = 0; guard < 20; guard++) {
      try {
        loadConfig(production);
        break;
      } catch (error) {
        missing = /^(\w+) must be set/.exec((error as Error).message)?.[1] ?? (error as Error).message;
        if (missing === 'CREDENTIAL_KEY') break;
        production[missing] = 'set';
      }
    }
    expect(missing).toBe('CREDENTIAL_KEY');
    expect(loadConfig({ ...production, CREDENTIAL_KEY: 'k' }).credentialKey).toBe('k');
  });
});

describe('rotating the credential key', () => {
  it('reads values written under a previous key and writes new ones under the current key only', () => {
    const before = new CredentialCipher('old key');
    const stored = before.encrypt('app-password', 'caldav:42');
    const during = new CredentialCipher('new key', ['older key', 'old key']);
    expect(during.decrypt(stored, 'caldav:42')).toBe('app-password');
    expect(() => during.decrypt(stored, 'caldav:43')).toThrow(); // the owner binding holds under every key
    const rewritten = during.encrypt('app-password', 'caldav:42');
    expect(new CredentialCipher('new key').decrypt(rewritten, 'caldav:42')).toBe('app-password');
    expect(() => before.decrypt(rewritten, 'caldav:42')).toThrow();
    expect(() => new CredentialCipher('new key').decrypt(stored, 'caldav:42')).toThrow(); // once the old key is dropped, its values are gone
    expect(loadConfig({ CREDENTIAL_KEY_PREVIOUS: 'old key, older key' }).previousKeys.credential).toEqual(['old key', 'older key']);
  });
});
