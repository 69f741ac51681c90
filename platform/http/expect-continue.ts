/**
 * `Expect: 100-continue` (RFC 9110 §10.1.1). Node answers 100 Continue as
 * soon as the headers are in, before any route looked at them: a client
 * then sends a body the route refuses unread (a bad signature, an unknown
 * path, no token, a Content-Length over the limit). Here the 100 goes out
 * only when the route starts reading the body; a route that answers first
 * sends its final status instead, and the client keeps its body. Requests
 * without the expectation are untouched (Node routes them past this).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

const PENDING = Symbol('100 Continue not sent yet');

type Awaiting = IncomingMessage & { [PENDING]?: ServerResponse; _read: (size: number) => void };

/** The 100 goes out with the first read of the body, unless an answer went out first. */
function continueOnFirstRead(request: IncomingMessage, response: ServerResponse): void {
  const awaiting = request as Awaiting;
  awaiting[PENDING] = response;
  const read = awaiting._read;
  // Every way of consuming a stream (pipe, 'data', 'readable', async iteration) ends in _read.
  awaiting._read = function (this: Awaiting, size: number) {
    awaiting._read = read;
    const pending = awaiting[PENDING];
    awaiting[PENDING] = undefined;
    if (pending && !pending.headersSent) pending.writeContinue();
    return read.call(this, size);
  };
}

/** True while the client waits for 100 Continue before sending the body: an answer now is the one it gets instead. */
export function awaitingContinue(request: IncomingMessage): boolean {
  return (request as Awaiting)[PENDING] !== undefined;
}

/** The body is to be dropped, not read (a refusal): no 100 Continue for it, whatever reads it from here on. */
export function withholdContinue(request: IncomingMessage): void {
  (request as Awaiting)[PENDING] = undefined;
}

/** Serves requests that expect 100-continue through the server's own 'request' listeners, the 100 sent late. */
export function continueWhenRead(server: Server): void {
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    continueOnFirstRead(request, response);
    server.emit('request', request, response);
  });
}
