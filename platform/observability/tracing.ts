/**
 * OpenTelemetry traces across gateway and subgraphs, W3C `traceparent`
 * propagated on every subgraph call and exported by OTLP/HTTP (JSON).
 *
 * Off unless an OTLP endpoint is configured, and then truly off: callers
 * test `tracingEnabled()` and skip every span, context and header
 * operation, so untraced deployments pay nothing per request.
 */
import type { IncomingMessage } from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from '../config.js';
import { requireWhenUsed } from '../lazy-require.js';

let provider: NodeTracerProvider | undefined;

/** Registers the process-wide tracer provider once; the first service to start names the process. */
export function startTracing(serviceName: string, config: TracingConfig): boolean {
  if (provider) return true;
  if (!config.endpoint) return false;
  // The SDK and its exporter load only where traces are exported.
  const { W3CTraceContextPropagator } = requireWhenUsed('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { OTLPTraceExporter } = requireWhenUsed('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = requireWhenUsed('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { BatchSpanProcessor } = requireWhenUsed('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { NodeTracerProvider } = requireWhenUsed('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.namespace': config.serviceNamespace }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.endpoint }), { scheduledDelayMillis: 500 })],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return true;
}

export function tracingEnabled(): boolean {
  return provider !== undefined;
}

/** Exports what is buffered (before a process stops, or for a test to read its spans). */
export async function flushTraces(): Promise<void> {
  await provider?.forceFlush();
}

const tracer = () => trace.getTracer('bheem-federation');

/**
 * Runs `handle` inside a server span continuing the caller's trace (from
 * `traceparent`). Only call when `tracingEnabled()`.
 */
export async function withServerSpan<T>(name: string, request: IncomingMessage, attributes: Attributes, handle: (span: Span) => Promise<T>): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => handle(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/** Adds `traceparent` (and `tracestate`) of the active span to outgoing headers. */
export function injectTraceHeaders(headers: Record<string, string>): void {
  propagation.inject(context.active(), headers);
}
