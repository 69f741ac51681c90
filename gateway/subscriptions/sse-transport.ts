/**
 * Subscriptions over Server-Sent Events, the graphql-sse protocol's
 * "distinct connections" mode (one request per subscription: GET with URL
 * parameters or POST with a JSON body, `accept: text/event-stream`), for
 * clients that cannot open WebSockets. Same engine, same rules as
 * graphql-ws and HTTP (the pipeline's steps: limits, a Bearer token, rate
 * limits, caps), the stream ends when the token expires.
 *
 * Queries (and mutations, by POST) are streamed too (streamed-queries.ts):
 * one `next` event per part of the answer, @defer's parts included, then
 * `complete`; cancelled when the client leaves or the request's time is up.
 *
 * Served by hand rather than through graphql-sse's handler, which pulls
 * every event into an unbounded queue of its own: here events are written
 * straight to the response, and the response's unsent backlog is the
 * client's queue. A client that falls too far behind (more than
 * `maxQueuedEvents` events since the response last drained, or more than
 * `maxBufferedBytes` unsent) gets a last event saying so (extensions.code
 * SUBSCRIBER_TOO_SLOW), the stream completes, and the connection is cut if
 * the client has not read that far within `closeTimeoutMs`.
 *
 * Liveness: SSE gives the client no way to answer, so a gone peer shows
 * only in TCP. A comment line every `keepAliveMs` (which also keeps proxies
 * from timing the stream out); a stream whose bytes have waited unsent for
 * `stallTimeoutMs` (its reader stopped, its buffers are full) is cut; and
 * TCP keep-alive probes (after `keepAliveMs` idle) end the connection of a
 * host that stopped answering between writes. What none of these bounds: a
 * host gone while a write was in flight is given up by the kernel's
 * retransmissions (net.ipv4.tcp_retries2, about 15 min by default), and a
 * proxy that keeps reading but stops forwarding looks alive to the gateway
 * (its own send timeout, nginx's proxy_send_timeout, ends it).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken } from '../../platform/auth/user-token.js';
import { clientIp, type TrustedProxies } from '../../platform/http/client-ip.js';
import { sendGraphQLError, sendJson } from '../../platform/http/respond.js';
import type { Viewer } from '../../platform/auth/viewer.js';
import { edgeRequest, runSteps } from '../pipeline/edge-request.js';
import { requestDeadline } from '../pipeline/request-deadline.js';
import type { GatewayPipeline } from '../pipeline/gateway-pipeline.js';
import { TOO_SLOW_ERROR_CODE } from './close-codes.js';
import { EventMessage } from './event-message.js';
import { formatErrors } from './execute-event.js';
import { readSseParams } from './sse-params.js';
import type { ClientStream } from './client-stream.js';
import type { RunQuery, StreamedQueries } from './streamed-queries.js';
import type { Checked, SubscriptionEngine } from './subscription-engine.js';
import { onTokenExpiry } from './token-expiry.js';

export interface SseTransportOptions {
  engine: SubscriptionEngine;
  pipeline: Pick<GatewayPipeline, 'sse'>;
  /** The gateway's trusted proxies, for the client's address. */
  trust: TrustedProxies;
  /** Events a response may hold unsent (written since it last drained) before its client counts as too slow. Default 100. */
  maxQueuedEvents?: number;
  /** Bytes a response may hold unsent before its client counts as too slow. Default 1 MiB. */
  maxBufferedBytes?: number;
  /** How long a client let go has to read up to the reason before its connection is cut. Default 30 s. */
  closeTimeoutMs?: number;
  /** Comment lines keep proxies from timing the stream out; also the TCP keep-alive idle time. Default 12 s. */
  keepAliveMs?: number;
  /** How long written bytes may wait unsent (the client reads nothing) before the stream is cut. Default 30 s. */
  stallTimeoutMs?: number;
  /** Queries and mutations (streamed-queries.ts); without it only subscriptions are served. */
  queries?: StreamedQueries;
  /** GATEWAY_REQUEST_TIMEOUT_MS, for queries (pipeline/request-deadline.ts). Default 15 s. */
  requestTimeoutMs?: number;
}

const HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // No `connection: keep-alive`: HTTP/1.1 keeps connections by default, and that header made Node keep one open
  // after a finished stream even when the client had asked `Connection: close` (RFC 9112 9.6).
  // Proxies such as nginx must not buffer the stream.
  'x-accel-buffering': 'no',
};
/** A comment: flushes the headers through browsers that wait for a body, and keeps the stream alive. */
const PING = ':\n\n';
const COMPLETE = 'event: complete\ndata:\n\n';

export function createSseHandler(options: SseTransportOptions): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const { engine, pipeline, trust } = options;
  const maxQueuedEvents = options.maxQueuedEvents ?? 100;
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;

  return async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'POST') {
      return sendJson(response, 405, { errors: [{ message: 'Subscribe with GET or POST', extensions: { code: 'BAD_REQUEST' } }] }, { allow: 'GET, POST' });
    }
    const token = bearerToken(request.headers.authorization);
    if (!(request.headers.accept ?? '').includes('text/event-stream')) {
      return sendGraphQLError(response, 406, 'BAD_REQUEST', 'This endpoint streams operations: send accept: text/event-stream');
    }
    const params = await readSseParams(request);
    if (!params.ok) return sendGraphQLError(response, params.status, 'BAD_REQUEST', params.message);
    // The client may leave while the steps wait (a token check, the rate-limit store): its 'close' is
    // seen here, not missed, so that a place reserved for it is given back and nothing starts.
    let gone = false;
    let onGone = () => void (gone = true);
    response.once('close', () => onGone());
    const edge = edgeRequest('sse', clientIp(request, trust), token, params.request);
    const refusal = await runSteps(pipeline.sse, edge);
    const release = edge.release ?? (() => {});
    if (refusal) {
      release();
      return sendJson(response, refusal.status, { errors: [{ message: refusal.message, extensions: { code: refusal.code } }] }, refusal.headers);
    }
    const viewer = edge.viewer!;
    // The safelist may have replaced the text the client sent.
    const subscribeRequest = edge.rewritten ? { ...params.request, query: edge.query as string } : params.request;
    // Also when it left before the listener was there (while its body was read).
    if (gone || response.closed || request.socket.destroyed) return release();
    const query = options.queries?.check(subscribeRequest, { mutations: request.method === 'POST' });
    if (query && !query.ok) {
      release();
      return sendJson(response, query.status ?? 400, { errors: formatErrors(query.errors) }, query.status === 405 ? { allow: 'POST' } : undefined);
    }
    if (query) return streamAnswer(response, query.run, edge.viewer!, options.requestTimeoutMs ?? 15_000).finally(release);
    let checked: Checked;
    try {
      checked = engine.check(subscribeRequest, viewer);
    } catch (error) {
      release();
      throw error;
    }
    if (!checked.ok) {
      release();
      return sendJson(response, 400, { errors: checked.errors });
    }

    response.writeHead(200, HEADERS);
    response.write(PING);
    // Events written since the response last drained: the client's queue.
    let unsent = 0;
    response.on('drain', () => (unsent = 0));
    const write = (chunk: string | Buffer) => {
      if (!response.write(chunk)) unsent++;
    };
    let tooSlow = false;
    let stream: ClientStream;
    try {
      stream = engine.subscribe(viewer, subscribeRequest, checked.plan, {
        deliver: (event) => write(event.sseNext()),
        isBehind: () => unsent >= maxQueuedEvents || response.writableLength > maxBufferedBytes,
        onTooSlow: (reason) => {
          tooSlow = true;
          write(new EventMessage({ errors: [{ message: reason, extensions: { code: TOO_SLOW_ERROR_CODE } }] as never }).sseNext());
        },
        onEnd: release,
      });
    } catch (error) {
      release();
      throw error;
    }
    const keepAliveMs = options.keepAliveMs ?? 12_000;
    const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
    // Node gives the kernel whole seconds, and below one second leaves the system's idle time (two hours).
    request.socket.setKeepAlive(true, Math.max(1_000, keepAliveMs));
    // Since when bytes have waited unsent with no drain: the reader is stalled, or gone behind full buffers.
    let stalledSince: number | undefined;
    response.on('drain', () => (stalledSince = undefined));
    const pinger = setInterval(() => {
      if (response.writableLength === 0) stalledSince = undefined;
      else if ((stalledSince ??= Date.now()) <= Date.now() - stallTimeoutMs) return void response.destroy();
      write(PING);
    }, keepAliveMs);
    const cancelExpiry = onTokenExpiry(token!, () =>
      stream.end(new EventMessage({ data: null, errors: [{ message: 'Token expired: subscribe again with a fresh token', extensions: { code: 'UNAUTHENTICATED' } }] as never })),
    );
    onGone = () => {
      clearInterval(pinger);
      cancelExpiry();
      void stream.return();
    };
    // Ends when the subscription completes, the token expires, the client is let go, or it leaves.
    await stream.next();
    clearInterval(pinger);
    cancelExpiry();
    if (response.destroyed || response.writableEnded) return;
    response.end(COMPLETE);
    if (tooSlow) {
      const cut = setTimeout(() => response.destroy(), options.closeTimeoutMs ?? 30_000);
      cut.unref();
      response.once('close', () => clearTimeout(cut));
    }
  };
}

/** A query's answer, each part a `next` event, then `complete`. */
async function streamAnswer(response: ServerResponse, run: RunQuery, viewer: Viewer, timeoutMs: number): Promise<void> {
  const signal = requestDeadline(response, timeoutMs);
  response.writeHead(200, HEADERS);
  const requestId = response.getHeader('x-request-id');
  for await (const part of run(viewer, typeof requestId === 'string' ? requestId : `sse:${randomUUID()}`, signal)) {
    if (response.destroyed) return; // the client left: returning the parts cancels what still runs
    response.write(`event: next\ndata: ${part.text}\n\n`);
  }
  if (!response.destroyed) response.end(COMPLETE);
}
