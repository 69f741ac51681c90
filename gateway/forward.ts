/** Streams a request to another service and its answer back, untouched (no buffering: files can be large). */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendJson } from '../platform/http/respond.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export function forwardTo(serviceUrl: string, serviceName: string) {
  const target = new URL(serviceUrl);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const upstream = http.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: request.method,
      path: request.url,
      headers: { ...headers, host: target.host },
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      upstream.once('response', resolve);
      upstream.once('error', reject);
    });
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
