/**
 * Cancelling a request's work for what that needs: a flag, a reason and the
 * few listeners waiting on it. undici takes as a request's signal anything
 * with `aborted`, `reason` and add/removeEventListener, and so does every
 * reader of a request's signal in the gateway (CancelSignal); an
 * AbortSignal still fits wherever one is read. An AbortController per
 * request (and one more per @defer, through AbortSignal.any) was the
 * one-fetch operations' regression (bench/README-results.md): about 11 µs of
 * CPU a request in a micro-benchmark of the deadline, against under 1 µs.
 */

/** What readers of a cancellation need; an AbortSignal is one too. */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export class Cancellation implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  /** Usually none or one at a time (the subgraph fetch in flight). Every listener runs once: there is one abort. */
  private listeners: (() => void)[] | undefined = undefined;
  private parent: CancelSignal | undefined = undefined;
  private followParent: (() => void) | undefined = undefined;

  /** `parent`: this is aborted with it too (its reason), as AbortSignal.any of the two. */
  constructor(parent?: CancelSignal) {
    if (!parent) return;
    if (parent.aborted) {
      this.aborted = true;
      this.reason = parent.reason;
      return;
    }
    this.parent = parent;
    this.followParent = () => this.abort(parent.reason);
    parent.addEventListener('abort', this.followParent, { once: true });
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) return;
    if (this.listeners) this.listeners.push(listener);
    else this.listeners = [listener];
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.listeners;
    if (!listeners) return;
    const index = listeners.lastIndexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    // Aborted on its own: the parent need not keep this any longer.
    if (this.parent) this.parent.removeEventListener('abort', this.followParent!);
    this.parent = this.followParent = undefined;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (!listeners) return;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        // As an EventTarget does: the others still run, the error is reported as uncaught.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
