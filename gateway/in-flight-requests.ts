/**
 * Identical requests in flight at the same time share one upstream request:
 * the first starts it, the others that come under the same key before it is
 * answered wait for that same answer. Each caller still leaves on its own
 * signal; the upstream request is cancelled only when every caller has left.
 * What is shared is the raw answer (text): every caller parses its own copy,
 * so no caller sees another's changes to the data.
 */
import { Cancellation, type CancelSignal } from './cancellation.js';

/*
 * Classes, not object literals, for what is made per request and points at its answer: V8 may pretenure a
 * literal's allocation site once its objects survive scavenges (as these do while in flight), and an object born
 * old keeps its young answer alive until the next mark-compact (bench/README-results.md, "allocation sites").
 */
class Shared<T> {
  /** Callers waiting for it (those without a signal never leave early). */
  waiting = 0;
  result!: Promise<T>;
  constructor(readonly controller: Cancellation) {}
}

/** What a caller of `run` waits for. */
class Joined<T> {
  constructor(
    readonly result: Promise<T>,
    readonly merged: boolean,
  ) {}
}

export class InFlightRequests<T> {
  private readonly shared = new Map<string, Shared<T>>();

  /** Joins the request under `key` if one is in flight (`merged`), else starts it with `start`. */
  run(key: string, signal: CancelSignal | undefined, start: (signal: Cancellation) => Promise<T>): Joined<T> {
    let entry = this.shared.get(key);
    const merged = entry !== undefined;
    if (!entry) {
      const controller = new Cancellation();
      const created = new Shared<T>(controller);
      created.result = start(controller);
      const forget = () => {
        if (this.shared.get(key) === created) this.shared.delete(key);
      };
      created.result.then(forget, forget);
      this.shared.set(key, (entry = created));
    }
    entry.waiting++;
    return new Joined(this.wait(key, entry, signal), merged);
  }

  /** In flight now (tests). */
  get size(): number {
    return this.shared.size;
  }

  private wait(key: string, entry: Shared<T>, signal: CancelSignal | undefined): Promise<T> {
    if (!signal) return entry.result;
    const leave = () => {
      if (--entry.waiting > 0) return;
      // Nobody waits any more: cancel upstream, and let no later caller join a cancelled request.
      if (this.shared.get(key) === entry) this.shared.delete(key);
      entry.controller.abort(signal.reason);
    };
    if (signal.aborted) {
      leave();
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        leave();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}
