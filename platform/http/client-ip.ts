import type { IncomingMessage } from 'node:http';

/**
 * The client's address: the socket's peer, or, behind a trusted proxy, the
 * first address of `X-Forwarded-For` (the one the proxy saw connecting).
 */
export function clientIp(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
