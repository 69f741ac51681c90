/**
 * Production mode: no introspection, stack traces or field suggestions;
 * CSRF prevention; CORS from an allow-list; authentication required; the
 * optional persisted-operation safelist.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformConfig } from '../../platform/config.js';
import type { RunningGateway } from '../start-gateway.js';
import { postTo, startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

let platform: GatewayPlatform;
let production: RunningGateway;
let productionUrl: string;
let token: string;
const ALLOWED_ORIGIN = 'https://app.bheem.example';
const manifestDir = mkdtempSync(path.join(tmpdir(), 'bheem-safelist-'));

function productionConfig(config: PlatformConfig, overrides: Partial<PlatformConfig['gateway']> = {}): PlatformConfig {
  return {
    ...config,
    production: true,
    gateway: { ...config.gateway, introspection: false, fieldSuggestions: false, corsOrigins: [ALLOWED_ORIGIN], ...overrides },
  };
}

beforeAll(async () => {
  platform = await startGatewayPlatform();
  production = await platform.startAnotherGateway({ config: productionConfig(platform.config) });
  productionUrl = production.url.replace('localhost', '127.0.0.1');
  token = await platform.tokenFor('admin');
});
afterAll(async () => {
  await platform?.stop();
  rmSync(manifestDir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${token}` });

describe('production mode', () => {
  it('refuses introspection unless enabled', async () => {
    const refused = await postTo(productionUrl, { query: '{ __schema { queryType { name } } }' }, auth());
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.body.errors?.[0]?.message).toMatch(/introspection/i);
    // The test platform's own gateway runs with development defaults: introspection on.
    const allowed = await platform.post({ query: '{ __schema { queryType { name } } }' }, auth());
    expect(allowed.body.data?.__schema.queryType.name).toBe('Query');
  });

  it('sends neither stack traces nor field suggestions', async () => {
    const invalid = await postTo(productionUrl, { query: '{ courses { fullnam } }' }, auth());
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(invalid.body.errors?.[0]?.message).not.toMatch(/did you mean/i);
    expect(invalid.body.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
    const student = await platform.tokenFor('sam.student');
    const forbidden = await postTo(productionUrl, { query: '{ course(id: "101") { students { username } } }' }, { authorization: `Bearer ${student}` });
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(forbidden.body)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('refuses a simple GET that a browser could send cross-site (CSRF prevention)', async () => {
    const response = await fetch(`${productionUrl}?query=${encodeURIComponent('{ courses { id } }')}`, { headers: auth() });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
    const preflighted = await fetch(`${productionUrl}?query=${encodeURIComponent('{ courses { id } }')}`, {
      headers: { ...auth(), 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(productionUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await postTo(productionUrl, { query: '{ courses { id } }' }, { ...auth(), origin: ALLOWED_ORIGIN });
    expect(actual.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
  });

  it('requires a valid token, with 401 and a stable code', async () => {
    const missing = await postTo(productionUrl, { query: '{ courses { id } }' });
    expect(missing.status).toBe(401);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await postTo(productionUrl, { query: '{ courses { id } }' }, { authorization: `Bearer ${token.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
  });

  it('echoes a sane request id and replaces an unsafe one', async () => {
    const echoed = await postTo(productionUrl, { query: '{ courses { id } }' }, { ...auth(), 'x-request-id': 'client-abc.123' });
    expect(echoed.headers['x-request-id']).toBe('client-abc.123');
    const replaced = await postTo(productionUrl, { query: '{ courses { id } }' }, { ...auth(), 'x-request-id': 'bad id\twith spaces' });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('runs only persisted operations in safelist mode', async () => {
    const body = 'query MyCourses { myCourses { id fullname } }';
    const manifest = path.join(manifestDir, 'manifest.json');
    writeFileSync(
      manifest,
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'my-courses-v1', name: 'MyCourses', type: 'query', body }] }),
    );
    const safelisted = await platform.startAnotherGateway({ config: productionConfig(platform.config, { safelistFile: manifest }) });
    const url = safelisted.url.replace('localhost', '127.0.0.1');
    const tara = { authorization: `Bearer ${await platform.tokenFor('tara.teacher')}` };

    const byId = await postTo(url, { documentId: 'my-courses-v1' }, tara);
    expect(byId.body.errors).toBeUndefined();
    expect(byId.body.data?.myCourses.length).toBeGreaterThan(0);
    const byApqHash = await postTo(url, { extensions: { persistedQuery: { version: 1, sha256Hash: 'my-courses-v1' } } }, tara);
    expect(byApqHash.body.data).toEqual(byId.body.data);
    const byText = await postTo(url, { query: body }, tara);
    expect(byText.body.data).toEqual(byId.body.data);

    const other = await postTo(url, { query: '{ courses { id } }' }, tara);
    expect(other.status).toBe(400);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const unknownId = await postTo(url, { documentId: 'nope' }, tara);
    expect(unknownId.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
