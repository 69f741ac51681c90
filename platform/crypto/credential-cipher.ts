/**
 * Secrets at rest (CalDAV app passwords, companies' storage credentials):
 * AES-256-GCM with a key derived (HKDF-SHA256) from CREDENTIAL_KEY, a fresh IV
 * per value, and the owner bound in as additional data, so a ciphertext copied
 * to another owner's row fails to decrypt. During a key rotation, values
 * written under a previous key (CREDENTIAL_KEY_PREVIOUS) still decrypt, and
 * every new value is written under the current key.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

// Salt and info date from when only the calendar used this; changing them would orphan stored values.
const deriveKey = (keyMaterial: string) => Buffer.from(hkdfSync('sha256', keyMaterial, 'bheem-calendar', 'caldav-credentials', 32));

export class CredentialCipher {
  private readonly key: Buffer;
  private readonly previousKeys: Buffer[];

  constructor(keyMaterial: string, previousKeyMaterial: readonly string[] = []) {
    this.key = deriveKey(keyMaterial);
    this.previousKeys = previousKeyMaterial.map(deriveKey);
  }

  encrypt(secret: string, owner: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(owner));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  decrypt(stored: string, owner: string): string {
    const [version, data] = stored.split(':');
    if (version !== VERSION || !data) throw new Error('Unknown credential format');
    const raw = Buffer.from(data, 'base64');
    let failure: unknown;
    for (const key of [this.key, ...this.previousKeys]) {
      try {
        return openWith(key, raw, owner);
      } catch (error) {
        failure ??= error; // the current key's failure is the one worth reporting
      }
    }
    throw failure;
  }
}

function openWith(key: Buffer, raw: Buffer, owner: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(owner));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
