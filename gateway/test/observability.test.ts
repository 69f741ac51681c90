/**
 * Health and metrics of the gateway and the subgraphs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

let platform: GatewayPlatform;
let origin: string;

beforeAll(async () => {
  platform = await startGatewayPlatform();
  origin = new URL(platform.gateway.url.replace('localhost', '127.0.0.1')).origin;
});
afterAll(() => platform?.stop());

const metricValue = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(series));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('health', () => {
  it('answers /health/live and /health/ready on the gateway, checking database and every subgraph', async () => {
    expect((await fetch(`${origin}/health/live`)).status).toBe(200);
    const ready = await fetch(`${origin}/health/ready`);
    const body = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(ready.status).toBe(200);
    expect(body.checks.database).toBe('ok');
    for (const name of Object.keys(platform.subgraphs)) expect(body.checks[name]).toBe('ok');
  });

  it('answers /health/live and /health/ready on each subgraph', async () => {
    for (const running of Object.values(platform.subgraphs)) {
      const subgraphOrigin = new URL(running!.url).origin;
      expect((await fetch(`${subgraphOrigin}/health/live`)).status).toBe(200);
      const ready = await fetch(`${subgraphOrigin}/health/ready`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks.database).toBe('ok');
    }
  });
});

describe('metrics', () => {
  it('counts requests and latency per operation, errors by code, and subgraph fetch latency', async () => {
    const token = await platform.tokenFor('admin');
    for (let i = 0; i < 3; i++) await platform.post({ query: 'query CourseList { courses { id } }' }, { authorization: `Bearer ${token}` });
    await platform.post({ query: `{ ${'a { '.repeat(40)}b${' }'.repeat(40)} }` }, { authorization: `Bearer ${token}` });
    const student = await platform.tokenFor('sam.student');
    await platform.post({ query: '{ course(id: "101") { students { id } } }' }, { authorization: `Bearer ${student}` });

    const text = await (await fetch(`${origin}/metrics`)).text();
    expect(metricValue(text, 'bheem_gateway_requests_total{operation="CourseList",type="query",outcome="ok"}')).toBe(3);
    expect(metricValue(text, 'bheem_gateway_request_duration_seconds_count{operation="CourseList",type="query"}')).toBe(3);
    expect(metricValue(text, 'bheem_gateway_errors_total{code="MAX_DEPTH_EXCEEDED"}')).toBe(1);
    expect(metricValue(text, 'bheem_gateway_errors_total{code="FORBIDDEN"}')).toBe(1);
    expect(metricValue(text, 'bheem_gateway_subgraph_fetch_duration_seconds_count{subgraph="academy",outcome="ok"}')).toBeGreaterThanOrEqual(4);
    expect(text).toContain('bheem_gateway_active_subscriptions 0');
    expect(text).toContain('bheem_process_cpu_seconds_total');
  });

  it('serves /metrics on each subgraph', async () => {
    const academy = new URL(platform.subgraphs.academy!.url).origin;
    const text = await (await fetch(`${academy}/metrics`)).text();
    expect(metricValue(text, 'bheem_http_requests_total{service="academy",route="/graphql",status="200"}')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE bheem_event_lag_seconds histogram');
  });
});
