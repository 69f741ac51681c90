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

/**
 * Ordinary requests whose bodies are still arriving, watched by one sweep per server rather than a timer and
 * two listeners each (about a microsecond and a half per request, on the gateway and on every subgraph). An
 * entry leaves as soon as its request is in (or gone, or answered): at each new request the oldest two are
 * looked at, the finished dropped and a still-arriving one moved to the back, so that under load a finished
 * request is held only until the next one comes, not until a sweep (which would keep it past a scavenge or
 * two and promote it to the old space). The periodic sweep cuts the late and releases the rest when no
 * request comes. Time is counted in sweeps, not read per request: a clock read costs a system call on
 * some virtual machines (0.7 µs on the bench's).
 */
class ArrivingRequests {
  /** Oldest first from `head`; a slot is emptied when its entry leaves or moves to the back. */
  private entries: (ArrivingRequest | undefined)[] = [];
  private head = 0;
  private sweeps = 0;
  /** Sweeps after which an entry is surely past the bound (each comes at least `intervalMs` after the last). */
  private readonly expiresAfter: number;

  constructor(timeoutMs: number, intervalMs: number) {
    this.expiresAfter = Math.ceil(timeoutMs / intervalMs) + 1;
  }

  add(request: IncomingMessage, response: ServerResponse): void {
    const { entries } = this;
    entries.push({ request, response, sweep: this.sweeps });
    for (let looked = 0; looked < 2 && this.head < entries.length - 1; looked++) {
      const index = this.head++;
      const entry = entries[index];
      entries[index] = undefined;
      if (entry && !settled(entry)) entries.push(entry);
    }
    if (this.head >= 64 && this.head * 2 >= entries.length) this.compact();
  }

  /** Cuts the requests past their deadline and forgets the finished ones. */
  sweep(): void {
    this.sweeps++;
    const { entries } = this;
    for (let index = this.head; index < entries.length; index++) {
      const entry = entries[index];
      if (!entry) continue;
      if (settled(entry)) entries[index] = undefined;
      else if (this.sweeps - entry.sweep >= this.expiresAfter) {
        entries[index] = undefined;
        cutOff(entry.request, entry.response);
      }
    }
    this.compact();
  }

  private compact(): void {
    const { entries } = this;
    let kept = 0;
    for (let index = this.head; index < entries.length; index++) {
      const entry = entries[index];
      if (entry) entries[kept++] = entry;
    }
    entries.length = kept;
    this.head = 0;
  }
}

interface ArrivingRequest {
  request: IncomingMessage;
  response: ServerResponse;
  /** The sweep it came after. */
  sweep: number;
}

/** In, gone, or answered (the old per-request timer was cleared on the response's close). */
function settled({ request, response }: ArrivingRequest): boolean {
  return request.complete || request.destroyed || response.closed;
}

/** How often the sweep looks: a late request is cut within two of these (a quarter of its bound, at most a second) past it. */
function sweepInterval(timeoutMs: number): number {
  return Math.min(1000, Math.max(50, Math.floor(timeoutMs / 4)));
}

export function boundRequestTime(server: Server, bounds: RequestTimeBounds): void {
  // Node's bound is replaced, not added to: it would cut uploads at the same total time.
  server.requestTimeout = 0;
  const intervalMs = sweepInterval(bounds.requestTimeoutMs);
  const arriving = bounds.requestTimeoutMs > 0 ? new ArrivingRequests(bounds.requestTimeoutMs, intervalMs) : undefined;
  if (arriving) {
    const sweeper = setInterval(() => arriving.sweep(), intervalMs).unref();
    server.once('close', () => clearInterval(sweeper));
  }
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
    arriving?.add(request, response);
  });
}
