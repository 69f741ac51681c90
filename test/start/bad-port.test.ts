/**
 * A port Node's fetch refuses (the Fetch standard's "bad ports", such as 4190) used to make `npm start` wait
 * for its 15-minute limit: the service listened, but every readiness request failed as if it were not up yet.
 * Now configuration refuses such a port, and `npm start` stops at once saying which variable and port.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { spawnStart } from './spawn-start.js';

describe('a port that fetch refuses', () => {
  it('is refused by configuration, naming the variable', () => {
    expect(() => loadConfig({ GATEWAY_PORT: '4190' })).toThrow(/GATEWAY_PORT=4190 is a port that Node's fetch and browsers refuse/);
    expect(() => loadConfig({ ERP_PORT: '6000' })).toThrow(/ERP_PORT=6000/);
    expect(() => loadConfig({ ACADEMY_URL: 'http://academy:10080/graphql' })).toThrow(/ACADEMY_URL=http:\/\/academy:10080\/graphql has a port/);
    expect(() => loadConfig({ GATEWAY_PORT: '70000' })).toThrow(/GATEWAY_PORT must be a port/);
    expect(loadConfig({ GATEWAY_PORT: '4191' }).ports.gateway).toBe(4191);
    // /metrics on a port of its own: fetch (the tests, a scraper written in Node) and browsers would be refused too.
    expect(() => loadConfig({ GATEWAY_METRICS_PORT: '6000' })).toThrow(/GATEWAY_METRICS_PORT=6000 is a port that Node's fetch and browsers refuse/);
    expect(() => loadConfig({ GATEWAY_METRICS_PORT: '70000' })).toThrow(/GATEWAY_METRICS_PORT must be a port, "public" or "off"/);
    expect(loadConfig({ GATEWAY_METRICS_PORT: '9464' }).gateway.metricsPort).toBe(9464);
  });

  it('stops npm start at once with a message naming it', async () => {
    const start = await spawnStart({ GATEWAY_PORT: '4190' });
    const [code] = await start.exited;
    const output = start.output();
    expect({ code, output: output.slice(output.indexOf('Start-up failed')) }).toEqual({
      code: 1,
      output: `Start-up failed: GATEWAY_PORT=4190 is a port that Node's fetch and browsers refuse to connect to (the Fetch standard's "bad ports"): choose another\n`,
    });
  }, 300_000);
});
