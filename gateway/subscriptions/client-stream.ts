/**
 * One client's subscription as the transports see it: an async iterator of
 * results fed by a shared subscription. The queue is bounded: a client that
 * falls `maxQueued` events behind (or whose socket holds more than its
 * transport allows) is let go through `onTooSlow`, never waited for, so a
 * slow client cannot delay anyone else's events.
 */
import type { ExecutionResult } from 'graphql';

export interface ClientStreamOptions {
  maxQueued: number;
  /** The transport's own backlog check (bytes not yet sent). */
  isBehind?: () => boolean;
  /** Called once, when the client has fallen too far behind. */
  onTooSlow: (reason: string) => void;
  /** Called once, when the client's iteration ends (it left, or was let go). */
  onEnd: () => void;
}

export class ClientStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private waiting: ((step: IteratorResult<ExecutionResult>) => void) | undefined;
  private finished = false;

  constructor(private readonly options: ClientStreamOptions) {}

  push(result: ExecutionResult): void {
    if (this.finished) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      return resolve({ value: result, done: false });
    }
    if (this.queue.length >= this.options.maxQueued || this.options.isBehind?.()) {
      this.finish();
      return this.options.onTooSlow(`Too slow: more than ${this.options.maxQueued} events waiting; reconnect to resume`);
    }
    this.queue.push(result);
  }

  /** The upstream ended: the client gets what is queued, then `last` (errors) if any, then the end. */
  end(last?: ExecutionResult): void {
    if (this.finished) return;
    if (last) this.queue.push(last);
    this.finished = true;
    if (this.queue.length === 0) this.release();
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.queue.shift();
    if (value) {
      if (this.finished && this.queue.length === 0) this.release();
      return Promise.resolve({ value, done: false });
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.finish();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }

  private finish(): void {
    this.finished = true;
    this.queue.length = 0;
    this.release();
  }

  private ended = false;
  private release(): void {
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    if (this.ended) return;
    this.ended = true;
    this.options.onEnd();
  }
}
