/**
 * The identity header's HMAC (platform/auth/gateway-signature.ts signs with
 * pads computed once per key and an inner hash state kept per key, viewer and
 * audience): the same signature node:crypto's createHmac gives, for short
 * keys, keys of exactly one block, keys longer than a block (hashed first)
 * and keys that are not ASCII; and the same payload, whatever the length of
 * the claims that start it.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, signIdentity, verifyIdentity } from '../gateway-signature.js';
import type { Viewer } from '../viewer.js';

const viewer: Viewer = { userId: '7', companyId: '00000000-0000-4000-8000-000000000001', roles: ['teacher'], name: 'Tara', email: 'tara@example.com' };
const body = '{"query":"{ courses { id } }","variables":{"title":"Équipe ☕"}}';
const secrets = ['k', 'a-signing-secret-of-some-length', 'x'.repeat(64), 'y'.repeat(65), 'z'.repeat(200), 'clé-secrète-ü☕'];

describe('the identity header signature', () => {
  it('is the HMAC-SHA256 createHmac computes, for every kind of key', () => {
    for (const secret of secrets) {
      for (const audience of ['meet', 'academy']) {
        const token = signIdentity(secret, viewer, audience, body);
        const [header, payload, signature] = token.split('.');
        expect(signature).toBe(createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url'));
        expect(verifyIdentity(secret, token, audience, body).ok).toBe(true);
      }
    }
  });

  it('differs per key: two keys in one process sign apart', () => {
    const first = signIdentity('first key', viewer, 'meet', body);
    const second = signIdentity('second key', viewer, 'meet', body);
    expect(verifyIdentity('first key', first, 'meet', body).ok).toBe(true);
    expect(verifyIdentity('first key', second, 'meet', body)).toEqual({ ok: false, reason: 'bad identity signature' });
    expect(verifyIdentity('second key', second, 'meet', body).ok).toBe(true);
  });

  it('carries the claims, issuer, audience, times and body hash, signed afresh, for claims of every length', () => {
    const bodyHash = createHash('sha256').update(body).digest('base64url');
    // Names of three consecutive lengths put the payload's fixed start at each remainder of 3; ☕ is three bytes, é two.
    for (const name of ['Al', 'Ala', 'Alan', 'Zoé', 'Zoé☕', 'Zoé☕x']) {
      const named: Viewer = { ...viewer, name };
      for (const audience of ['meet', 'academy', 'meet']) {
        const before = Math.floor(Date.now() / 1000);
        const token = signIdentity('k', named, audience, body);
        const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
        expect(payload).toMatchObject({ name, iss: 'bheem-gateway', aud: audience, bh: bodyHash });
        expect(payload.iat).toBeGreaterThanOrEqual(before);
        expect(payload.exp).toBe(payload.iat + 60);
        expect(verifyIdentity('k', token, audience, body)).toEqual({ ok: true, viewer: expect.objectContaining({ name }) });
        expect(verifyIdentity('k', token, audience, `${body} `)).toEqual({ ok: false, reason: 'identity does not match the request body' });
        expect(verifyIdentity('k', token, audience === 'meet' ? 'academy' : 'meet', body)).toEqual({ ok: false, reason: 'identity is for another audience' });
      }
    }
  });

  it('is verified with the HMAC createHmac computes, for every kind of key and message', () => {
    for (const secret of secrets) {
      for (const message of ['', 'a.b', 'x'.repeat(63), 'y'.repeat(200), 'Équipe ☕.payload']) {
        expect(hmacSha256(secret, message)).toEqual(createHmac('sha256', secret).update(message).digest());
      }
    }
  });

  it('refuses a header that is not three parts under our own header segment', () => {
    const token = signIdentity('k', viewer, 'meet', body);
    const [header, payload, signature] = token.split('.');
    for (const broken of [`${token}.`, `${header}.${payload}`, `${header}..${payload}.${signature}`, `x${token}`, `${header}x.${payload}.${signature}`, '', '.']) {
      expect(verifyIdentity('k', broken, 'meet', body)).toEqual({ ok: false, reason: 'malformed identity header' });
    }
  });
});
