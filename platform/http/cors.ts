/**
 * CORS from an allow-list of origins. Allowed origins are echoed back (never
 * `*`: requests carry credentials in `Authorization`); others get no CORS
 * headers at all, so browsers refuse to share the answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_HEADERS = 'authorization, content-type, accept, apollo-require-preflight, x-apollo-operation-name, x-request-id, traceparent, tracestate';

export function createCors(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return {
    /** Sets CORS headers; answers a preflight itself and returns true when it did. */
    handle(request: IncomingMessage, response: ServerResponse): boolean {
      const origin = request.headers.origin;
      const permitted = origin !== undefined && allowed.has(origin);
      if (permitted) {
        response.setHeader('access-control-allow-origin', origin);
        response.setHeader('access-control-expose-headers', 'retry-after, x-request-id');
      }
      if (allowed.size > 0) response.setHeader('vary', 'Origin');
      if (request.method !== 'OPTIONS') return false;
      if (permitted) {
        response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
        response.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
        response.setHeader('access-control-max-age', '600');
      }
      response.writeHead(204).end();
      return true;
    },
  };
}
