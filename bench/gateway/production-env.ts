/**
 * The benchmark runs every process as production runs it: NODE_ENV=production
 * (graphql-js skips its development checks, introspection and suggestions are
 * off), callers' tokens from a Passport double (ES256, its JWKS served on
 * loopback, verified by the gateway and by subgraphs that peers forward the
 * bearer token to), and every secret set. Dev tokens are refused in
 * production, so the bench signs its own.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { claimsFromViewer, type Viewer } from '../../platform/auth/viewer.js';

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
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' }] });
  const server = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  return {
    env: {
      NODE_ENV: 'production',
      AUTH_MODE: 'jwks',
      AUTH_JWKS_URL: jwksUrl,
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
        .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'JWT' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(viewer.userId)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
        .sign(privateKey),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
