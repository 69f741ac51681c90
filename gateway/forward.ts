/** Streams a request to another service and its answer back, untouched (no buffering: files can be large). */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { clientIp } from '../platform/http/client-ip.js';
import { sendJson } from '../platform/http/respond.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/**
 * `trustProxy` as the gateway's own setting: the service behind gets one
 * X-Forwarded-For address, the client as the gateway judged it, so a client
 * cannot pick the address that a service's per-address limits count.
 */
export function forwardTo(serviceUrl: string, serviceName: string, trustProxy: boolean) {
  const target = new URL(serviceUrl);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const upstream = http.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: { ...headers, host: target.host, 'x-forwarded-for': clientIp(request, trustProxy) },
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
      if (!response.headersSent) sendJson(response, 502, { error: `The ${serviceName} service is unavailable: ${(error as Error).message}` });
      else response.destroy();
    }
  };
}
