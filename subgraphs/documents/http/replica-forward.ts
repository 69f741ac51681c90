/**
 * A tus request for an upload staged on another documents replica is
 * streamed to that replica and its answer back, untouched (the token goes
 * along and is checked there again). Answers false when the replica cannot
 * be reached (it stopped, and its staged bytes with it), before any byte of
 * the answer was sent.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { relayedRequestHeaders, relayExchange } from '../../../platform/http/relay-exchange.js';

/** Marks a forwarded request: the replica receiving it handles it itself, never forwards it again. A client's copy is dropped by the gateway (gateway/internal-headers.ts). */
export const FORWARDED_HEADER = 'x-bheem-tus-forwarded';
const CONNECT_TIMEOUT_MS = 5000;

export async function forwardToReplica(replicaUrl: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const target = new URL(replicaUrl);
  const upstream = http.request({
    hostname: target.hostname,
    port: target.port,
    method: request.method,
    path: request.url,
    headers: { ...relayedRequestHeaders(request), host: target.host, [FORWARDED_HEADER]: '1' },
  });
  // Only connecting is bounded: storing a large file after the last PATCH may keep the answer a while.
  const connecting = setTimeout(() => upstream.destroy(new Error('the replica did not answer the connection')), CONNECT_TIMEOUT_MS);
  upstream.once('socket', (socket) => (socket.connecting ? socket.once('connect', () => clearTimeout(connecting)) : clearTimeout(connecting)));
  try {
    await relayExchange(request, upstream, response);
    return true;
  } catch {
    if (response.headersSent) {
      response.destroy();
      return true;
    }
    return false;
  } finally {
    clearTimeout(connecting);
  }
}
