/**
 * The streaming core of a forward, shared by the gateway (gateway/forward.ts)
 * and the documents replicas (tus uploads staged on another replica): the
 * request streams to the upstream and its answer back, untouched and
 * unbuffered (files can be large), bar the hop-by-hop headers, which belong
 * to each connection. The upstream is cut when the caller goes away.
 */
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/** The headers that travel end to end. */
export function endToEndHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

/** Streams `request` into `upstream`, then its answer into `response`; rejects when either way fails. */
export async function relayExchange(request: IncomingMessage, upstream: ClientRequest, response: ServerResponse): Promise<void> {
  // The caller left before its answer was through: nothing is waiting for the service's work.
  response.once('close', () => {
    if (!response.writableFinished) upstream.destroy();
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    upstream.once('response', resolve);
    upstream.once('error', reject);
  });
  // When sending the request fails, the caller handles the error; this keeps the
  // same rejection from also surfacing as unhandled (which would end the process).
  answered.catch(() => {});
  await pipeline(request, upstream);
  const answer = await answered;
  response.writeHead(answer.statusCode ?? 502, endToEndHeaders(answer.headers));
  await pipeline(answer, response);
}
