/**
 * Token lifetimes: a Passport token must say when it expires, and may not
 * live longer than AUTH_MAX_TOKEN_TTL_SECONDS, in dev (HS256) and JWKS
 * (RS256 against a real JWKS endpoint) modes alike. Production in JWKS
 * mode needs no dev secret.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { DEMO_COMPANIES } from '../../platform/demo/demo-ids.js';
import { startJwksServer, type JwksServer } from '../../test/support/jwks-server.js';
import { postTo, startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

let platform: GatewayPlatform;
let passport: JwksServer;
let jwksGatewayUrl: string;

const CLAIMS = { company_id: DEMO_COMPANIES.bheem.id, roles: ['admin'], moodle_user_id: '2' };
const QUERY = { query: '{ courses { id } }' };

beforeAll(async () => {
  passport = await startJwksServer({ alg: 'RS256', kid: 'k1' });
  platform = await startGatewayPlatform({ subgraphs: ['academy'], env: { AUTH_MAX_TOKEN_TTL_SECONDS: '3600' } });
  const jwksConfig = loadConfig({
    ...process.env,
    DATABASE_URL: platform.database.url,
    AUTH_JWKS_URL: passport.url,
    AUTH_ISSUER: 'https://passport.test',
    AUTH_AUDIENCE: 'bheem',
    AUTH_MAX_TOKEN_TTL_SECONDS: '3600',
    GATEWAY_RATE_LIMIT_STORE: 'memory',
  });
  const jwksGateway = await platform.startAnotherGateway({ config: jwksConfig });
  jwksGatewayUrl = jwksGateway.url.replace('localhost', '127.0.0.1');
});
afterAll(async () => {
  await platform?.stop();
  await passport?.stop();
});

type Lifetime = { exp?: number; iat?: number };
const now = () => Math.floor(Date.now() / 1000);

function devToken({ exp, iat }: Lifetime): Promise<string> {
  let jwt = new SignJWT(CLAIMS).setProtectedHeader({ alg: 'HS256' }).setIssuer(platform.config.auth.issuer!).setAudience(platform.config.auth.audience!).setSubject('passport-2');
  if (iat !== undefined) jwt = jwt.setIssuedAt(iat);
  if (exp !== undefined) jwt = jwt.setExpirationTime(exp);
  return jwt.sign(new TextEncoder().encode(platform.config.auth.devSecret));
}

function jwksToken({ exp, iat }: Lifetime): Promise<string> {
  let jwt = new SignJWT(CLAIMS).setProtectedHeader(passport.header).setIssuer('https://passport.test').setAudience('bheem').setSubject('passport-2');
  if (iat !== undefined) jwt = jwt.setIssuedAt(iat);
  if (exp !== undefined) jwt = jwt.setExpirationTime(exp);
  return jwt.sign(passport.privateKey);
}

describe.each([
  { mode: 'dev', sign: devToken, url: () => platform.gateway.url.replace('localhost', '127.0.0.1') },
  { mode: 'jwks', sign: jwksToken, url: () => jwksGatewayUrl },
])('token lifetime ($mode mode)', ({ sign, url }) => {
  const call = async (lifetime: Lifetime) => postTo(url(), QUERY, { authorization: `Bearer ${await sign(lifetime)}` });

  it('accepts a token within the maximum lifetime', async () => {
    const response = await call({ iat: now(), exp: now() + 3000 });
    expect(response.status).toBe(200);
    expect(response.body.data.courses.length).toBeGreaterThan(0);
  });

  it('refuses a token without exp', async () => {
    const response = await call({ iat: now() });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.body.errors?.[0]?.message).toMatch(/exp/);
  });

  it('refuses a token living longer than AUTH_MAX_TOKEN_TTL_SECONDS, with or without iat', async () => {
    for (const lifetime of [{ iat: now(), exp: now() + 7200 }, { exp: now() + 10 * 365 * 86400 }, { iat: now() - 86400, exp: now() + 60 }]) {
      const response = await call(lifetime);
      expect(response.status).toBe(401);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('production configuration', () => {
  const PRODUCTION_SECRETS = {
    NODE_ENV: 'production',
    INTERNAL_SIGNING_SECRET: 's1',
    LIVEKIT_API_KEY: 'k',
    LIVEKIT_API_SECRET: 's2',
    DOCUMENTS_URL_SECRET: 's3',
    CREDENTIAL_KEY: 's4',
    EVENT_INGEST_SECRET: 's5',
    DATABASE_URL: 'postgres://db/x',
  };

  it('starts in JWKS mode without AUTH_DEV_SECRET', () => {
    const config = loadConfig({ ...PRODUCTION_SECRETS, AUTH_JWKS_URL: 'https://passport.example/jwks.json' });
    expect(config.auth.mode).toBe('jwks');
  });

  it('validates AUTH_MAX_TOKEN_TTL_SECONDS', () => {
    expect(loadConfig({ AUTH_MAX_TOKEN_TTL_SECONDS: '600' }).auth.maxTokenTtlSeconds).toBe(600);
    expect(() => loadConfig({ AUTH_MAX_TOKEN_TTL_SECONDS: 'forever' })).toThrow(/AUTH_MAX_TOKEN_TTL_SECONDS/);
  });
});
