/**
 * The GraphQL request of an SSE subscription, as graphql-sse's protocol
 * sends it: URL parameters on GET (`query`, `variables` and `extensions` as
 * JSON, `operationName`), a JSON body on POST.
 */
import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, readBody } from '../../platform/http/read-body.js';
import type { SubscribeRequest } from './subscription-engine.js';

/** Subscription documents are small; the operation limits apply after. */
const MAX_BODY_BYTES = 64 * 1024;

export type SseParams = { ok: true; request: SubscribeRequest } | { ok: false; status: number; message: string };

/** A client that reads Server-Sent Events and names no other format (graphql-sse, EventSource): what /graphql streams to. */
export function acceptsOnlyEventStream(accept: string | undefined): boolean {
  if (accept === undefined || !accept.toLowerCase().includes('text/event-stream')) return false;
  return accept.split(',').every((type) => type.trim().toLowerCase().startsWith('text/event-stream'));
}

const refuse = (message: string, status = 400): SseParams => ({ ok: false, status, message });

function fromObject(params: Record<string, unknown>): SseParams {
  const { query, variables, operationName } = params;
  if (typeof query !== 'string' || query === '') return refuse('Missing query');
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return refuse('variables must be an object');
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return refuse('operationName must be a string');
  return { ok: true, request: { query, variables: (variables ?? null) as Record<string, unknown> | null, operationName: operationName ?? null } };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export async function readSseParams(request: IncomingMessage): Promise<SseParams> {
  if (request.method === 'GET') {
    const search = new URL(request.url ?? '/', 'http://gateway').searchParams;
    const variables = search.get('variables');
    const parsed = variables ? parseJson(variables) : ({ ok: true, value: undefined } as const);
    if (!parsed.ok) return refuse('variables is not valid JSON');
    return fromObject({ query: search.get('query') ?? undefined, variables: parsed.value, operationName: search.get('operationName') ?? undefined });
  }
  let body: Buffer;
  try {
    body = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return refuse(error.message, 413);
    throw error;
  }
  const parsed = parseJson(body.toString('utf8'));
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) return refuse('The body must be a JSON object');
  return fromObject(parsed.value as Record<string, unknown>);
}
