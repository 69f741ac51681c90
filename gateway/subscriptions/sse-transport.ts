/**
 * Subscriptions over Server-Sent Events (graphql-sse, "distinct
 * connections" mode: one request per subscription), for clients that
 * cannot open WebSockets. Same engine, same rules as graphql-ws: a Bearer
 * token (401 otherwise), operation limits, a bounded queue (a client too
 * far behind is disconnected), the stream ends when the token expires.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandler } from 'graphql-sse/lib/use/http';
import { bearerToken, type UserTokenVerifier } from '../../platform/auth/user-token.js';
import type { Viewer } from '../../platform/auth/viewer.js';
import type { SubscriptionEngine } from './subscription-engine.js';
import { onTokenExpiry } from './token-expiry.js';

export interface SseTransportOptions {
  engine: SubscriptionEngine;
  verifyUserToken: UserTokenVerifier;
  /** Bytes a response may hold unsent before its client counts as too slow. Default 1 MiB. */
  maxBufferedBytes?: number;
}

const answer = (status: number, statusText: string, code: string, message: string) =>
  [JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status, statusText, headers: { 'content-type': 'application/json; charset=utf-8' } }] as const;

export function createSseHandler(options: SseTransportOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const { engine, verifyUserToken } = options;
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  return createHandler({
    onSubscribe: async (request, params) => {
      const token = bearerToken(request.headers.get('authorization'));
      let viewer: Viewer;
      try {
        if (!token) throw new Error('Authentication required: send a valid Bearer token');
        viewer = await verifyUserToken(token);
      } catch (error) {
        return answer(401, 'Unauthorized', 'UNAUTHENTICATED', (error as Error).message);
      }
      const response = request.context.res;
      const subscribed = engine.subscribe(viewer, { query: params.query as string, variables: params.variables, operationName: params.operationName }, {
        isBehind: () => response.writableLength > maxBufferedBytes,
        onTooSlow: () => response.destroy(),
      });
      if (!subscribed.ok) return [JSON.stringify({ errors: subscribed.errors }), { status: 400, statusText: 'Bad Request', headers: { 'content-type': 'application/json; charset=utf-8' } }];
      const { stream } = subscribed;
      const cancelExpiry = onTokenExpiry(token!, () => stream.end({ data: null, errors: [{ message: 'Token expired: subscribe again with a fresh token', extensions: { code: 'UNAUTHENTICATED' } }] as never }));
      // In distinct-connections mode graphql-sse does not end the operation when the client leaves: do it here.
      response.once('close', () => {
        cancelExpiry();
        void stream.return();
      });
      return stream;
    },
  });
}
