/**
 * Requests Node refuses before any route sees them, answered as routes
 * answer refusals: a status and a JSON message. Left to Node, a request
 * that does not parse (a Content-Length that is not a number, two that
 * differ, a malformed chunk, headers past the size limit) gets a bare
 * 400/431 with no body, an unknown `Expect` a bare 417, and a CONNECT has
 * its connection dropped without an answer. A CONNECT is answered as any
 * method its target path is not served with (405 naming the methods it is,
 * or 404): those of the server's routes, and GRAPHQL_METHODS at the paths
 * it serves GraphQL on outside them (`graphqlPaths`).
 */
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { sendJson } from './respond.js';
import { allowedMethods, GRAPHQL_METHODS, unroutedRefusal } from './router.js';
import type { HttpRoute } from '../subgraph/subgraph-module.js';

/** Node's own choice of status for a parse error (its default `clientError` handling), with a message. */
function refusalOf(code: string | undefined): [number, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'Request headers too large'];
  if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return [413, 'Chunk extensions too large'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'The request took too long to arrive'];
  return [400, `Malformed HTTP request${code?.startsWith('HPE_') ? ` (${code.slice(4).toLowerCase().replace(/_/g, ' ')})` : ''}`];
}

/** A whole answer written on the socket (no response object exists for these), then the connection closed. */
function answerOnSocket(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: message });
  const fields = Object.entries({ 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...headers });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${fields.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${body}`);
}

export function answerProtocolRefusals(server: Server, routes: readonly HttpRoute[], graphqlPaths: readonly string[] = ['/graphql']): void {
  const allowedAt = (pathname: string): readonly string[] => (graphqlPaths.includes(pathname) ? GRAPHQL_METHODS : allowedMethods(routes, pathname));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }) => {
    // As Node does: an answer only on a connection that has carried none (a response under way cannot be interrupted).
    if (error.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) return void socket.destroy();
    const [status, message] = refusalOf(error.code);
    answerOnSocket(socket, status, message);
  });
  server.on('checkExpectation', (_request, response) => sendJson(response, 417, { error: 'Only Expect: 100-continue is understood' }, { connection: 'close' }));
  // No route tunnels: a CONNECT (which Node hands over raw, its connection otherwise dropped) is a method like any other refused.
  server.on('connect', (request, socket: Duplex) => {
    // Its target is mostly an authority (host:port), no path of ours: nothing is served there.
    const pathname = (request.url ?? '').split('?')[0]!;
    const { status, error, headers } = unroutedRefusal('CONNECT', pathname, pathname.startsWith('/') ? allowedAt(pathname) : []);
    answerOnSocket(socket, status, error, headers);
  });
}
