/**
 * The streaming core of a forward, shared by the gateway (gateway/forward.ts)
 * and the documents replicas (tus uploads staged on another replica): the
 * request streams to the upstream and its answer back, untouched and
 * unbuffered (files can be large), bar the hop-by-hop headers, which belong
 * to each connection. The upstream is cut when the caller goes away.
 */
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { awaitingContinue } from './expect-continue.js';
import { endAfterUnreadBody } from './unread-body.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/** The headers that travel end to end. */
export function endToEndHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/**
 * The headers a relayed request goes on with: the end-to-end ones, its body framed as it came. A body that came
 * chunked must be sent chunked: Node frames a GET's (DELETE's, OPTIONS') body with neither Content-Length nor
 * chunked encoding unless told, and the service would read those bytes as the next request on the connection,
 * one the client wrote with the gateway's trust (request smuggling).
 */
export function relayedRequestHeaders(request: IncomingMessage): IncomingHttpHeaders {
  const headers = endToEndHeaders(request.headers);
  if (request.headers['transfer-encoding'] !== undefined && headers['content-length'] === undefined) headers['transfer-encoding'] = 'chunked';
  return headers;
}

/**
 * Streams `request` into `upstream`, and the upstream's answer into `response` as soon as it comes: an upstream
 * may refuse before it took the whole body (a bad signature, a wrong size) and close. Rejects when the upstream
 * fails before answering, or when the answer cannot be relayed.
 */
export async function relayExchange(request: IncomingMessage, upstream: ClientRequest, response: ServerResponse): Promise<void> {
  // The caller left before its answer was through: nothing is waiting for the service's work.
  response.once('close', () => {
    if (!response.writableFinished) upstream.destroy();
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    upstream.once('response', resolve);
    // Kept for the exchange's whole life: sending the rest of a refused body fails (EPIPE) after the answer came.
    upstream.on('error', reject);
  });
  // When sending the request fails, the caller handles the error; this keeps the
  // same rejection from also surfacing as unhandled (which would end the process).
  answered.catch(() => {});
  // Not pipeline(): when sending fails after the upstream answered, pipeline would destroy the caller's
  // connection, which has yet to carry that answer (a 502 or a cut socket instead of the service's 4xx).
  // A caller waiting for 100 Continue (Expect travels on) waits for the upstream's: the body is read, and the
  // caller's 100 sent (expect-continue.ts), once the upstream asks for it; its refusal comes in its place.
  // A body already in whole (or none: a GET that expects 100 all the same) goes on at once.
  if (awaitingContinue(request) && !request.complete) upstream.once('continue', () => request.pipe(upstream));
  else request.pipe(upstream);
  request.on('error', (error) => upstream.destroy(error));
  const answer = await answered;
  // Answered before the whole body came: the rest is not sent on, and the caller's connection closes once it came in.
  const early = !request.complete;
  if (early) {
    request.unpipe(upstream);
    endAfterUnreadBody(request, response);
  }
  response.writeHead(answer.statusCode ?? 502, endToEndHeaders(answer.headers));
  try {
    await pipeline(answer, response);
  } finally {
    if (early) upstream.destroy();
  }
}
