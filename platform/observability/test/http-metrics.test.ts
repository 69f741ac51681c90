/**
 * A subgraph server's request metrics (http-metrics.ts): each response counted once when it closes, by route and
 * status, its latency in the route's histogram, as /metrics exports them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { measureRequest } from '../http-metrics.js';
import { metricsRegistry } from '../metrics.js';

const SERVICE = 'http-metrics-test';
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const route = request.url === '/missing' ? '/missing' : '/graphql';
    measureRequest(SERVICE, route, request, response);
    response.writeHead(route === '/missing' ? 404 : 200, { 'content-type': 'text/plain' });
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The exported value of one line, 0 when absent. */
async function exported(line: string): Promise<number> {
  const text = await metricsRegistry.metrics();
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

describe('measureRequest', () => {
  it('counts each response once, by route and status, with its latency', async () => {
    for (const path of ['/graphql', '/graphql', '/missing', '/graphql']) await (await fetch(`${base}${path}`)).text();
    // The last response's close may come after its body reached the client.
    await vi.waitFor(async () => expect(await exported(`bheem_http_requests_total{service="${SERVICE}",route="/graphql",status="200"}`)).toBe(3));
    expect(await exported(`bheem_http_requests_total{service="${SERVICE}",route="/missing",status="404"}`)).toBe(1);
    expect(await exported(`bheem_http_requests_total{service="${SERVICE}",route="/graphql",status="404"}`)).toBe(0);
    expect(await exported(`bheem_http_request_duration_seconds_count{service="${SERVICE}",route="/graphql"}`)).toBe(3);
    expect(await exported(`bheem_http_request_duration_seconds_bucket{le="+Inf",service="${SERVICE}",route="/missing"}`)).toBe(1);
    expect(await exported(`bheem_http_request_duration_seconds_sum{service="${SERVICE}",route="/graphql"}`)).toBeGreaterThan(0);
  });
});
