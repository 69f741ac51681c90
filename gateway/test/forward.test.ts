/**
 * The gateway's pass-through routes (files, recordings, feeds, webhooks): the
 * service behind sees the client's address as the gateway judged it, never an
 * X-Forwarded-For the client made up (per-address limits count on it), and
 * none of the headers only the platform sets between its services.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedProxies, type TrustProxySetting } from '../../platform/http/client-ip.js';
import { forwardTo } from '../forward.js';

async function listen(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('forwardTo', () => {
  let service: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    service = await listen((request, response) => {
      response.setHeader('content-type', 'application/json');
      const marked = Object.keys(request.headers).filter((name) => name.includes('bheem'));
      response.end(JSON.stringify({ forwardedFor: request.headers['x-forwarded-for'] ?? null, path: request.url, marked }));
    });
  });
  afterAll(() => service.close());

  const through = async (trustProxy: TrustProxySetting) => {
    const proxy = await listen(forwardTo(service.url, 'echo', { trust: trustedProxies(trustProxy), timeoutMs: 5_000 }));
    try {
      const response = await fetch(`${proxy.url}/files/share/abc?x=1`, { headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' } });
      return { status: response.status, body: (await response.json()) as { forwardedFor: string | null; path: string; marked: string[] } };
    } finally {
      await proxy.close();
    }
  };

  it('replaces a client-made X-Forwarded-For with the connecting address when no proxy is trusted', async () => {
    const { status, body } = await through(false);
    expect(status).toBe(200);
    expect(body).toEqual({ forwardedFor: '127.0.0.1', path: '/files/share/abc?x=1', marked: [] });
  });

  it('passes the address its trusted proxy saw, alone: the right-most untrusted one, never what the client wrote before it', async () => {
    // One hop trusted (the peer, 127.0.0.1): the proxy saw 10.0.0.1 connecting; 203.0.113.9 is the client's own word.
    expect((await through(1)).body.forwardedFor).toBe('10.0.0.1');
    // 10.0.0.0/8 is a proxy of ours too: its client is 203.0.113.9.
    expect((await through(['loopback', '10.0.0.0/8'])).body.forwardedFor).toBe('203.0.113.9');
  });

  it("drops a client's copy of the headers only the platform sets, and keeps an event sender's own signature", async () => {
    const proxy = await listen(forwardTo(service.url, 'echo', { trust: trustedProxies(false), timeoutMs: 5_000 }));
    try {
      const response = await fetch(`${proxy.url}/events/ingest`, {
        method: 'POST',
        body: '{}',
        headers: {
          'x-bheem-tus-forwarded': '1',
          'X-Bheem-Anything-Else': 'forged',
          'bheem-identity': 'eyJhbGciOiJIUzI1NiJ9.forged.forged',
          'x-bheem-event-timestamp': '1700000000',
          'x-bheem-event-signature': 'v1=00',
        },
      });
      expect(((await response.json()) as { marked: string[] }).marked.sort()).toEqual(['x-bheem-event-signature', 'x-bheem-event-timestamp']);
    } finally {
      await proxy.close();
    }
  });

  it('answers 502 naming the service when it is down', async () => {
    const proxy = await listen(forwardTo('http://127.0.0.1:1', 'documents', { trust: trustedProxies(false), timeoutMs: 5_000 }));
    try {
      const response = await fetch(`${proxy.url}/files/x`);
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: string }).error).toMatch(/documents service is unavailable/);
    } finally {
      await proxy.close();
    }
  });
});
