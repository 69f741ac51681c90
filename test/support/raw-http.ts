/**
 * HTTP/1.1 requests written byte for byte on a socket, for what fetch and
 * node:http refuse to send (duplicate or garbled headers, a Content-Length
 * that lies, invalid bytes, a method without a route), and the answer read
 * back as the client sees it: a status with its headers and body, or the
 * connection dropped without one. Every request asks `Connection: close`,
 * so the answer ends with the connection.
 */
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** The request target as written on the request line (path and query, unencoded by us). */
  target: string;
  /** In order, duplicates allowed; values may be bytes (invalid UTF-8). Host and Connection are added. */
  headers?: [string, string | Buffer][];
  body?: Buffer;
  /** The Content-Length written: the body's length by default, a number (a lie) or 'omit'. */
  contentLength?: number | string | 'omit';
}

export type RawOutcome = { status: number; headers: Record<string, string>; body: string } | { dropped: string };

export function encodeRequest(port: number, request: RawRequest): Buffer {
  const body = request.body ?? Buffer.alloc(0);
  const lines: (string | Buffer)[] = [`${request.method} ${request.target} HTTP/1.1\r\n`, `host: 127.0.0.1:${port}\r\n`, 'connection: close\r\n'];
  for (const [name, value] of request.headers ?? []) lines.push(`${name}: `, value, '\r\n');
  const length = request.contentLength ?? (body.length > 0 || !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(request.method) ? body.length : 'omit');
  if (length !== 'omit') lines.push(`content-length: ${length}\r\n`);
  lines.push('\r\n', body);
  return Buffer.concat(lines.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
}

/** The first final answer in `bytes` (1xx interim answers skipped), or null when it is not whole. */
function parseAnswer(bytes: Buffer, method: string): RawOutcome | null {
  let start = 0;
  for (;;) {
    const end = bytes.indexOf('\r\n\r\n', start);
    if (end < 0) return null;
    const [statusLine, ...fields] = bytes.subarray(start, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
    if (!status) return { dropped: `not an HTTP answer: ${JSON.stringify(statusLine)}` };
    if (status < 200) {
      start = end + 4;
      continue;
    }
    const headers: Record<string, string> = {};
    for (const field of fields) {
      const colon = field.indexOf(':');
      headers[field.slice(0, colon).trim().toLowerCase()] = field.slice(colon + 1).trim();
    }
    let body = bytes.subarray(end + 4);
    if (method === 'HEAD' || status === 204 || status === 304) body = Buffer.alloc(0);
    else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
    else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
    return { status, headers, body: body.toString('utf8') };
  }
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/**
 * Sends `request` and reads until the server closes. `hangMs` bounds a hang (no answer, connection kept open):
 * not a speed limit, the outcome then says it hung.
 */
export function exchange(port: number, request: RawRequest, hangMs = 120_000): Promise<RawOutcome> {
  return heldExchange(port, request, { hangMs }).outcome;
}

/**
 * As `exchange`, with only the first `sendBytes` of the body sent at once (a client still sending, or stalled):
 * `rest()` sends the others. The outcome comes whenever the server answers and closes.
 */
export function heldExchange(port: number, request: RawRequest, { hangMs = 120_000, sendBytes }: { hangMs?: number; sendBytes?: number } = {}) {
  const chunks: Buffer[] = [];
  const socket = net.connect(port, '127.0.0.1');
  const encoded = encodeRequest(port, request);
  const held = sendBytes === undefined ? 0 : Math.max(0, (request.body?.length ?? 0) - sendBytes);
  const outcome = new Promise<RawOutcome>((resolve) => {
    const done = (answer: RawOutcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(parseAnswer(Buffer.concat(chunks), request.method) ?? { dropped: `hung: no answer after ${hangMs} ms` }), hangMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after a whole answer (the server closing with bytes unread) still counts as that answer.
    const settle = (reason: string) => done(parseAnswer(Buffer.concat(chunks), request.method) ?? { dropped: reason });
    socket.on('error', (error) => settle(`connection error: ${error.message}`));
    socket.on('close', () => settle('closed without an answer'));
    socket.write(encoded.subarray(0, encoded.length - held));
  });
  const rest = () => {
    if (held > 0 && !socket.destroyed) socket.write(encoded.subarray(encoded.length - held));
  };
  return { outcome, rest };
}
