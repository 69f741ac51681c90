/**
 * The gateway forwards the caller's identity to subgraphs as a short-lived
 * HS256 JWS in the `bheem-identity` header. It binds the identity to one
 * request: `aud` is the subgraph's name and `bh` the SHA-256 of the exact body,
 * so a captured header cannot be replayed with another operation or against
 * another subgraph, and a request that did not pass through the gateway
 * carries no valid identity at all.
 */
import { type Hash, createHash, hash, timingSafeEqual } from 'node:crypto';
import { claimsFromViewer, viewerFromClaims, type Viewer } from './viewer.js';
import type { PlatformConfig } from '../config.js';

export const IDENTITY_HEADER = 'bheem-identity';
const ISSUER = 'bheem-gateway';
const TTL_SECONDS = 60;
const HEADER_SEGMENT = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

export function bodyHash(body: string | Buffer): string {
  return hash('sha256', body, 'base64url'); // one-shot: no Hash object per request
}

/** Verified viewers are cached per token (gateway/cached-token-verifier.ts): their claims' JSON is kept with them. */
const claimsJson = new WeakMap<Viewer, string>();

/**
 * Who an identity header names: the viewer's claims as JSON without the closing brace, built once per
 * viewer. Two viewers with the same key get headers for one body and audience that differ only in the
 * second they were signed in (`iat`, `exp`).
 */
export function signedIdentityKey(viewer: Viewer): string {
  let claims = claimsJson.get(viewer);
  if (claims === undefined) claimsJson.set(viewer, (claims = JSON.stringify(claimsFromViewer(viewer)).slice(0, -1)));
  return claims;
}

/**
 * Signs synchronously with node:crypto rather than jose: this runs once per
 * subgraph fetch on the gateway's hot path, and a plain HMAC avoids the async
 * WebCrypto round trip. The output is a standard compact JWS. `ttlSeconds`:
 * the gateway's 60 s, longer only for a bench whose subgraph runs under valgrind.
 */
export function signIdentity(secret: string, viewer: Viewer, audience: string, body: string | Buffer, ttlSeconds = TTL_SECONDS): string {
  return signIdentityOfHash(secret, viewer, audience, bodyHash(body), ttlSeconds);
}

/**
 * signIdentity for a body whose bodyHash the caller has already taken (the gateway keys requests in flight by
 * it): `bodyDigest` must be bodyHash of the exact bytes sent, which the signature then binds as signIdentity's does.
 */
export function signIdentityOfHash(secret: string, viewer: Viewer, audience: string, bodyDigest: string, ttlSeconds = TTL_SECONDS): string {
  const now = Math.floor(Date.now() / 1000);
  const start = signingStart(secret, viewer, audience);
  // The payload's rest: its bytes after the last whole base64 group of its fixed start, then the request's own fields.
  const rest = Buffer.from(`${start.carry}${now},"exp":${now + ttlSeconds},"bh":"${bodyDigest}"}`, 'latin1').toString('base64url');
  const innerDigest = start.inner.copy().update(rest, 'latin1').digest('binary');
  return `${start.signingInput}${rest}.${hash('sha256', Buffer.from(padsOf(secret).outer + innerDigest, 'latin1'), 'base64url')}`;
}

/**
 * What an identity header's signature shares for one key, viewer and audience: the payload up to `"iat":`
 * (the claims, issuer and audience), base64url-encoded up to its last whole group of three bytes (a base64
 * text of a whole number of groups is the start of the whole's), and the HMAC's inner SHA-256 over the key's
 * pad and that much of the signing input, kept as a hash state to copy (Merkle-Damgard: hashing the rest into
 * a copy gives the digest of the whole). SHA-256 of those ~330 bytes was a third of the signature's hashing,
 * which was 9 % of a one-fetch operation's instructions (bench/README-results.md). The signature is the same
 * HMAC over the same bytes: test/gateway-signature.test.ts checks it against createHmac.
 */
interface SigningStart {
  secret: string;
  audience: string;
  /** The compact JWS up to the payload's rest: header segment, dot, the fixed payload's whole groups. */
  signingInput: string;
  /** The fixed payload's last 0-2 bytes, as one-byte characters: they begin the rest's first group. */
  carry: string;
  inner: Hash;
}

/** Signing starts of the viewers seen lately, by viewer (a cached token's), a few per viewer (one per subgraph). */
let startsNow = new Map<Viewer, SigningStart[]>();
let startsBefore = new Map<Viewer, SigningStart[]>();
/** Viewers whose starts are kept: two generations of this many, as the token cache's (each start is a ~1 kB hash state). */
const STARTS_KEPT = 1_000;

function signingStart(secret: string, viewer: Viewer, audience: string): SigningStart {
  let starts = startsNow.get(viewer);
  if (!starts) {
    starts = startsBefore.get(viewer) ?? [];
    if (startsNow.size >= STARTS_KEPT) {
      startsBefore = startsNow;
      startsNow = new Map();
    }
    startsNow.set(viewer, starts);
  }
  for (const start of starts) if (start.audience === audience && start.secret === secret) return start;
  const fixed = Buffer.from(`${signedIdentityKey(viewer)},"iss":"${ISSUER}","aud":${JSON.stringify(audience)},"iat":`);
  const whole = fixed.length - (fixed.length % 3);
  const signingInput = `${HEADER_SEGMENT}.${fixed.subarray(0, whole).toString('base64url')}`;
  const start = {
    secret,
    audience,
    signingInput,
    carry: fixed.subarray(whole).toString('latin1'),
    inner: createHash('sha256').update(padsOf(secret).inner, 'latin1').update(signingInput, 'latin1'),
  };
  // A gateway signs for a few subgraphs with one key (two during a rotation): the list stays as short.
  if (starts.length >= 32) starts.length = 0;
  starts.push(start);
  return start;
}

/** A key's HMAC pads (RFC 2104) as one-byte strings, computed once per key. */
const padsByKey = new Map<string, { inner: string; outer: string }>();

function padsOf(secret: string): { inner: string; outer: string } {
  let pads = padsByKey.get(secret);
  if (pads) return pads;
  let key = Buffer.from(secret, 'utf8');
  if (key.length > 64) key = hash('sha256', key, 'buffer');
  const inner = Buffer.alloc(64, 0x36);
  const outer = Buffer.alloc(64, 0x5c);
  for (let i = 0; i < key.length; i++) {
    inner[i]! ^= key[i]!;
    outer[i]! ^= key[i]!;
  }
  pads = { inner: inner.toString('latin1'), outer: outer.toString('latin1') };
  // A process signs with one key, two during a rotation: the map stays as small.
  if (padsByKey.size >= 8) padsByKey.clear();
  padsByKey.set(secret, pads);
  return pads;
}

const DOT = 46;

/**
 * HMAC-SHA256 of `message` (its UTF-8 bytes, as createHmac's update takes a string), from the key's pads computed
 * once (padsOf): two one-shot hashes over a pooled buffer each, where createHmac builds a keyed Hmac object and
 * hashes the key's pads again for every request a subgraph verifies. platform/auth/test/gateway-signature.test.ts
 * checks it against createHmac.
 */
export function hmacSha256(secret: string, message: string): Buffer {
  const pads = padBytesOf(secret);
  const length = Buffer.byteLength(message);
  const inner = Buffer.allocUnsafe(64 + length);
  pads.inner.copy(inner);
  inner.write(message, 64);
  const outer = Buffer.allocUnsafe(64 + 32);
  pads.outer.copy(outer);
  hash('sha256', inner, 'buffer').copy(outer, 64);
  return hash('sha256', outer, 'buffer');
}

/** padsOf's pads as bytes, by key. */
const padBytesByKey = new Map<string, { inner: Buffer; outer: Buffer }>();

function padBytesOf(secret: string): { inner: Buffer; outer: Buffer } {
  let bytes = padBytesByKey.get(secret);
  if (bytes) return bytes;
  const pads = padsOf(secret);
  bytes = { inner: Buffer.from(pads.inner, 'latin1'), outer: Buffer.from(pads.outer, 'latin1') };
  // A process verifies with one key, two during a rotation: the map stays as small.
  if (padBytesByKey.size >= 8) padBytesByKey.clear();
  padBytesByKey.set(secret, bytes);
  return bytes;
}

/** Whether `given` is the signature of `signingInput` under one of `secrets`, compared in constant time. */
function signedByAny(secrets: string | readonly string[], signingInput: string, given: Buffer): boolean {
  if (typeof secrets === 'string') return signedBy(secrets, signingInput, given);
  for (const secret of secrets) if (signedBy(secret, signingInput, given)) return true;
  return false;
}

function signedBy(secret: string, signingInput: string, given: Buffer): boolean {
  const expected = hmacSha256(secret, signingInput);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type IdentityCheck = { ok: true; viewer: Viewer } | { ok: false; reason: string };

/**
 * `secrets`: the current key, then any previous ones still accepted while a
 * rotation rolls out (a gateway not yet restarted signs with the old key).
 */
export function verifyIdentity(secrets: string | readonly string[], token: string, audience: string, body: string | Buffer): IdentityCheck {
  // header.payload.signature, the header ours: split by position, not into an array.
  const payloadEnd = token.indexOf('.', HEADER_SEGMENT.length + 1);
  if (token.charCodeAt(HEADER_SEGMENT.length) !== DOT || !token.startsWith(HEADER_SEGMENT) || payloadEnd < 0 || token.includes('.', payloadEnd + 1)) {
    return { ok: false, reason: 'malformed identity header' };
  }
  const signingInput = token.slice(0, payloadEnd);
  const given = Buffer.from(token.slice(payloadEnd + 1), 'base64url');
  if (!signedByAny(secrets, signingInput, given)) return { ok: false, reason: 'bad identity signature' };
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(Buffer.from(signingInput.slice(HEADER_SEGMENT.length + 1), 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed identity payload' };
  }
  const now = Math.floor(Date.now() / 1000);
  if (payload.iss !== ISSUER || payload.aud !== audience) return { ok: false, reason: 'identity is for another audience' };
  if (typeof payload.exp !== 'number' || payload.exp < now) return { ok: false, reason: 'identity expired' };
  if (payload.bh !== bodyHash(body)) return { ok: false, reason: 'identity does not match the request body' };
  const viewer = viewerFromClaims(payload);
  return viewer ? { ok: true, viewer } : { ok: false, reason: 'identity lacks claims' };
}

/** The keys a subgraph accepts identities under: the current one first, then those of a rotation in progress. */
export function identityKeys(config: Pick<PlatformConfig, 'internalSigningSecret' | 'previousKeys'>): string[] {
  return [config.internalSigningSecret, ...config.previousKeys.internalSigning];
}
