/**
 * HTTP/1.1 to one subgraph over plain TCP, for what the gateway's fetches
 * are: a POST whose head and body leave in one write on a kept-alive socket,
 * and an answer read whole. undici's Pool did the same at ~100 k instructions
 * a fetch of a one-fetch operation's ~450 k (its Request and header checks,
 * its queue and two `setImmediate`s a request, its llhttp in WebAssembly and
 * the callbacks around it: bench/README-results.md, session 28); this reads a
 * Node server's answers (status line, a few headers, a body framed by
 * Content-Length or chunked, or up to the close) in a few string searches.
 *
 * What undici's Pool gave and this keeps: up to `connections` sockets, the
 * rest queued in order; sockets kept alive for `keepAliveTimeoutMs`, or less
 * when the subgraph's `Keep-Alive: timeout=` says so (less a margin, as
 * undici's threshold); a socket the subgraph closes, or sends anything on
 * while idle, is dropped; a time bound on the connection, on the answer's
 * head, and on silence within its body; answers past `maxResponseBytes`
 * refused; a request cancelled by its signal before it is sent is never
 * sent, during its exchange its socket is destroyed. Errors carry undici's
 * codes (the caller's retry and messages read them): `UND_ERR_SOCKET` for a
 * socket closed before the answer, `UND_ERR_CONNECT_TIMEOUT`,
 * `UND_ERR_HEADERS_TIMEOUT`, `UND_ERR_BODY_TIMEOUT`,
 * `UND_ERR_RES_EXCEEDED_MAX_SIZE`, the system's for the rest (ECONNREFUSED).
 * Time is counted in sweeps of one interval timer per client, as
 * platform/http/request-time-bounds.ts does, not read per request.
 */
import net from 'node:net';
import type { CancelSignal } from './cancellation.js';

export interface SubgraphHttpOptions {
  /** http: origin and path of the subgraph. */
  url: URL;
  connections: number;
  keepAliveTimeoutMs: number;
  connectTimeoutMs: number;
  /** Bound on the wait for the answer's head, and on each silence within its body. */
  answerTimeoutMs: number;
  /** Largest answer body read (0: no bound). */
  maxResponseBytes: number;
}

/** Told of the exchange's end, once. `chunks` hold the body's bytes (`length` in all); they are the handler's. */
export interface ExchangeHandler {
  onComplete(statusCode: number, chunks: Buffer[], length: number): void;
  onError(error: Error): void;
}

export class SubgraphHttpError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** undici's margin below the server's keep-alive hint: a socket is not reused when the server may be closing it. */
const KEEP_ALIVE_MARGIN_MS = 2_000;
const CRLF2 = '\r\n\r\n';

class Exchange {
  onAbort: (() => void) | undefined = undefined;
  connection: Connection | undefined = undefined;

  constructor(
    readonly head: string,
    readonly body: Buffer,
    readonly signal: CancelSignal | undefined,
    readonly handler: ExchangeHandler,
  ) {}
}

/** What the connection reads next: the head (status line and headers), a body by length, chunked, or up to the close. */
const HEAD = 0;
const LENGTH = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
/** The CRLF after a chunk's data. */
const CHUNK_END = 4;
const TRAILERS = 5;
const UNTIL_CLOSE = 6;

class Connection {
  readonly socket: net.Socket;
  exchange: Exchange | undefined = undefined;
  connected = false;
  /** The sweep of the last sign of life (connected, bytes in, idle since). */
  sweep: number;
  /** Sweeps an idle socket is kept. */
  idleSweeps: number;
  private state = HEAD;
  /** Bytes of a head or chunk-size line not yet complete. */
  private pending: Buffer | undefined = undefined;
  private statusCode = 0;
  /** Body bytes still to come of the length or the chunk being read. */
  private remaining = 0;
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private keepAlive = true;

  constructor(private readonly client: SubgraphHttpClient) {
    this.sweep = client.sweeps;
    this.idleSweeps = client.idleSweeps;
    const { url } = client.options;
    this.socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80), noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 });
    this.socket.on('connect', () => {
      this.connected = true;
      this.sweep = this.client.sweeps;
      if (this.exchange) this.write(this.exchange);
      else this.client.released(this);
    });
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('end', () => (this.state === UNTIL_CLOSE && this.exchange ? this.finish() : this.socket.destroy()));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => {
      this.fail(new SubgraphHttpError('UND_ERR_SOCKET', 'other side closed'));
      this.client.closed(this);
    });
  }

  /** Sends `exchange` on this connection (connected now or once it is). */
  start(exchange: Exchange): void {
    this.exchange = exchange;
    exchange.connection = this;
    this.sweep = this.client.sweeps;
    this.state = HEAD;
    this.statusCode = 0;
    this.length = 0;
    this.keepAlive = true;
    this.socket.ref();
    if (this.connected) this.write(exchange);
  }

  private write(exchange: Exchange): void {
    const headLength = exchange.head.length;
    // Head and body in one buffer, one write: the head is ASCII (the client checks what it puts in it).
    const bytes = Buffer.allocUnsafe(headLength + exchange.body.length);
    bytes.write(exchange.head, 0, headLength, 'latin1');
    exchange.body.copy(bytes, headLength);
    this.socket.write(bytes);
  }

  private read(received: Buffer): void {
    if (!this.exchange) {
      // Bytes nobody asked for on an idle socket: it cannot be trusted with a request (GHSA-35p6-xmwp-9g52).
      this.socket.destroy();
      return;
    }
    this.sweep = this.client.sweeps;
    // A head or a chunk's size line split across reads: its start was held (rare; a Node server writes its head whole).
    const chunk = this.pending === undefined ? received : Buffer.concat([this.pending, received]);
    this.pending = undefined;
    let at = 0;
    while (at < chunk.length && this.exchange) {
      switch (this.state) {
        case HEAD: {
          const end = chunk.indexOf(CRLF2, at, 'latin1');
          if (end < 0) return this.hold(chunk, at);
          at = this.head(chunk.toString('latin1', at, end), end + 4);
          if (at < 0) return;
          break;
        }
        case TRAILERS: {
          // No trailer: the CRLF right away; else header lines, then an empty one.
          if (chunk.length - at < 2) return this.hold(chunk, at);
          const end = chunk[at] === 13 && chunk[at + 1] === 10 ? at + 2 : chunk.indexOf(CRLF2, at, 'latin1');
          if (end < 0) return this.hold(chunk, at);
          // Bytes past the answer were not asked for: the socket is not reused.
          if ((end === at + 2 ? end : end + 4) < chunk.length) this.keepAlive = false;
          return this.finish();
        }
        case CHUNK_SIZE: {
          const end = chunk.indexOf('\r\n', at, 'latin1');
          if (end < 0) return this.hold(chunk, at);
          const line = chunk.toString('latin1', at, end);
          at = end + 2;
          const extension = line.indexOf(';');
          const digits = (extension < 0 ? line : line.slice(0, extension)).trim();
          if (!/^[0-9a-fA-F]{1,12}$/.test(digits)) return this.broken('an invalid chunk size');
          const size = Number.parseInt(digits, 16);
          if (size === 0) this.state = TRAILERS;
          else {
            this.remaining = size;
            this.state = CHUNK_DATA;
          }
          break;
        }
        case CHUNK_DATA:
        case LENGTH: {
          const taken = Math.min(this.remaining, chunk.length - at);
          if (!this.take(at === 0 && taken === chunk.length ? chunk : chunk.subarray(at, at + taken))) return;
          at += taken;
          this.remaining -= taken;
          if (this.remaining > 0) return;
          if (this.state === LENGTH) {
            // Bytes past the answer were not asked for: the socket is not reused.
            if (at < chunk.length) this.keepAlive = false;
            return this.finish();
          }
          this.state = CHUNK_END;
          this.remaining = 2;
          break;
        }
        case CHUNK_END: {
          // The CRLF closing a chunk's data, possibly split across reads.
          const taken = Math.min(this.remaining, chunk.length - at);
          at += taken;
          this.remaining -= taken;
          if (this.remaining === 0) this.state = CHUNK_SIZE;
          break;
        }
        case UNTIL_CLOSE:
          this.take(at === 0 ? chunk : chunk.subarray(at));
          return;
      }
    }
  }

  /** Holds the unfinished line from `at` for the next read (a copy: the chunk may be a slice of a larger buffer). */
  private hold(chunk: Buffer, at: number): void {
    if (chunk.length - at > 64 * 1024) return this.broken('a head longer than 64 kB');
    this.pending = Buffer.from(chunk.subarray(at));
  }

  /** Reads a head's text (status line, headers); returns `at` (where its body starts), or the chunk's end once the exchange is over. */
  private head(text: string, at: number): number {
    if (!text.startsWith('HTTP/1.') || (text.length > 12 && text.charCodeAt(12) !== 32)) return (this.broken('not an HTTP/1 answer'), -1);
    const statusCode = Number(text.slice(9, 12));
    if (!(statusCode >= 100 && statusCode <= 999)) return (this.broken('no status code'), -1);
    let contentLength = -1;
    let chunked = false;
    let keepAlive = !text.startsWith('HTTP/1.0');
    let keepAliveHintMs = -1;
    let line = text.indexOf('\r\n');
    while (line >= 0) {
      const start = line + 2;
      const next = text.indexOf('\r\n', start);
      const colon = text.indexOf(':', start);
      const end = next < 0 ? text.length : next;
      line = next;
      if (colon < 0 || colon > end) continue;
      const nameLength = colon - start;
      // Only four headers matter: their names are compared only when the length is one of theirs.
      if (nameLength !== 14 && nameLength !== 17 && nameLength !== 10) continue;
      const name = text.slice(start, colon).toLowerCase();
      const value = text.slice(colon + 1, end).trim();
      if (name === 'content-length') {
        if (!/^\d+$/.test(value) || (contentLength >= 0 && Number(value) !== contentLength)) return (this.broken('invalid Content-Length'), -1);
        contentLength = Number(value);
      } else if (name === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      else if (name === 'connection') {
        // Node writes `keep-alive` or `close`; a list is read by the patterns.
        if (value === 'close') keepAlive = false;
        else if (value !== 'keep-alive') keepAlive = !/(?:^|,)\s*close\s*(?:,|$)/i.test(value) && (keepAlive || /keep-alive/i.test(value));
        else keepAlive = true;
      } else if (name === 'keep-alive') {
        const timeout = /timeout\s*=\s*(\d+)/i.exec(value);
        if (timeout) keepAliveHintMs = Number(timeout[1]) * 1000;
      }
    }
    if (statusCode < 200) {
      // An informational answer (100 Continue, 103): the real one follows. 101 would switch protocols: not asked for.
      if (statusCode === 101) return (this.broken('an unasked protocol switch'), -1);
      return at;
    }
    this.statusCode = statusCode;
    this.keepAlive = keepAlive;
    if (keepAliveHintMs >= 0) {
      // A server about to close the socket: not reused (as undici).
      const keptMs = Math.min(this.client.options.keepAliveTimeoutMs, keepAliveHintMs - KEEP_ALIVE_MARGIN_MS);
      const idleSweeps = this.client.idleSweepsWithin(keptMs);
      if (idleSweeps === 0) this.keepAlive = false;
      else this.idleSweeps = idleSweeps;
    }
    const { maxResponseBytes } = this.client.options;
    if (maxResponseBytes > 0 && contentLength > maxResponseBytes) return (this.tooLarge(), -1);
    if (statusCode === 204 || statusCode === 304) {
      this.finish();
      return -1;
    }
    if (chunked) this.state = CHUNK_SIZE;
    else if (contentLength >= 0) {
      this.remaining = contentLength;
      this.state = LENGTH;
      if (contentLength === 0) {
        this.finish();
        return -1;
      }
    } else {
      this.state = UNTIL_CLOSE;
      this.keepAlive = false;
    }
    return at;
  }

  /** Keeps a body chunk; false once the answer is refused. */
  private take(bytes: Buffer): boolean {
    this.length += bytes.length;
    const { maxResponseBytes } = this.client.options;
    if (maxResponseBytes > 0 && this.length > maxResponseBytes) {
      this.tooLarge();
      return false;
    }
    this.chunks.push(bytes);
    return true;
  }

  private tooLarge(): void {
    this.fail(new SubgraphHttpError('UND_ERR_RES_EXCEEDED_MAX_SIZE', 'Response content exceeded max size'));
    this.socket.destroy();
  }

  private broken(why: string): void {
    this.fail(new SubgraphHttpError('HPE_INVALID', `Invalid answer from the subgraph: ${why}`));
    this.socket.destroy();
  }

  /** The answer is whole: handed over, the socket kept for the next request or closed. */
  private finish(): void {
    const exchange = this.exchange!;
    const { chunks, length, statusCode } = this;
    this.exchange = undefined;
    this.pending = undefined;
    this.stopListening(exchange);
    if (this.keepAlive && !this.socket.destroyed) this.client.released(this);
    else this.socket.destroy();
    try {
      exchange.handler.onComplete(statusCode, chunks, length);
    } finally {
      // Emptied in place once read (the handler copies what it keeps): a fresh `[]` an answer is one more allocation.
      chunks.length = 0;
    }
  }

  /** Ends the exchange in flight, if any, with `error`. */
  fail(error: Error): void {
    const exchange = this.exchange;
    if (!exchange) return;
    this.exchange = undefined;
    this.chunks.length = 0;
    this.pending = undefined;
    this.stopListening(exchange);
    exchange.handler.onError(error);
  }

  private stopListening(exchange: Exchange): void {
    exchange.connection = undefined;
    if (exchange.onAbort) exchange.signal!.removeEventListener('abort', exchange.onAbort);
  }

  /** Called every sweep: cuts what took too long. */
  swept(sweeps: number): void {
    const silent = sweeps - this.sweep;
    if (!this.connected) {
      if (silent >= this.client.connectSweeps) {
        this.fail(new SubgraphHttpError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'));
        this.socket.destroy();
      }
    } else if (this.exchange) {
      if (silent >= this.client.answerSweeps) {
        const headers = this.state === HEAD && this.statusCode === 0;
        this.fail(headers ? new SubgraphHttpError('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error') : new SubgraphHttpError('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error'));
        this.socket.destroy();
      }
    } else if (silent >= this.idleSweeps) this.socket.destroy();
  }
}

export class SubgraphHttpClient {
  /** Connections, busy and idle; `idle` holds the idle ones, last used last. */
  private readonly connections = new Set<Connection>();
  private readonly idle: Connection[] = [];
  private readonly queue: Exchange[] = [];
  private readonly requestLine: string;
  private sweeper: NodeJS.Timeout | undefined = undefined;
  private closing: (() => void) | undefined = undefined;
  private closed_ = false;
  sweeps = 0;
  readonly intervalMs: number;
  readonly connectSweeps: number;
  readonly answerSweeps: number;
  readonly idleSweeps: number;

  constructor(readonly options: SubgraphHttpOptions) {
    const { url } = options;
    if (url.protocol !== 'http:') throw new Error(`SubgraphHttpClient speaks plain HTTP, not ${url.protocol}`);
    this.requestLine = `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: keep-alive\r\n`;
    // Cuts within a quarter of the shortest bound past it (a sweep more at most), at most a second late.
    this.intervalMs = Math.max(10, Math.min(1000, Math.floor(Math.min(options.connectTimeoutMs, options.answerTimeoutMs, options.keepAliveTimeoutMs) / 4)));
    this.connectSweeps = this.sweepsFor(options.connectTimeoutMs);
    this.answerSweeps = this.sweepsFor(options.answerTimeoutMs);
    this.idleSweeps = this.idleSweepsWithin(options.keepAliveTimeoutMs);
  }

  /** Sweeps that surely span `ms` (each comes at least an interval after the last, and the first may come at once). */
  sweepsFor(ms: number): number {
    return Math.max(1, Math.ceil(ms / this.intervalMs)) + 1;
  }

  /**
   * Sweeps an idle socket is kept so that it goes within `ms` of its last use on time: a bound on reuse must err
   * short, as the server closes at its own timeout (sweepsFor's rounding up kept a socket up to the server's hint,
   * margin and all, so a request could meet the server's close). Late timers eat into what is left of `ms`.
   * 0: not even one sweep fits, the socket is not kept.
   */
  idleSweepsWithin(ms: number): number {
    return Math.max(0, Math.floor(ms / this.intervalMs));
  }

  /**
   * Sends a POST whose header lines (`name: value\r\n` each, ASCII without control characters: the caller's
   * word) are `headerLines`, and `body`; the handler is told once how it ended.
   */
  request(headerLines: string, body: Buffer, signal: CancelSignal | undefined, handler: ExchangeHandler): void {
    if (this.closed_ || this.closing) return handler.onError(new SubgraphHttpError('UND_ERR_CLOSED', 'The client is closed'));
    if (signal?.aborted) return handler.onError(signal.reason as Error);
    const exchange = new Exchange(`${this.requestLine}${headerLines}content-length: ${body.length}\r\n\r\n`, body, signal, handler);
    if (signal) {
      exchange.onAbort = () => this.abort(exchange);
      signal.addEventListener('abort', exchange.onAbort, { once: true });
    }
    this.sweeper ??= setInterval(() => this.sweep(), this.intervalMs).unref();
    let connection = this.idle.pop();
    // One destroyed this turn is still listed until its 'close'.
    while (connection?.socket.destroyed) connection = this.idle.pop();
    if (connection) return connection.start(exchange);
    if (this.connections.size < this.options.connections) {
      const fresh = new Connection(this);
      this.connections.add(fresh);
      return fresh.start(exchange);
    }
    this.queue.push(exchange);
  }

  private abort(exchange: Exchange): void {
    const reason = exchange.signal!.reason as Error;
    const connection = exchange.connection;
    if (connection) {
      // Under way: its socket goes with it (the answer's rest would be read by the next request).
      connection.fail(reason);
      connection.socket.destroy();
      return;
    }
    const index = this.queue.indexOf(exchange);
    if (index >= 0) this.queue.splice(index, 1);
    exchange.onAbort = undefined;
    exchange.handler.onError(reason);
  }

  /** A connection is free (connected, or done with its answer): the next request waiting, or the idle list. */
  released(connection: Connection): void {
    connection.sweep = this.sweeps;
    connection.idleSweeps = Math.min(connection.idleSweeps, this.idleSweeps);
    const next = this.queue.shift();
    if (next) return connection.start(next);
    // An idle socket does not keep the process alive (as undici's).
    connection.socket.unref();
    if (connection.connected) this.idle.push(connection);
    this.settleClose();
  }

  /** A connection's socket closed: forgotten, and a request waiting gets a new one. */
  closed(connection: Connection): void {
    this.connections.delete(connection);
    const index = this.idle.indexOf(connection);
    if (index >= 0) this.idle.splice(index, 1);
    if (this.queue.length > 0 && !this.closed_) {
      const fresh = new Connection(this);
      this.connections.add(fresh);
      fresh.start(this.queue.shift()!);
    }
    this.settleClose();
  }

  private sweep(): void {
    this.sweeps++;
    for (const connection of this.connections) connection.swept(this.sweeps);
  }

  /** Lets the requests under way and queued finish, then closes every socket. */
  close(): Promise<void> {
    if (this.closed_) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.closing = resolve;
      this.settleClose();
    });
  }

  private settleClose(): void {
    if (!this.closing || this.queue.length > 0) return;
    for (const connection of this.connections) if (connection.exchange) return;
    this.closed_ = true;
    clearInterval(this.sweeper);
    for (const connection of this.connections) connection.socket.destroy();
    const resolve = this.closing;
    this.closing = undefined;
    resolve();
  }
}
