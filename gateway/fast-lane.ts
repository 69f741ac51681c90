/**
 * The fast lane past Apollo Server, for what most traffic is: a POST of JSON
 * whose exact operation text Apollo Server already let through (parsed,
 * validated, resolved) and our executor runs. Such a request skips Apollo's
 * per-request pipeline and gets the answer Apollo would give: the same
 * executor, errors formatted the same way (formatError, stack traces outside
 * production), the same metrics, the same status and headers. Anything else
 * (a new text, variables that do not coerce, other media types, extensions,
 * GET) returns false and goes through Apollo Server as before.
 */
import type { ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import { formatErrors } from '../platform/graphql/normalize-errors.js';
import { giveBackAnswerBuffer, takeAnswerBuffer } from './answer-buffers.js';
import { answerChunks } from './answer-chunks.js';
import { splicedAnswerBytes } from './spliced-answer-bytes.js';
import type { PlanExecutor } from './execution/plan-executor.js';
import type { GatewayContext } from './gateway-context.js';
import { countErrors, countOperation, countRefusal, gatewayMetrics } from './gateway-metrics.js';
import { answerHead } from './pipeline/answer-status.js';
import { RESPONSE_TOO_LARGE, exceedsBound, tooLargeBody } from './pipeline/response-bound.js';
import { TOO_DEEP_TEXT, isTooDeep } from './unserializable-answer.js';

export { formatErrors };

export interface FastLaneOptions {
  /** The executor of the supergraph serving now (it changes on reload). */
  executor: () => PlanExecutor;
  /** Apollo Server's formatError, as configured in create-gateway.ts. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  includeStacktrace: boolean;
  /** GATEWAY_MAX_RESPONSE_BYTES (pipeline/response-bound.ts); 0: no bound. */
  maxResponseBytes?: number;
  /** Told why an answer could not be serialized (the log); its client gets unserializable-answer.ts's. */
  onTooDeep?: (error: unknown, requestId: string) => void;
}

/** A request the pipeline let through (pipeline/operation-step.ts checked the types of operationName and variables). */
export interface FastLaneRequest {
  query: unknown;
  operationName: unknown;
  variables: unknown;
}

const fastLaneCount = gatewayMetrics.fastLane.series();

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/** The answer's media type for the accept headers this lane serves (Apollo's negotiation for anything else). */
export function fastLaneContentType(accept: string | undefined): string | undefined {
  if (accept === undefined || accept === '*/*' || accept === 'application/json') return JSON_TYPE;
  if (accept === 'application/graphql-response+json') return GRAPHQL_RESPONSE_TYPE;
  return undefined;
}

export function createFastLane(options: FastLaneOptions) {
  /** Serves the request and returns true, or returns false having done nothing. */
  /** `contentType`: the one Apollo would answer with, from the request's accept header (fastLaneContentType). */
  return async (request: FastLaneRequest, contentType: string, context: GatewayContext, response: ServerResponse): Promise<boolean> => {
    if (typeof request.query !== 'string') return false;
    const executor = options.executor();
    const variables = (request.variables ?? undefined) as Record<string, unknown> | undefined;
    const prepared = executor.prepared(request.query, (request.operationName ?? undefined) as string | undefined);
    if (!prepared || executor.coerce(prepared, variables)) return false;
    const started = performance.now();
    fastLaneCount.inc();
    // Its answer may hold subgraph text, which splicedAnswerBytes or answerChunks copies in (execution/raw-json.ts).
    const result = await executor.run(prepared, variables, context, true);
    const errors = result.errors?.length ? result.errors : undefined;
    if (errors) countErrors(errors);
    countOperation(prepared.name, prepared.kind, errors !== undefined, started);
    const answer = { errors: errors && formatErrors(errors, options), data: result.data, extensions: result.extensions };
    // The same status Apollo Server's path gives (pipeline/answer-status.ts): 503 when refused for want of room.
    const head = answerHead(result.data, errors);
    const writeHead = (length: number) => {
      const headers = { 'cache-control': 'no-store', 'content-type': contentType, 'content-length': String(length) };
      response.writeHead(head?.status ?? 200, head ? { ...headers, ...head.headers } : headers);
    };
    let body: string[];
    try {
      const spliced = result.spliced && splicedAnswerBytes(answer, result.spliced);
      if (spliced && !(options.maxResponseBytes && spliced.body.length > options.maxResponseBytes)) {
        // Subgraph text copied into one buffer (spliced-answer-bytes.ts).
        writeHead(spliced.body.length);
        response.end(spliced.body, spliced.release);
        return true;
      }
      spliced?.release?.();
      // Strings, encoded by the socket write itself: a Buffer.from first measured up to ~0.1 ms more in-process on a
      // 114 kB answer with non-ASCII text, an extra pass over it. Several for a large answer (answer-chunks.ts).
      body = answerChunks(answer, result.spliced);
    } catch (error) {
      // A subgraph's value nested past the stack: Apollo Server's path answers the same (unserializable-answer.ts).
      if (!isTooDeep(error)) throw error;
      options.onTooDeep?.(error, context.requestId);
      body = [TOO_DEEP_TEXT];
    }
    if (options.maxResponseBytes && exceedsBound(body, options.maxResponseBytes)) {
      body = [tooLargeBody(options.maxResponseBytes)];
      countRefusal(RESPONSE_TOO_LARGE);
    }
    // With its length known, the head and a one-chunk body leave in one write: without it, Node frames the
    // body in chunked encoding (measuring each chunk all the same), four buffers to one writev per answer.
    // A chunk of as many bytes as characters is ASCII, so its Latin-1 bytes are its UTF-8 ones: the socket then
    // copies it into a buffer of its length, where for UTF-8 it reserves three bytes a character (the 100 kB course
    // list took a fresh 300 kB allocation a write, and its page faults: bench/README-results.md).
    let length = 0;
    const encodings: BufferEncoding[] = [];
    for (const chunk of body) {
      const bytes = Buffer.byteLength(chunk);
      length += bytes;
      encodings.push(bytes === chunk.length ? 'latin1' : 'utf8');
    }
    writeHead(length);
    const buffer = takeAnswerBuffer(length);
    if (buffer) {
      // A large answer: copied into a kept buffer, given back once the socket is done with it (answer-buffers.ts).
      let offset = 0;
      for (let index = 0; index < body.length; index++) offset += buffer.write(body[index]!, offset, encodings[index]!);
      response.end(buffer.subarray(0, offset), () => giveBackAnswerBuffer(buffer));
    } else if (body.length === 1) response.end(body[0], encodings[0]!);
    else {
      // One write to the socket for all the chunks (end() uncorks).
      response.cork();
      for (let index = 0; index < body.length; index++) response.write(body[index]!, encodings[index]!);
      response.end();
    }
    return true;
  };
}
