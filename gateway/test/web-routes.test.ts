/**
 * The gateway's pages (gateway/web/): the explorer for browsers only, the
 * dev token only outside production, the web client's files and nothing
 * outside web/dist, and all of it off in production unless configured.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { assertWebBuilt } from '../../scripts/lib/ensure-web-build.js';
import { startGateway, type RunningGateway } from '../start-gateway.js';

const DEV_TOKEN = 'header.eyJzdWIiOiJkZXYifQ.signature';
const gateways: RunningGateway[] = [];
let dev: string;

async function gatewayWith(env: Record<string, string>): Promise<string> {
  const config = loadConfig({ ...process.env, DATABASE_URL: '', GATEWAY_RATE_LIMIT_STORE: 'off', ...env });
  const gateway = await startGateway({ config, log: createLogger('test'), devToken: async () => DEV_TOKEN });
  gateways.push(gateway);
  return `http://127.0.0.1:${gateway.port}`;
}

function rawStatus(url: string): Promise<number> {
  const { host, pathname } = new URL(url);
  const path = url.slice(url.indexOf(host) + host.length) || pathname;
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: Number(host.split(':')[1]), path }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      })
      .on('error', reject);
  });
}

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

beforeAll(async () => {
  assertWebBuilt();
  dev = await gatewayWith({});
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
});

describe('the explorer', () => {
  it('is served at / and GET /graphql to browsers, with the README examples and the dev token', async () => {
    for (const path of ['/', '/graphql']) {
      const response = await fetch(`${dev}${path}`, { headers: html });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      const page = await response.text();
      const config = JSON.parse(/<script id="bheem-explorer-config" type="application\/json">([\s\S]*?)<\/script>/.exec(page)![1]!);
      expect(config.devToken).toBe(DEV_TOKEN);
      expect(config.examples.map((example: { name: string }) => example.name)).toContain('LiveClassStatusChanged');
      expect(config.examples[0].query).toMatch(/^# .*\nquery CoursesWithTheirTeachers \{ courses/);
    }
  });

  it('leaves GraphQL requests to GraphQL: operations in the URL, JSON clients, POSTs', async () => {
    const get = await fetch(`${dev}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: html });
    expect(get.status).toBe(401);
    expect((await get.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const json = await fetch(`${dev}/graphql`, { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${dev}/`, { headers: { accept: 'application/json' } })).status).toBe(404);
  });

  it('is off in production, and when turned on there carries no dev token', async () => {
    // A production configuration: the explorer is off unless turned on.
    const production = {
      NODE_ENV: 'production',
      AUTH_MODE: 'jwks',
      AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks',
      INTERNAL_SIGNING_SECRET: 's',
      AUTH_DEV_SECRET: 's',
      DOCUMENTS_URL_SECRET: 's',
      CREDENTIAL_KEY: 's',
      EVENT_INGEST_SECRET: 's',
      LIVEKIT_API_KEY: 'k',
      LIVEKIT_API_SECRET: 's',
    };
    const off = await gatewayWith(production);
    expect((await fetch(`${off}/`, { headers: html })).status).toBe(404);
    expect((await fetch(`${off}/app/`, { headers: html })).status).toBe(404);
    const turnedOn = await gatewayWith({ ...production, GATEWAY_EXPLORER: 'true' });
    const page = await (await fetch(`${turnedOn}/`, { headers: html })).text();
    expect(page).toContain('bheem-explorer-config');
    expect(page).not.toContain(DEV_TOKEN);
    // Its scripts are served; the app itself is not.
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(page)![1]!;
    expect((await fetch(`${turnedOn}${script}`)).status).toBe(200);
    expect((await fetch(`${turnedOn}/app/`)).status).toBe(404);
  });
});

describe('the web client', () => {
  it('serves its pages and assets, and nothing outside web/dist', async () => {
    const index = await fetch(`${dev}/app/courses/101`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<div id="app">');
    const session = await (await fetch(`${dev}/app/session.json`)).json();
    expect(session).toEqual({ authMode: 'dev', devToken: DEV_TOKEN });
    expect((await fetch(`${dev}/app`, { redirect: 'manual' })).headers.get('location')).toBe('/app/');
    expect((await fetch(`${dev}/app/assets/nothing.js`)).status).toBe(404);
    // Raw paths (fetch would resolve the dots before sending).
    expect(await rawStatus(`${dev}/app/../../package.json`)).toBe(404);
    expect(await rawStatus(`${dev}/app/..%2f..%2fpackage.json`)).toBe(404);
    expect(await rawStatus(`${dev}/app/assets/..%2f..%2f..%2fpackage.json`)).toBe(404);
    expect((await fetch(`${dev}/app/%zz`)).status).toBe(400);
  });
});
