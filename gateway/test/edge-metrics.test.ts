/**
 * /metrics (operation names are clients' words; counts tell load): off the
 * public port in production unless configured, on a port of its own, or
 * behind a bearer token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../../platform/config/gateway-config.js';
import type { PlatformConfig } from '../../platform/config.js';
import { startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

let platform: GatewayPlatform;
const withGateway = (gateway: Partial<PlatformConfig['gateway']>, production = false): PlatformConfig => ({
  ...platform.config,
  production,
  gateway: { ...platform.config.gateway, ...gateway },
});
const metricsOf = (url: string) => url.replace('localhost', '127.0.0.1').replace(/\/graphql$/, '/metrics');

beforeAll(async () => {
  platform = await startGatewayPlatform({ subgraphs: ['academy'] });
});
afterAll(() => platform?.stop());

describe('/metrics', () => {
  it('is off the public port by default in production', async () => {
    expect(loadGatewayConfig({}, true).metricsPort).toBe('off');
    expect(loadGatewayConfig({}, false).metricsPort).toBe('public');
    const production = await platform.startAnotherGateway({ config: withGateway({ metricsPort: loadGatewayConfig({}, true).metricsPort }, true) });
    expect((await fetch(metricsOf(production.url))).status).toBe(404);
  });

  it('asks the bearer token when GATEWAY_METRICS_TOKEN is set', async () => {
    const gateway = await platform.startAnotherGateway({ config: withGateway({ metricsPort: 'public', metricsToken: 's3cret-metrics' }) });
    const url = metricsOf(gateway.url);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const allowed = await fetch(url, { headers: { authorization: 'Bearer s3cret-metrics' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('bheem_');
  });

  it('is served on a port of its own when GATEWAY_METRICS_PORT names one', async () => {
    const gateway = await platform.startAnotherGateway({ config: withGateway({ metricsPort: 0 }) });
    expect((await fetch(metricsOf(gateway.url))).status).toBe(404);
    expect(gateway.metricsUrl).toBeDefined();
    const own = await fetch(gateway.metricsUrl!);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('bheem_');
  });
});
