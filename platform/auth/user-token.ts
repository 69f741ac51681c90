/**
 * Verifies Bheem Passport JWTs with `jose`: RS256/ES256 against a JWKS URL in
 * production, HS256 with a dev secret in embedded mode. Issuer, audience and
 * expiry are always checked; a token must carry `exp` and may not live
 * longer than AUTH_MAX_TOKEN_TTL_SECONDS (a stolen token of no expiry would
 * work forever). Claims that name rows (company, Moodle user) must have the
 * shape of their ids, so no service ever meets a malformed one.
 */
import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig } from '../config.js';
import { unauthenticated } from '../errors.js';
import { claimsFromViewer, malformedClaim, viewerFromClaims, type Viewer } from './viewer.js';

/** Why a verified token's lifetime is refused, or undefined. `exp` has been checked against now by jose. */
function lifetimeProblem(payload: Record<string, unknown>, maxSeconds: number): string | undefined {
  const { exp, iat } = payload;
  if (typeof exp !== 'number') return 'Token has no expiry (exp): ask Passport for a token that expires';
  const now = Math.floor(Date.now() / 1000);
  // Measured from iat when present, and from now in any case: a backdated iat must not hide a token that lives on.
  const lifetime = Math.max(exp - now, typeof iat === 'number' ? exp - iat : 0);
  if (lifetime > maxSeconds) return `Token lives longer than the ${maxSeconds} s allowed: ask Passport for a shorter-lived token`;
  return undefined;
}

/** A scope claim: a space-separated string (RFC 8693, 9068), or a list of strings as some issuers write `scp`. */
function scopesOf(claim: unknown): readonly string[] | undefined {
  if (typeof claim === 'string') return claim.split(' ').filter((scope) => scope !== '');
  if (Array.isArray(claim)) return claim.filter((scope): scope is string => typeof scope === 'string');
  return undefined;
}

export type UserTokenVerifier = (token: string) => Promise<Viewer>;

/** `grantPolicies`: the @policy policies a verified token's claims are granted (the gateway's GATEWAY_POLICIES_FILE). */
export function createUserTokenVerifier(auth: AuthConfig, grantPolicies?: (claims: Readonly<Record<string, unknown>>) => readonly string[]): UserTokenVerifier {
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
    const lifetime = lifetimeProblem(payload, auth.maxTokenTtlSeconds);
    if (lifetime) throw unauthenticated(lifetime);
    const viewer = viewerFromClaims(payload);
    if (!viewer) throw unauthenticated('Token lacks the claims sub, company_id and roles');
    const malformed = malformedClaim(viewer);
    if (malformed) throw unauthenticated(`Token ${malformed}`);
    const scopes = scopesOf(payload[auth.scopeClaim]);
    const policies = grantPolicies?.(payload);
    return { ...viewer, ...(scopes && { scopes }), ...(policies && policies.length > 0 && { policies }) };
  };
}

/** Reads `Authorization: Bearer <token>`; undefined when absent. */
export function bearerToken(header: string | string[] | undefined | null): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Dev tokens (embedded mode): HS256 with the dev secret, as Passport would issue them (the viewer's scopes in the scope claim). */
export async function signDevUserToken(auth: AuthConfig, viewer: Viewer, ttlSeconds = 12 * 3600): Promise<string> {
  if (auth.mode !== 'dev') throw new Error('Dev tokens exist only with AUTH_MODE=dev');
  return new SignJWT({ ...claimsFromViewer(viewer), ...(viewer.scopes && { [auth.scopeClaim]: viewer.scopes.join(' ') }) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(auth.issuer!)
    .setAudience(auth.audience!)
    .setSubject(viewer.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(auth.devSecret));
}
