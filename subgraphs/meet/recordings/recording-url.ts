/**
 * Short-lived download URLs for recordings: an HMAC over the recording id
 * and the expiry, verified by meet's `GET /recordings/<id>` route. The key
 * is derived from the platform's internal secret, so no extra secret to
 * distribute, yet a recording signature can never pass for anything else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const RECORDINGS_PATH = '/recordings/';

export class RecordingUrlSigner {
  private readonly key: Buffer;

  constructor(secret: string, private readonly publicOrigin: string, private readonly ttlSeconds: number) {
    this.key = createHmac('sha256', secret).update('meet:recording-url:v1').digest();
  }

  private signature(recordingId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${recordingId}\n${expires}`).digest('base64url');
  }

  sign(recordingId: string, now = Date.now()): { url: string; expiresAt: Date } {
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    const query = new URLSearchParams({ expires: String(expires), sig: this.signature(recordingId, expires) });
    return { url: `${this.publicOrigin}${RECORDINGS_PATH}${recordingId}?${query}`, expiresAt: new Date(expires * 1000) };
  }

  /** Why a presented URL is refused, or null when it is valid. */
  check(recordingId: string, expires: string | null, sig: string | null, now = Date.now()): string | null {
    if (!expires || !sig || !/^\d{1,12}$/.test(expires)) return 'missing or malformed signature';
    if (Number(expires) * 1000 < now) return 'link expired';
    const expected = Buffer.from(this.signature(recordingId, Number(expires)));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad signature';
    return null;
  }
}
