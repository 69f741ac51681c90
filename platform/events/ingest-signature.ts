/**
 * Signatures of the event ingestion endpoint (README.md, "Ingestion"): the
 * sender signs `<unix seconds>.<raw body>` with HMAC-SHA256 and the shared
 * secret, and sends the timestamp and `v1=<hex>` in two headers. The
 * receiver refuses a signature that does not match, and a timestamp outside
 * the tolerance window, so a captured request cannot be replayed later; a
 * replay inside the window is harmless, ingestion being idempotent on the
 * sender's event id.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const INGEST_TIMESTAMP_HEADER = 'x-bheem-event-timestamp';
export const INGEST_SIGNATURE_HEADER = 'x-bheem-event-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

function digest(secret: string, timestamp: string, body: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The headers a sender adds (used by tests, and as the reference for Bheem Core's side). */
export function signIngestRequest(secret: string, body: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    [INGEST_TIMESTAMP_HEADER]: String(timestamp),
    [INGEST_SIGNATURE_HEADER]: `v1=${digest(secret, String(timestamp), body).toString('hex')}`,
  };
}

export type SignatureCheck = { ok: true } | { ok: false; code: 'MISSING_SIGNATURE' | 'BAD_SIGNATURE' | 'STALE_TIMESTAMP'; message: string };

export function verifyIngestSignature(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  options: { toleranceSeconds?: number; now?: number } = {},
): SignatureCheck {
  const timestamp = headers[INGEST_TIMESTAMP_HEADER];
  const signature = headers[INGEST_SIGNATURE_HEADER];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') {
    return { ok: false, code: 'MISSING_SIGNATURE', message: `Sign the request: ${INGEST_TIMESTAMP_HEADER} and ${INGEST_SIGNATURE_HEADER}` };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, code: 'BAD_SIGNATURE', message: 'Malformed timestamp' };
  const expected = digest(secret, timestamp, body);
  // Several signatures may be sent (a secret being rotated): one valid is enough.
  const valid = signature.split(',').some((part) => {
    const match = /^\s*v1=([0-9a-f]{64})\s*$/i.exec(part);
    return match ? timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected) : false;
  });
  if (!valid) return { ok: false, code: 'BAD_SIGNATURE', message: 'The signature does not match the body' };
  // Checked after the signature, so that an unsigned request learns nothing about our clock.
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - Number(timestamp)) > tolerance) {
    return { ok: false, code: 'STALE_TIMESTAMP', message: `The timestamp is more than ${tolerance} s away from now` };
  }
  return { ok: true };
}
