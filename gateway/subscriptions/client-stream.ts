/**
 * One client's subscription as a shared subscription feeds it. Events are
 * written straight to the client's connection (`deliver`), already
 * serialized (event-message.ts): no promise, no copy, no JSON per client,
 * which is what lets one event reach ten thousand sockets quickly.
 *
 * The client's queue is what its connection holds unsent: a client whose
 * transport says it is too far behind (`isBehind`, a bound in bytes or
 * events) is let go through `onTooSlow`, never waited for, so a slow client
 * cannot delay anyone else's events.
 *
 * It is also an async iterator that yields nothing and ends with the
 * subscription: graphql-ws learns from it when to send `complete`, and
 * ends it (return()) when the client completes or leaves.
 */
import type { EventMessage } from './event-message.js';

/**
 * How a transport writes to its client. An object whose methods the
 * stream calls (a class instance, say), kept as given: a delivery is then
 * one object and its methods per client, where an object of closures per
 * client cost the fan-out about 1.5 µs more per delivery (bench/socket-writes.mjs's
 * notes in bench/README-results.md, session 13).
 */
export interface ClientSink {
  /** Writes one event to the client's connection, now. */
  deliver(event: EventMessage): void;
  /** True when the client's connection holds more unsent than its transport allows. */
  isBehind(): boolean;
  /** Called once, when the client has fallen too far behind. */
  onTooSlow(reason: string): void;
}

const TOO_SLOW = 'Too slow: the client fell too far behind its events; reconnect to resume';

export class ClientStream implements AsyncIterableIterator<never> {
  private waiting: ((step: IteratorResult<never>) => void) | undefined;
  private finished = false;

  /** `onEnd` is called once, when the stream ends (completed, the client left, or it was let go). */
  constructor(
    private readonly sink: ClientSink,
    private readonly onEnd: () => void,
  ) {}

  get ended(): boolean {
    return this.finished;
  }

  push(event: EventMessage): void {
    if (this.finished) return;
    if (this.sink.isBehind()) {
      this.finished = true;
      this.sink.onTooSlow(TOO_SLOW);
      return this.release();
    }
    this.sink.deliver(event);
  }

  /** The subscription ended: `last` (errors) if any is written, then the stream ends. */
  end(last?: EventMessage): void {
    if (this.finished) return;
    if (last) this.sink.deliver(last);
    this.finish();
  }

  next(): Promise<IteratorResult<never>> {
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  async return(): Promise<IteratorResult<never>> {
    this.finish();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<never> {
    return this;
  }

  private finish(): void {
    this.finished = true;
    this.release();
  }

  private released = false;
  private release(): void {
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    if (this.released) return;
    this.released = true;
    this.onEnd();
  }
}
