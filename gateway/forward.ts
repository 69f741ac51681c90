/**
 * Streams a request to another service and its answer back, untouched (no
 * buffering: files can be large). The upstream gets `timeoutMs` of silence
 * at most (a stalled service cannot hold the caller's connection, 504), and
 * is cut when the caller goes away.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { clientIp, type TrustedProxies } from '../platform/http/client-ip.js';
import { sendJson } from '../platform/http/respond.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

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
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const upstream = http.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: { ...headers, host: target.host, 'x-forwarded-for': clientIp(request, trust) },
      timeout: timeoutMs,
    });
    upstream.once('timeout', () => upstream.destroy(new UpstreamTimeout(`no answer within ${timeoutMs} ms`)));
    // The caller left before its answer was through: nothing is waiting for the service's work.
    response.once('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      upstream.once('response', resolve);
      upstream.once('error', reject);
    });
    // When sending the request fails, the error is handled below; this keeps the
    // same rejection from also surfacing as unhandled (which would end the process).
    answered.catch(() => {});
    try {
      await pipeline(request, upstream);
      const answer = await answered;
      const answerHeaders = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      response.writeHead(answer.statusCode ?? 502, answerHeaders);
      await pipeline(answer, response);
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
