/**
 * An answer sent before the request's body was read (a refusal of an upload,
 * a forwarded service's early answer) goes out at once, but its connection
 * closes only once the rest of the body came in (and was dropped), or after
 * a short linger. Closing a socket with bytes still arriving makes TCP reset
 * the connection, and a peer still sending (a client, or the gateway
 * streaming an upload to a service) then loses the answer it had not read
 * yet: it sees a reset or a 502 instead of the 4xx and its message.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withholdContinue } from './expect-continue.js';

/** Long enough for a peer to read the answer and stop sending; short enough that a refused upload does not keep a socket. */
export const LINGER_MS = 2000;

/** Call before answering: `response.end()` takes effect when the body has come in, or after `lingerMs`. */
export function endAfterUnreadBody(request: IncomingMessage, response: ServerResponse, lingerMs = LINGER_MS): void {
  if (request.complete) return;
  // A client waiting for 100 Continue gets this answer instead, and need not send its body.
  withholdContinue(request);
  // The connection cannot carry another request: what is left of this one is not read as a request.
  response.setHeader('connection', 'close');
  request.resume();
  const end = response.end.bind(response) as () => ServerResponse;
  let bodyDone = false;
  let ended = false;
  const release = () => {
    if (bodyDone) return;
    bodyDone = true;
    clearTimeout(timer);
    if (ended) end();
  };
  const timer = setTimeout(release, lingerMs);
  request.once('end', release);
  request.once('close', release);
  type EndArgs = [chunk?: unknown, encoding?: unknown, callback?: unknown];
  response.end = ((...args: EndArgs) => {
    const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    const [chunk, encoding] = typeof args[0] === 'function' ? [] : args;
    if (chunk !== undefined && chunk !== null) response.write(chunk as string | Uint8Array, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    if (callback) response.once('finish', callback);
    ended = true;
    if (bodyDone) end();
    return response;
  }) as ServerResponse['end'];
}

/**
 * For a handler that reads the body or not as it decides (a library's): should it answer before the body came in,
 * its `end` waits for the rest (dropped), or `lingerMs`, as endAfterUnreadBody's does. The connection then closes.
 */
export function endAfterBodyIfAnsweredEarly(request: IncomingMessage, response: ServerResponse, lingerMs = LINGER_MS): void {
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.end = ((...args: unknown[]) => {
    response.end = end as ServerResponse['end'];
    if (request.complete || request.destroyed) return end(...args);
    // What the handler left unread is not its any more.
    request.unpipe();
    request.resume();
    const timer = setTimeout(finish, lingerMs);
    request.once('end', finish);
    request.once('close', finish);
    let finished = false;
    function finish() {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      end(...args);
    }
    return response;
  }) as ServerResponse['end'];
}
