/**
 * OpenTelemetry across gateway and subgraphs: a client's W3C traceparent is
 * continued by the gateway, carried to each subgraph, and every span is
 * exported by OTLP/HTTP to the configured endpoint (here a small receiver).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushTraces } from '../../platform/observability/tracing.js';
import { startGatewayPlatform, type GatewayPlatform } from './support/gateway-platform.js';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string } }[];
}

const spans: ExportedSpan[] = [];
let receiver: http.Server;
let platform: GatewayPlatform;

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans: { scopeSpans: { spans: ExportedSpan[] }[] }[] };
      for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
  platform = await startGatewayPlatform({ env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint } });
});
afterAll(async () => {
  await platform?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

const attribute = (span: ExportedSpan, key: string) => span.attributes.find((candidate) => candidate.key === key)?.value.stringValue;

describe('tracing', () => {
  it('continues the caller trace through the gateway into the subgraph, with the request id', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await platform.post(
      { query: '{ courses { id teachers { fullName } } }' },
      { authorization: `Bearer ${await platform.tokenFor('admin')}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'trace-test-1' },
    );
    expect(response.body.errors).toBeUndefined();
    await flushTraces();

    const trace = spans.filter((span) => span.traceId === traceId);
    const gatewaySpan = trace.find((span) => span.name === 'POST /graphql');
    expect(gatewaySpan?.parentSpanId).toBe('00f067aa0ba902b7');
    const subgraphSpan = trace.find((span) => span.name === 'academy POST /graphql');
    expect(subgraphSpan).toBeDefined();
    expect(attribute(subgraphSpan!, 'bheem.request_id')).toBe('trace-test-1');
    // The subgraph's parent is a span of the gateway (Apollo's fetch span), not the client's.
    const gatewaySpanIds = new Set(trace.filter((span) => !span.name.startsWith('academy')).map((span) => span.spanId));
    expect(gatewaySpanIds.has(subgraphSpan!.parentSpanId!)).toBe(true);
  });
});
