/**
 * How long a request may take to arrive, in place of Node's `requestTimeout`
 * (the whole request within 300 s, whatever it is, which cuts a large upload
 * on a slow link). An ordinary request must be in within `requestTimeoutMs`;
 * an upload (a body streamed under /files/: signed PUTs, tus PATCH and POST)
 * has no total bound but is cut after `uploadIdleTimeoutMs` without a byte.
 * Headers stay bounded by Node's `headersTimeout`. Only the arrival is
 * bounded: long answers (SSE, downloads) and upgraded connections
 * (WebSocket) are not concerned, as with Node's own bound.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { sendJson } from './respond.js';

export interface RequestTimeBounds {
  /** Longest time an ordinary request may take to arrive, body included (0: none). */
  requestTimeoutMs: number;
  /** Longest silence in an upload's body (0: none). */
  uploadIdleTimeoutMs: number;
}

const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** The routes whose bodies are files, of any size: the documents service's and the gateway's relay to it. */
export function isStreamedUpload(request: IncomingMessage): boolean {
  return !BODYLESS_METHODS.has(request.method ?? 'GET') && (request.url ?? '').startsWith('/files/');
}

class RequestTimedOut extends Error {}

/**
 * 408 when nothing was answered yet, then the request fails (and its connection closes): the handler reading
 * it sees an error, as when the client goes away. Destroying the request, not only the socket: once the answer
 * is out, Node no longer fails a request whose connection closes.
 */
function cutOff(request: IncomingMessage, response: ServerResponse): void {
  if (request.complete) return;
  const fail = () => void request.destroy(new RequestTimedOut('the request took too long to arrive'));
  if (response.headersSent || request.socket.destroyed) return fail();
  response.once('finish', fail);
  // Should the answer not drain (the client reads nothing either), the request fails all the same.
  setTimeout(fail, 1000).unref();
  sendJson(response, 408, { error: 'The request took too long to arrive' }, { connection: 'close' });
}

export function boundRequestTime(server: Server, bounds: RequestTimeBounds): void {
  // Node's bound is replaced, not added to: it would cut uploads at the same total time.
  server.requestTimeout = 0;
  // Runs before the server's own handler, whatever that does with the request.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.complete) return;
    if (isStreamedUpload(request)) {
      if (bounds.uploadIdleTimeoutMs <= 0) return;
      // The socket's idle timer: any byte received (or sent) starts it again, without reading the body here.
      // Set through the response so that, once the body is in, silence while it is handled cuts nothing.
      response.setTimeout(bounds.uploadIdleTimeoutMs, () => cutOff(request, response));
      request.once('end', () => request.socket.setTimeout(0));
      return;
    }
    if (bounds.requestTimeoutMs <= 0) return;
    const timer = setTimeout(() => cutOff(request, response), bounds.requestTimeoutMs);
    const clear = () => clearTimeout(timer);
    request.once('end', clear);
    response.once('close', clear);
  });
}
