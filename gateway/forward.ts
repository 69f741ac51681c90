/**
 * Streams a request to another service and its answer back, untouched (no
 * buffering: files can be large). The upstream gets `timeoutMs` of silence
 * at most (a stalled service cannot hold the caller's connection, 504), and
 * is cut when the caller goes away. A silence while the caller is still
 * sending, with nothing waiting on the service, is the caller's: its own
 * bounds answer it (408 after HTTP_UPLOAD_IDLE_TIMEOUT_MS for an upload,
 * request-time-bounds.ts), as the service would, and not a 504 first.
 * Headers only the platform sets (internal-headers.ts) are dropped on the way in.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientIp, type TrustedProxies } from '../platform/http/client-ip.js';
import { relayedRequestHeaders, relayExchange } from '../platform/http/relay-exchange.js';
import { sendJson } from '../platform/http/respond.js';
import { withoutInternalHeaders } from './internal-headers.js';

export interface ForwardOptions {
  /** The gateway's trusted proxies: the service behind gets one X-Forwarded-For address, the client as the gateway judged it. */
  trust: TrustedProxies;
  /** Longest silence of the upstream (no byte either way) before it is cut. */
  timeoutMs: number;
}

class UpstreamTimeout extends Error {}

export function forwardTo(serviceUrl: string, serviceName: string, { trust, timeoutMs }: ForwardOptions) {
  const target = new URL(serviceUrl);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const upstream = http.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      // A client's copy of a header only the platform sets (internal-headers.ts) goes no further.
      headers: { ...withoutInternalHeaders(relayedRequestHeaders(request)), host: target.host, 'x-forwarded-for': clientIp(request, trust) },
      timeout: timeoutMs,
    });
    upstream.on('timeout', () => {
      // Flowing: being read, nothing held up by the service (not waiting for its 100 Continue, no backpressure).
      // The timer starts again with the next byte either way.
      if (!request.complete && request.readableFlowing === true) return;
      upstream.destroy(new UpstreamTimeout(`no answer within ${timeoutMs} ms`));
    });
    try {
      await relayExchange(request, upstream, response);
    } catch (error) {
      // The service's address stays in the logs, never in the answer.
      if (!response.headersSent)
        sendJson(response, error instanceof UpstreamTimeout ? 504 : 502, {
          error: `The ${serviceName} service is unavailable${error instanceof UpstreamTimeout ? `: ${error.message}` : ''}`,
        });
      else response.destroy();
    }
  };
}
