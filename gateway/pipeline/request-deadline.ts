/**
 * A request's deadline: its subgraph fetches are cancelled (undici's abort
 * signal) when GATEWAY_REQUEST_TIMEOUT_MS has passed, or as soon as the
 * caller's connection closes before its answer is out, so that one request
 * cannot hold a subgraph longer than the gateway waits for it, and work
 * nobody waits for is not done. A Cancellation (../cancellation.ts), one
 * timer and one close listener per request: what the rule needs, nothing
 * more; no AbortController, which cost more than the rest of the rule.
 */
import type { ServerResponse } from 'node:http';
import { Cancellation } from '../cancellation.js';

/** Reasons a request's signal carries, with the code its cancelled fetches report. */
export class RequestCancelled extends Error {
  constructor(
    readonly code: 'GATEWAY_TIMEOUT' | 'CLIENT_CLOSED_REQUEST',
    message: string,
  ) {
    super(message);
  }
}

class RequestDeadline extends Cancellation {
  timer: NodeJS.Timeout | undefined = undefined;

  constructor(readonly timeoutMs: number) {
    super();
  }

  closed(response: ServerResponse): void {
    clearTimeout(this.timer);
    if (!response.writableFinished) this.abort(new RequestCancelled('CLIENT_CLOSED_REQUEST', 'the caller went away'));
  }
}

function expire(deadline: RequestDeadline): void {
  deadline.abort(new RequestCancelled('GATEWAY_TIMEOUT', `the request took longer than the ${deadline.timeoutMs} ms allowed`));
}

export function requestDeadline(response: ServerResponse, timeoutMs: number): Cancellation {
  const deadline = new RequestDeadline(timeoutMs);
  if (timeoutMs > 0) deadline.timer = setTimeout(expire, timeoutMs, deadline);
  // 'close' comes once, when the answer is out or the connection is gone: `on` spares `once`'s wrapper.
  response.on('close', () => deadline.closed(response));
  return deadline;
}
