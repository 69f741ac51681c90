/**
 * Short-lived download URLs for recordings: an HMAC over the recording id,
 * the expiry and the scope, verified by meet's `GET /recordings/<id>` route.
 * The scope says whether the link plays the recording once unpublished
 * (`any`, links handed to teachers) or only while published (students'). The key
 * is derived from the platform's internal secret, so no extra secret to
 * distribute, yet a recording signature can never pass for anything else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const RECORDINGS_PATH = '/recordings/';

/** `published`: plays only while the recording is published (students' links); `any`: teachers' links. */
export type RecordingLinkScope = 'published' | 'any';

export class RecordingUrlSigner {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly publicOrigin: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = createHmac('sha256', secret).update('meet:recording-url:v1').digest();
  }

  private signature(recordingId: string, expires: number, scope: RecordingLinkScope): string {
    return createHmac('sha256', this.key).update(`${recordingId}\n${expires}\n${scope}`).digest('base64url');
  }

  sign(recordingId: string, now = Date.now(), scope: RecordingLinkScope = 'published'): { url: string; expiresAt: Date } {
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    const query = new URLSearchParams({ expires: String(expires), ...(scope === 'any' && { scope }), sig: this.signature(recordingId, expires, scope) });
    return { url: `${this.publicOrigin}${RECORDINGS_PATH}${recordingId}?${query}`, expiresAt: new Date(expires * 1000) };
  }

  /** Why a presented URL is refused, or null when it is valid. */
  check(recordingId: string, expires: string | null, sig: string | null, scope: string | null = null, now = Date.now()): string | null {
    if (!expires || !sig || !/^\d{1,12}$/.test(expires)) return 'missing or malformed signature';
    if (scope !== null && scope !== 'any') return 'unknown scope';
    if (Number(expires) * 1000 < now) return 'link expired';
    const expected = Buffer.from(this.signature(recordingId, Number(expires), scope ?? 'published'));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad signature';
    return null;
  }
}
