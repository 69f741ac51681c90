/**
 * A request's deadline: its subgraph fetches are cancelled (undici's abort
 * signal) when GATEWAY_REQUEST_TIMEOUT_MS has passed, or as soon as the
 * caller's connection closes before its answer is out, so that one request
 * cannot hold a subgraph longer than the gateway waits for it, and work
 * nobody waits for is not done. One controller, one timer and one close
 * listener per request: what the rule needs, nothing more.
 */
import type { ServerResponse } from 'node:http';

/** Reasons a request's signal carries, with the code its cancelled fetches report. */
export class RequestCancelled extends Error {
  constructor(
    readonly code: 'GATEWAY_TIMEOUT' | 'CLIENT_CLOSED_REQUEST',
    message: string,
  ) {
    super(message);
  }
}

export function requestDeadline(response: ServerResponse, timeoutMs: number): AbortSignal {
  const controller = new AbortController();
  const timer =
    timeoutMs > 0 ? setTimeout(() => controller.abort(new RequestCancelled('GATEWAY_TIMEOUT', `the request took longer than the ${timeoutMs} ms allowed`)), timeoutMs) : undefined;
  response.once('close', () => {
    clearTimeout(timer);
    if (!response.writableFinished) controller.abort(new RequestCancelled('CLIENT_CLOSED_REQUEST', 'the caller went away'));
  });
  return controller.signal;
}
