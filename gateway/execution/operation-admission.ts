/**
 * How many operations spanning several subgraph fetches run at once; the
 * others wait their turn in arrival order.
 *
 * Why: a plan of several levels (a course page: course, then its classes,
 * events and documents, then their hosts and uploaders) waits at every
 * level behind the fetches of every other operation in flight. When the
 * subgraphs are saturated, letting all of them in at once only interleaves
 * them: each takes longer, and the slowest much longer. With a bound, the
 * operations admitted run their levels back to back and the rest queue
 * once, in order. Measured on the benchmark's course page and course list
 * (50 clients, saturated subgraphs): p99 10-20 % lower, requests/s the same
 * (bench/README-results.md).
 *
 * Operations of one fetch are never held: they have no levels to protect,
 * and holding them costs throughput (a subgraph serves many of them better
 * than a few).
 */
/** extensions.code of an operation refused because GATEWAY_MAX_QUEUED_PLANS operations already wait. */
export const SERVER_BUSY = 'SERVER_BUSY';

export class OperationAdmission {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  /**
   * `limit`: operations at once; 0 lets every operation in. `onWaiting`: told how many wait, on every change.
   * `maxWaiting`: how many may wait (0: no bound); past it `full` is true and callers refuse rather than queue
   * without end.
   */
  constructor(
    readonly limit: number,
    private readonly onWaiting?: (waiting: number) => void,
    readonly maxWaiting = 0,
  ) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`operation admission limit must be a whole number, got ${limit}`);
  }

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** No slot free and as many waiting as may: an operation now would be refused (SERVER_BUSY). */
  get full(): boolean {
    return this.limit > 0 && this.maxWaiting > 0 && this.running >= this.limit && this.queue.length >= this.maxWaiting;
  }

  /** Runs `operation` when its turn comes. */
  async admit<T>(operation: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await operation();
    } finally {
      release();
    }
  }

  /**
   * A slot, once its turn comes; the function returned gives it back (a second call does nothing). For an
   * operation that outlives its promise: an incremental answer holds its slot until its last part is sent.
   */
  async acquire(): Promise<() => void> {
    if (this.limit === 0) return () => {};
    if (this.running < this.limit && this.queue.length === 0) this.running++;
    else {
      await new Promise<void>((resolve) => {
        this.queue.push(resolve);
        this.onWaiting?.(this.queue.length);
      });
    }
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.next();
    };
  }

  /** The slot passes to the first waiting operation, or is freed. */
  private next(): void {
    const resume = this.queue.shift();
    if (resume) {
      this.onWaiting?.(this.queue.length);
      resume();
    } else this.running--;
  }
}
