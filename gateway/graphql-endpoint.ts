/**
 * The gateway's /graphql over HTTP: the request is read (http-params.ts),
 * passed through the pipeline's steps (pipeline/gateway-pipeline.ts:
 * safelist, operation limits, the caller's token, rate limits), then
 * answered by the fast lane or by Apollo Server. Every refusal is a
 * GraphQL-shaped error with a stable `extensions.code`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { bearerToken } from '../platform/auth/user-token.js';
import type { GatewayConfig } from '../platform/config.js';
import { awaitingContinue } from '../platform/http/expect-continue.js';
import { endAfterUnreadBody } from '../platform/http/unread-body.js';
import { fastLaneContentType, type createFastLane } from './fast-lane.js';
import type { GatewayContext } from './gateway-context.js';
import { countRefusal } from './gateway-metrics.js';
import { edgeRequest, runSteps, type Refusal, type StepOutcome } from './pipeline/edge-request.js';
import { writeMultipart } from './incremental-http.js';
import { ANSWER_FAILED, answerParts, type InitialPayload } from './incremental-parts.js';
import { MULTIPART_AND_JSON, answerFormats, unacceptable } from './pipeline/answer-formats.js';
import type { GatewayPipeline } from './pipeline/gateway-pipeline.js';
import { readHttpGraphQLRequest } from './pipeline/http-params.js';
import { requestDeadline } from './pipeline/request-deadline.js';
import { RESPONSE_TOO_LARGE, exceedsBound, tooLargeBody } from './pipeline/response-bound.js';
import type { RateLimiter } from './rate-limiter.js';

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
  /** The steps of HTTP requests, and of those with no operation to check (gateway-pipeline.ts). */
  pipeline: Pick<GatewayPipeline, 'http' | 'authenticate'>;
  /** Charged for refused batches before any step runs. */
  rateLimiter?: RateLimiter;
  /** Answers requests Apollo Server already let through, without its pipeline (fast-lane.ts). */
  fastLane?: FastLane;
  /** Errors as Apollo Server formats them (formatError), for @defer's later payloads (incremental-http.ts). */
  formatErrors?: (errors: readonly GraphQLError[]) => GraphQLFormattedError[];
  /** Told of a failure of ours that ended an incremental answer after its status was sent (the log). */
  onFailed?: (error: unknown, requestId: string) => void;
}

type FastLane = ReturnType<typeof createFastLane>;

const GRAPHQL_RESPONSE = 'application/graphql-response+json';
/** Failures the GraphQL over HTTP spec answers with 200 to legacy `application/json` clients. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'QUERY_PLANNING_FAILED', 'OPERATION_NOT_SUPPORTED']);

function wantsGraphQLResponse(request: IncomingMessage): boolean {
  return request.headers.accept?.includes(GRAPHQL_RESPONSE) ?? false;
}

function refuse(request: IncomingMessage, response: ServerResponse, info: RequestInfo, { status, code, message, headers }: Refusal): void {
  info.code = code;
  countRefusal(code);
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  // A 406 cannot be in a type the client refused (`application/graphql-response+json;q=0`): plain JSON.
  const graphqlResponse = status !== 406 && wantsGraphQLResponse(request);
  // Parse errors and bad input follow the GraphQL over HTTP spec (200 for legacy JSON clients); limits are always 4xx.
  const answered = !graphqlResponse && status === 400 && (code === 'GRAPHQL_PARSE_FAILED' || code === 'BAD_USER_INPUT') ? 200 : status;
  const type = graphqlResponse ? GRAPHQL_RESPONSE : 'application/json';
  response.writeHead(answered, { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

export function createGraphQLEndpoint(options: GraphQLEndpointOptions) {
  const { server, config, pipeline, rateLimiter, fastLane, formatErrors = () => [], onFailed } = options;

  /** A caller without a valid token learns it before it sends its body, not after (RFC 9110 §10.1.1). */
  const refusedBeforeBody = async (request: IncomingMessage, response: ServerResponse, info: RequestInfo): Promise<boolean> => {
    const refusal = await runSteps(pipeline.authenticate, edgeRequest('http', info.clientIp, bearerToken(request.headers.authorization), {}));
    if (!refusal) return false;
    endAfterUnreadBody(request, response);
    refuse(request, response, info, refusal);
    return true;
  };

  return async (request: IncomingMessage, response: ServerResponse, info: RequestInfo): Promise<void> => {
    if (awaitingContinue(request) && (await refusedBeforeBody(request, response, info))) return;
    const read = await readHttpGraphQLRequest(request, config, rateLimiter, info.clientIp);
    if ('code' in read) return refuse(request, response, info, read);
    const { method, params } = read;
    let { search, body } = read;
    if (params && typeof params.operationName === 'string') info.operationName = params.operationName.slice(0, 100);

    const edge = edgeRequest('http', info.clientIp, bearerToken(request.headers.authorization), params ?? {});
    // No GraphQL request to check (an empty POST, another media type): only the caller can be, and must be; Apollo answers the rest.
    const refused = runSteps(params ? pipeline.http : pipeline.authenticate, edge);
    const refusal: StepOutcome = refused instanceof Promise ? await refused : refused;
    if (refusal) return refuse(request, response, info, refusal);
    const viewer = edge.viewer!;
    info.userId = viewer.userId;
    if (edge.rewritten && params) {
      // Absent stays absent: Apollo refuses `variables: undefined` in a body.
      const entries = Object.entries({ query: edge.query, variables: edge.variables, operationName: edge.operationName, extensions: edge.extensions }).filter(
        ([, v]) => v !== undefined,
      );
      if (method === 'GET') search = `?${new URLSearchParams(entries.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))}`;
      else body = Object.fromEntries(entries);
    }

    const formats = answerFormats(request.headers.accept);
    const notAcceptable = unacceptable(formats);
    if (notAcceptable) return refuse(request, response, info, notAcceptable);

    const context: GatewayContext = { viewer, requestId: info.requestId, signal: requestDeadline(response, config.requestTimeoutMs) };
    // A client that reads multipart/mixed gets @defer's parts as they come (never the fast lane: its accept is not JSON's).
    if (formats.multipart) context.incremental = {};
    if (fastLane && method === 'POST' && typeof edge.query === 'string' && edge.extensions === undefined && edge.documentId === undefined) {
      const contentType = fastLaneContentType(request.headers.accept);
      const isJson = /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
      // The operation step checked operationName and variables; null is as good as absent.
      if (contentType && isJson && (await fastLane(edge, contentType, context, response))) return;
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    // Apollo Server writes an answer without @defer as JSON only: one part of multipart/mixed below instead.
    if (!formats.json) headers.set('accept', MULTIPART_AND_JSON);
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
    const rest = context.incremental?.rest;
    if ((rest || !formats.json) && result.body.kind === 'complete') {
      const onTooLarge = () => {
        info.code = RESPONSE_TOO_LARGE;
        countRefusal(RESPONSE_TOO_LARGE);
      };
      const failed = (error: unknown) => {
        info.code = ANSWER_FAILED;
        onFailed?.(error, info.requestId);
      };
      const initial = JSON.parse(result.body.string) as InitialPayload;
      return writeMultipart(response, status, answerParts(initial, rest, { formatErrors, maxBytes: config.maxResponseBytes, onTooLarge, onFailed: failed }));
    }
    response.statusCode = status;
    if (result.body.kind === 'complete') {
      if (exceedsBound(result.body.string, config.maxResponseBytes)) {
        info.code = RESPONSE_TOO_LARGE;
        countRefusal(RESPONSE_TOO_LARGE);
        response.removeHeader('content-length');
        response.end(tooLargeBody(config.maxResponseBytes));
        return;
      }
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };
}
