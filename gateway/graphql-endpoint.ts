/**
 * The gateway's /graphql over HTTP, in the order that keeps abuse cheap:
 * body size, batching, safelist, operation limits (cached per text), the
 * caller's token (cached until expiry), rate limits, and only then Apollo.
 * Every refusal is a GraphQL-shaped error with a stable `extensions.code`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { bearerToken, type UserTokenVerifier } from '../platform/auth/user-token.js';
import type { Viewer } from '../platform/auth/viewer.js';
import type { GatewayConfig } from '../platform/config.js';
import { BodyTooLargeError, readBody } from '../platform/http/read-body.js';
import { fastLaneContentType, type createFastLane } from './fast-lane.js';
import type { GatewayContext } from './gateway-context.js';
import { countRefusal } from './gateway-metrics.js';
import { LimitCode, checkOperationLimits, checkVariableLists } from './operation-limits.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Safelist } from './safelist.js';

/** What a request turned out to be, for the access log. */
export interface RequestInfo {
  requestId: string;
  clientIp: string;
  operationName?: string;
  code?: string;
  userId?: string;
}

export interface GraphQLEndpointOptions {
  server: ApolloServer<GatewayContext>;
  config: GatewayConfig;
  verifyUserToken: UserTokenVerifier;
  rateLimiter?: RateLimiter;
  safelist?: Safelist;
  /** Answers requests Apollo Server already let through, without its pipeline (fast-lane.ts). */
  fastLane?: FastLane;
  /** Requests without a token run as ANONYMOUS_VIEWER (GATEWAY_ANONYMOUS, never in production). */
  anonymous?: boolean;
}

/** Who a request without a token is in anonymous mode: no company, no role. */
export const ANONYMOUS_VIEWER: Viewer = Object.freeze({ userId: 'anonymous', companyId: 'anonymous', roles: [] });

interface Params {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
  documentId?: unknown;
}

type FastLane = ReturnType<typeof createFastLane>;

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
/** Failures the GraphQL over HTTP spec answers with 200 to legacy `application/json` clients. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'QUERY_PLANNING_FAILED']);

function wantsGraphQLResponse(request: IncomingMessage): boolean {
  return request.headers.accept?.includes(GRAPHQL_RESPONSE) ?? false;
}

function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  info: RequestInfo,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  info.code = code;
  countRefusal(code);
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  const type = wantsGraphQLResponse(request) ? GRAPHQL_RESPONSE : 'application/json';
  response.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

function paramsFromSearch(search: string): Params {
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

export function createGraphQLEndpoint(options: GraphQLEndpointOptions) {
  const { server, config, verifyUserToken, rateLimiter, safelist, fastLane, anonymous } = options;
  const limits = config.limits;

  return async (request: IncomingMessage, response: ServerResponse, info: RequestInfo): Promise<void> => {
    const method = (request.method ?? 'GET').toUpperCase();
    let raw: Buffer;
    try {
      raw = method === 'POST' ? await readBody(request, config.maxBodyBytes) : Buffer.alloc(0);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      // Do not read the rest of an oversized body: answer and close.
      response.setHeader('connection', 'close');
      return refuse(request, response, info, 413, 'PAYLOAD_TOO_LARGE', error.message);
    }

    const url = request.url ?? '/';
    const queryIndex = url.indexOf('?');
    let search = queryIndex >= 0 ? url.slice(queryIndex) : '';
    let body: unknown = undefined;
    let params: Params | undefined;
    if (raw.length > 0) {
      const contentType = request.headers['content-type'] ?? '';
      if (contentType.includes('json')) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return refuse(request, response, info, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
        }
        if (Array.isArray(body)) {
          // Refused, but it still drains the caller's bucket as that many requests would.
          await rateLimiter?.take([{ key: `ip:${info.clientIp}`, ...config.rateLimit.ip, cost: Math.min(Math.max(1, body.length), config.rateLimit.ip.burst) }]);
          return refuse(request, response, info, 400, 'BATCHING_NOT_SUPPORTED', 'Batched operations are not accepted: send one operation per request');
        }
        if (body && typeof body === 'object') params = body as Params;
      } else {
        body = raw.toString('utf8');
      }
    } else if (method === 'GET') {
      params = paramsFromSearch(search);
    }

    if (params && typeof params.operationName === 'string') info.operationName = params.operationName.slice(0, 100);

    if (safelist && params) {
      const text = safelist.resolve(params);
      if (text === undefined) {
        return refuse(request, response, info, 400, 'PERSISTED_QUERY_NOT_FOUND', 'Only persisted operations of the safelist are accepted here');
      }
      if (params.query !== text) {
        const { documentId: _documentId, extensions, ...rest } = params;
        const { persistedQuery: _persisted, ...otherExtensions } = (extensions ?? {}) as Record<string, unknown>;
        params = { ...rest, query: text, ...(Object.keys(otherExtensions).length > 0 && { extensions: otherExtensions }) };
        if (method === 'GET') search = `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))}`;
        else body = params;
      }
    }

    let weight = 1;
    if (params && typeof params.query === 'string') {
      const verdict = checkOperationLimits(params.query, limits);
      if (!verdict.ok) {
        // Parse errors follow the GraphQL over HTTP spec (200 for legacy JSON clients); limits are always 4xx.
        const status = verdict.code === LimitCode.PARSE_FAILED && !wantsGraphQLResponse(request) ? 200 : verdict.status;
        return refuse(request, response, info, status, verdict.code, verdict.message);
      }
      weight = verdict.weight;
      if (params.variables && typeof params.variables === 'object') {
        const lists = checkVariableLists(params.variables, limits);
        if (lists && !lists.ok) return refuse(request, response, info, lists.status, lists.code, lists.message);
      }
    }

    const token = bearerToken(request.headers.authorization);
    let viewer: Viewer;
    try {
      if (!token && !anonymous) throw new Error('Authentication required: send a valid Bearer token');
      viewer = token ? await verifyUserToken(token) : ANONYMOUS_VIEWER;
    } catch (error) {
      await rateLimiter?.take([{ key: `ip:${info.clientIp}`, ...config.rateLimit.ip, cost: 1 }]);
      return refuse(request, response, info, 401, 'UNAUTHENTICATED', (error as Error).message, { 'www-authenticate': 'Bearer' });
    }
    info.userId = viewer.userId;

    if (rateLimiter) {
      const decision = await rateLimiter.take([
        // An operation heavier than a whole bucket costs the whole bucket, rather than being refused forever.
        { key: `ip:${info.clientIp}`, ...config.rateLimit.ip, cost: Math.min(weight, config.rateLimit.ip.burst) },
        { key: `user:${viewer.companyId}:${viewer.userId}`, ...config.rateLimit.user, cost: Math.min(weight, config.rateLimit.user.burst) },
      ]);
      if (!decision.allowed) {
        return refuse(request, response, info, 429, 'RATE_LIMITED', `Too many requests: retry in ${decision.retryAfterSeconds} s`, {
          'retry-after': String(decision.retryAfterSeconds),
        });
      }
    }

    const context: GatewayContext = { viewer, requestId: info.requestId };
    if (fastLane && method === 'POST' && params && typeof params.query === 'string' && params.extensions === undefined && params.documentId === undefined) {
      const { operationName, variables } = params;
      const contentType = fastLaneContentType(request.headers.accept);
      const isJson = /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
      if (
        contentType && isJson &&
        (operationName === undefined || typeof operationName === 'string') &&
        (variables === undefined || (typeof variables === 'object' && variables !== null && !Array.isArray(variables)))
      ) {
        const lane = { query: params.query, operationName, variables: variables as Record<string, unknown> | undefined, contentType };
        if (await fastLane(lane, context, response)) return;
      }
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search, body },
      context: async () => context,
    });
    let status = result.status ?? 200;
    const contentType = result.headers.get('content-type') ?? '';
    if (status === 400 && contentType.startsWith('application/json') && result.body.kind === 'complete') {
      const answer = JSON.parse(result.body.string) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      const code = answer.errors?.[0]?.extensions?.code;
      if (code) info.code = code;
      if (answer.data === undefined && code && REQUEST_ERROR_CODES.has(code)) status = 200;
    }
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.statusCode = status;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };
}
