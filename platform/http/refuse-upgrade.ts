/**
 * An Upgrade asked where none is served. Once a server has an 'upgrade'
 * listener (the WebSocket servers on /graphql), Node hands it every request
 * carrying `Connection: upgrade`, whatever its path or protocol (h2c, a
 * WebSocket at /health/live), and never to the routes. Such a request is
 * answered 400 with a message saying where WebSockets are served, never
 * dropped: the connection closes after the answer, once the client stopped
 * sending (or after a short linger), so that a body still arriving does not
 * reset the connection before the answer was read.
 */
import type { Duplex } from 'node:stream';
import { LINGER_MS } from './unread-body.js';

export function refuseUpgrade(socket: Duplex, servedAt: string): void {
  const body = JSON.stringify({ error: `No protocol upgrade is served here: WebSocket connections (graphql-transport-ws) go to ${servedAt}` });
  socket.on('error', () => socket.destroy());
  // Not flowing once handed to an upgrade listener: read and drop whatever the client still sends.
  socket.resume();
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
  socket.end(
    'HTTP/1.1 400 Bad Request\r\n' + 'content-type: application/json; charset=utf-8\r\n' + `content-length: ${Buffer.byteLength(body)}\r\n` + 'connection: close\r\n\r\n' + body,
  );
}
