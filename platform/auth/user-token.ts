/**
 * Verifies Bheem Passport JWTs with `jose`: RS256/ES256 against a JWKS URL in
 * production, HS256 with a dev secret in embedded mode. Issuer, audience and
 * expiry are always checked.
 */
import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '../config.js';
import { unauthenticated } from '../errors.js';
import { claimsFromViewer, viewerFromClaims, type Viewer } from './viewer.js';

export type UserTokenVerifier = (token: string) => Promise<Viewer>;

export function createUserTokenVerifier(auth: AuthConfig): UserTokenVerifier {
  const options = { issuer: auth.issuer, audience: auth.audience };
  let verify: (token: string) => ReturnType<typeof jwtVerify>;
  if (auth.mode === 'jwks') {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(auth.jwksUrl!));
    verify = (token) => jwtVerify(token, jwks, { ...options, algorithms: ['RS256', 'ES256'] });
  } else {
    const key = new TextEncoder().encode(auth.devSecret);
    verify = (token) => jwtVerify(token, key, { ...options, algorithms: ['HS256'] });
  }
  return async (token) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await verify(token));
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthenticated(expired ? 'Token expired: sign in again' : 'Invalid token');
    }
    const viewer = viewerFromClaims(payload);
    if (!viewer) throw unauthenticated('Token lacks the claims sub, company_id and roles');
    return viewer;
  };
}

/** Reads `Authorization: Bearer <token>`; undefined when absent. */
export function bearerToken(header: string | string[] | undefined | null): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Dev tokens (embedded mode): HS256 with the dev secret, as Passport would issue them. */
export async function signDevUserToken(auth: AuthConfig, viewer: Viewer, ttlSeconds = 12 * 3600): Promise<string> {
  if (auth.mode !== 'dev') throw new Error('Dev tokens exist only with AUTH_MODE=dev');
  return new SignJWT({ ...claimsFromViewer(viewer) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(auth.issuer!)
    .setAudience(auth.audience!)
    .setSubject(viewer.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(auth.devSecret));
}
