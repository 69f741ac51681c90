/**
 * Bridges node:http to Apollo Server 5's `executeHTTPGraphQLRequest`, so that
 * gateway and subgraphs share one small HTTP layer with the raw body in hand
 * (needed to verify request signatures) and no framework in between.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { FastPath } from '../subgraph/fast-path.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { sendGraphQLError } from './respond.js';

export interface GraphQLHttpOptions<TContext extends BaseContext> {
  server: ApolloServer<TContext>;
  /** Builds the per-request context (at once, or as a promise); throw a GraphQLError to refuse the request. */
  context: (request: IncomingMessage, rawBody: Buffer, response: ServerResponse) => TContext | Promise<TContext>;
  maxBodyBytes?: number;
  /** Serves the requests it can past Apollo Server's pipeline (platform/subgraph/fast-path.ts). */
  fastPath?: FastPath;
  /** Headers every answer of the handler carries (names in lower case); an answer's own header of the same name wins. */
  answerHeaders?: Readonly<Record<string, string>>;
}

/**
 * The handler's headers, then the answer's, as one flat list for writeHead: with no header set on the response
 * beforehand, Node writes the list as it is, where each setHeader (and writeHead's object merged into them) checks
 * and stores a header of its own. An answer's header replaces the handler's of the same name, as setHeader did.
 */
function headOf(answerHeaders: readonly (readonly [string, string])[], headers: Readonly<Record<string, string>>): string[] {
  const head: string[] = [];
  for (const [name, value] of answerHeaders) if (!hasHeader(headers, name)) head.push(name, value);
  for (const name in headers) head.push(name, headers[name]!);
  return head;
}

/** Whether `headers` names `lowerName`, in any case. */
function hasHeader(headers: Readonly<Record<string, string>>, lowerName: string): boolean {
  for (const name in headers) if (name.toLowerCase() === lowerName) return true;
  return false;
}

/** The request's headers as Apollo Server takes them; built only for the requests its pipeline serves (not the fast path's). */
function headerMapOf(request: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

export function createGraphQLHttpHandler<TContext extends BaseContext>(options: GraphQLHttpOptions<TContext>) {
  const { server, maxBodyBytes = 1_000_000 } = options;
  const answerHeaders = Object.entries(options.answerHeaders ?? {});
  /** For the answers other than the fast path's: set first, then overridden by the answer's own as before. */
  const setAnswerHeaders = (response: ServerResponse) => {
    for (const [name, value] of answerHeaders) response.setHeader(name, value);
  };
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let rawBody: Buffer;
    try {
      rawBody = request.method === 'POST' ? await readBody(request, maxBodyBytes) : Buffer.alloc(0);
    } catch (error) {
      setAnswerHeaders(response);
      if (error instanceof BodyTooLargeError) return sendGraphQLError(response, 413, 'PAYLOAD_TOO_LARGE', error.message);
      throw error;
    }
    let body: unknown = undefined;
    if (rawBody.length > 0) {
      // Node keeps one content-type (a repeated one is dropped), as Apollo's HeaderMap would read it.
      const contentType = request.headers['content-type'] ?? '';
      // Media type names are case-insensitive (RFC 9110 §8.3.1).
      if (/json/i.test(contentType)) {
        try {
          body = JSON.parse(rawBody.toString('utf8'));
        } catch {
          setAnswerHeaders(response);
          return sendGraphQLError(response, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
        }
      } else {
        body = rawBody.toString('utf8');
      }
    }
    // Apollo Server's form: a promise, a refusal as its rejection.
    let context = async () => options.context(request, rawBody, response);
    const fast = options.fastPath?.prepare(request.method, body, request.headers);
    if (fast) {
      let contextValue: TContext | undefined;
      try {
        const made = options.context(request, rawBody, response);
        contextValue = made instanceof Promise ? await made : made;
      } catch (error) {
        // Apollo Server answers a context that failed, as it would have had it built the context itself.
        context = () => Promise.reject(error);
      }
      if (contextValue !== undefined) {
        const answer = await options.fastPath!.execute(fast, contextValue);
        if (answer) {
          response.writeHead(answer.status, headOf(answerHeaders, answer.headers));
          // end(body), not write(body) then end(): Node's write corks the socket as well (until the next tick or
          // end), and counted ~5 k instructions more a fetch (bench/README-results.md, session 28).
          response.end(answer.body);
          return;
        }
        const built = contextValue;
        context = () => Promise.resolve(built);
      }
    }
    const url = request.url ?? '/';
    const queryIndex = url.indexOf('?');
    const result = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: (request.method ?? 'GET').toUpperCase(),
        headers: headerMapOf(request),
        search: queryIndex >= 0 ? url.slice(queryIndex) : '',
        body,
      },
      context,
    });
    setAnswerHeaders(response);
    for (const [name, value] of result.headers) response.setHeader(name, value);
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };
}
