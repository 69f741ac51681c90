/**
 * The GraphQL request of an HTTP call to /graphql, read as cheaply as a
 * refusal allows: the body up to GATEWAY_MAX_BODY_BYTES (the rest is never
 * read), valid UTF-8, JSON, one operation (a batch is refused, and drains
 * the IP bucket as that many requests would), or GET's URL parameters.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { GatewayConfig } from '../../platform/config.js';
import { BodyTooLargeError, readBody } from '../../platform/http/read-body.js';
import type { RateLimiter } from '../rate-limiter.js';
import { refusal, type Refusal } from './edge-request.js';

export interface GraphQLParams {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
  documentId?: unknown;
}

export interface HttpGraphQLRequest {
  method: string;
  /** The URL's query string, `?` included ('' when none). */
  search: string;
  /** What Apollo Server gets as the body: the parsed JSON, or the text of another media type. */
  body: unknown;
  /** The GraphQL request, when the body or URL carries one. */
  params: GraphQLParams | undefined;
}

const NOT_JSON = refusal(400, 'BAD_REQUEST', 'Request body is not valid JSON');
const NOT_UTF8 = refusal(400, 'BAD_REQUEST', 'Request body is not valid UTF-8');
const NOT_AN_OBJECT = refusal(400, 'BAD_REQUEST', 'The body must be a JSON object: { "query": "…", "variables": {…} }');
const BATCH = refusal(400, 'BATCHING_NOT_SUPPORTED', 'Batched operations are not accepted: send one operation per request');

function paramsFromSearch(search: string): GraphQLParams {
  const query = new URLSearchParams(search);
  const json = (name: string) => {
    const value = query.get(name);
    if (value === null) return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // Apollo answers the malformed parameter
    }
  };
  return { query: query.get('query') ?? undefined, variables: json('variables'), operationName: query.get('operationName') ?? undefined, extensions: json('extensions') };
}

export async function readHttpGraphQLRequest(
  request: IncomingMessage,
  config: GatewayConfig,
  rateLimiter: RateLimiter | undefined,
  clientIp: string,
): Promise<HttpGraphQLRequest | Refusal> {
  const method = (request.method ?? 'GET').toUpperCase();
  let raw: Buffer;
  try {
    raw = method === 'POST' ? await readBody(request, config.maxBodyBytes) : Buffer.alloc(0);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    // The rest of the body is dropped for a while, then the connection cut (read-body.ts): closed at once, it could lose this answer.
    return refusal(413, 'PAYLOAD_TOO_LARGE', error.message);
  }
  const url = request.url ?? '/';
  const queryIndex = url.indexOf('?');
  const search = queryIndex >= 0 ? url.slice(queryIndex) : '';
  if (raw.length === 0) return { method, search, body: undefined, params: method === 'GET' ? paramsFromSearch(search) : undefined };
  // toString would turn invalid bytes into U+FFFD: the client's text, silently changed.
  if (!isUtf8(raw)) return NOT_UTF8;
  const text = raw.toString('utf8');
  // Media type names are case-insensitive (RFC 9110 §8.3.1): `Application/JSON` is JSON too.
  if (!/json/i.test(request.headers['content-type'] ?? '')) return { method, search, body: text, params: undefined };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
  if (Array.isArray(body)) {
    await rateLimiter?.take([{ key: `ip:${clientIp}`, ...config.rateLimit.ip, cost: Math.min(Math.max(1, body.length), config.rateLimit.ip.burst) }]);
    return BATCH;
  }
  // null, a string, a number: Apollo Server's refusal carried its stack trace outside production.
  if (body === null || typeof body !== 'object') return NOT_AN_OBJECT;
  return { method, search, body, params: body as GraphQLParams };
}
