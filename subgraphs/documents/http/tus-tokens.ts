/**
 * The token of a resumable upload: a JWT (HS256, its key derived from the
 * URL signing secret) naming one upload session, its expiry and the caller
 * who opened it. It is minted only after GraphQL checked identity, tenant,
 * role and the target record, and authorises the tus requests of that one
 * upload; the identity in it completes the document when the last byte arrives
 * (UploadService.complete checks the caller's write access again then).
 */
import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { claimsFromViewer, malformedClaim, viewerFromClaims, type Viewer } from '../../../platform/auth/viewer.js';

const AUDIENCE = 'bheem-documents-tus';

export type TusTokenCheck = { ok: true; uploadId: string; viewer: Viewer; expiresAt: Date } | { ok: false; reason: string };

export class TusTokens {
  private readonly key: Uint8Array;

  constructor(urlSigningSecret: string) {
    // Its own key: a signed download URL's HMAC can never pass for a token, nor the reverse.
    this.key = createHmac('sha256', urlSigningSecret).update('tus upload token').digest();
  }

  sign(uploadId: string, viewer: Viewer, expiresAt: Date): Promise<string> {
    return new SignJWT({ viewer: claimsFromViewer(viewer) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(uploadId)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
  }

  async verify(token: string | undefined, now = new Date()): Promise<TusTokenCheck> {
    if (!token) return { ok: false, reason: 'An Upload-Token header is required' };
    try {
      const { payload } = await jwtVerify(token, this.key, { audience: AUDIENCE, algorithms: ['HS256'], currentDate: now, clockTolerance: 0 });
      const viewer = viewerFromClaims((payload.viewer ?? {}) as Record<string, unknown>);
      if (!viewer || malformedClaim(viewer) || !payload.sub || !payload.exp) return { ok: false, reason: 'The upload token is not valid' };
      return { ok: true, uploadId: payload.sub, viewer, expiresAt: new Date(payload.exp * 1000) };
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      return { ok: false, reason: expired ? 'The upload token has expired' : 'The upload token is not valid' };
    }
  }
}
