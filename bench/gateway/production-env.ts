/**
 * The benchmark runs every process as production runs it: NODE_ENV=production
 * (graphql-js skips its development checks, introspection and suggestions are
 * off), callers' tokens from a Passport double (ES256, its JWKS served on
 * loopback, verified by the gateway and by subgraphs that peers forward the
 * bearer token to), and every secret set. Dev tokens are refused in
 * production, so the bench signs its own.
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { claimsFromViewer, type Viewer } from '../../platform/auth/viewer.js';
import { startJwksServer } from '../../test/support/jwks-server.js';

export interface ProductionEnv {
  /** Environment of every gateway and subgraph process. */
  env: Record<string, string>;
  /** A token as Passport would issue it for this viewer. */
  sign: (viewer: Viewer, ttlSeconds?: number) => Promise<string>;
  stop: () => Promise<void>;
}

const ISSUER = 'https://passport.bench.invalid';
const AUDIENCE = 'bheem-federation';
const secret = () => randomBytes(32).toString('base64url');

export async function startProductionEnv(): Promise<ProductionEnv> {
  const passport = await startJwksServer({ alg: 'ES256', kid: 'bench' });
  return {
    env: {
      NODE_ENV: 'production',
      AUTH_MODE: 'jwks',
      AUTH_JWKS_URL: passport.url,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      INTERNAL_SIGNING_SECRET: secret(),
      LIVEKIT_API_KEY: 'bench',
      LIVEKIT_API_SECRET: secret(),
      DOCUMENTS_URL_SECRET: secret(),
      CREDENTIAL_KEY: secret(),
      EVENT_INGEST_SECRET: secret(),
    },
    sign: (viewer, ttlSeconds = 6 * 3600) =>
      new SignJWT({ ...claimsFromViewer(viewer) })
        .setProtectedHeader({ ...passport.header, typ: 'JWT' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(viewer.userId)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(passport.privateKey),
    stop: passport.stop,
  };
}
