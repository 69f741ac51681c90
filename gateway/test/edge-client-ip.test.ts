/**
 * The client's address behind proxies: the right-most X-Forwarded-For
 * address that is not a trusted proxy, by hop count or list, the same for
 * the IP rate limit and forwarded routes; and forwarded routes time out.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientIp, parseTrustProxy, trustedProxies, type TrustProxySetting } from '../../platform/http/client-ip.js';
import { forwardTo } from '../forward.js';
import { postTo, startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('clientIp', () => {
  let echo: Awaited<ReturnType<typeof listen>>;
  let trust: TrustProxySetting = false;
  beforeAll(async () => {
    echo = await listen((request, response) => response.end(clientIp(request, trustedProxies(trust))));
  });
  afterAll(() => echo.close());

  const seen = async (setting: TrustProxySetting, forwardedFor?: string) => {
    trust = setting;
    return (await fetch(echo.url, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} })).text();
  };

  it('takes the right-most address that is not a trusted proxy', async () => {
    const chain = '198.51.100.1, 203.0.113.9, 10.0.0.7';
    expect(await seen(false, chain)).toBe('127.0.0.1');
    expect(await seen(1, chain)).toBe('10.0.0.7');
    expect(await seen(2, chain)).toBe('203.0.113.9');
    expect(await seen(['loopback', '10.0.0.0/8'], chain)).toBe('203.0.113.9');
    // The peer itself is not trusted: the header is the client's own word.
    expect(await seen(['10.0.0.0/8'], chain)).toBe('127.0.0.1');
    expect(await seen(1)).toBe('127.0.0.1');
  });

  it('parses GATEWAY_TRUST_PROXY values, and refuses what is not an address', () => {
    expect(parseTrustProxy(undefined, 'X', false)).toBe(false);
    expect(parseTrustProxy('false', 'X', 1)).toBe(false);
    expect(parseTrustProxy('true', 'X', false)).toBe(1);
    expect(parseTrustProxy('2', 'X', false)).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8, fd00::/8', 'X', false)).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    expect(() => parseTrustProxy('10.0.0.0/8, nope', 'GATEWAY_TRUST_PROXY', false)).toThrow(/GATEWAY_TRUST_PROXY/);
  });
});

describe('the IP rate limit behind a proxy', () => {
  let platform: GatewayPlatform;
  let url: string;
  beforeAll(async () => {
    platform = await startGatewayPlatform({ subgraphs: ['academy'] });
    const config = {
      ...platform.config,
      gateway: {
        ...platform.config.gateway,
        trustProxy: 1 as const,
        rateLimit: { store: 'memory' as const, user: { burst: 1000, perSecond: 0.01 }, ip: { burst: 5, perSecond: 0.01 } },
      },
    };
    url = (await platform.startAnotherGateway({ config })).url.replace('localhost', '127.0.0.1');
  });
  afterAll(() => platform?.stop());

  it('counts the address the proxy saw, whatever a client writes before it', async () => {
    const token = await platform.tokenFor('admin');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      // A client behind one appending proxy, making up a new "origin" each time.
      const response = await postTo(url, { query: '{ courses { id } }' }, { authorization: `Bearer ${token}`, 'x-forwarded-for': `192.0.2.${i}, 198.51.100.77` });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
  });
});

describe('forwarded routes', () => {
  it('answer 504 when the service stays silent past GATEWAY_FORWARD_TIMEOUT_MS, and cut the upstream request', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const silent = await listen((request) => request.once('close', upstreamClosed)); // never answers
    const proxy = await listen(forwardTo(silent.url, 'documents', { trust: trustedProxies(false), timeoutMs: 300 }));
    try {
      const response = await fetch(`${proxy.url}/files/x`);
      expect(response.status).toBe(504);
      expect(((await response.json()) as { error: string }).error).toMatch(/documents service is unavailable/);
      await closed;
    } finally {
      await proxy.close();
      await silent.close();
    }
  });

  it('cut the upstream request when the caller goes away', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    let arrived!: () => void;
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const slow = await listen((request) => {
      request.once('close', upstreamClosed);
      arrived();
    });
    const proxy = await listen(forwardTo(slow.url, 'documents', { trust: trustedProxies(false), timeoutMs: 60_000 }));
    try {
      const controller = new AbortController();
      const pending = fetch(`${proxy.url}/files/x`, { signal: controller.signal }).catch(() => undefined);
      await reached;
      controller.abort();
      await pending;
      await closed;
    } finally {
      await proxy.close();
      await slow.close();
    }
  });

  it('never name the service address in the answer', async () => {
    const proxy = await listen(forwardTo('http://127.0.0.1:1', 'documents', { trust: trustedProxies(false), timeoutMs: 5_000 }));
    try {
      const response = await fetch(`${proxy.url}/files/x`);
      expect(response.status).toBe(502);
      expect(await response.text()).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      await proxy.close();
    }
  });
});
