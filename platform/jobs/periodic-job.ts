/**
 * A background job run every so often in each process: meet's room opening
 * and reconciliation, documents' clean-ups, calendar's CalDAV sync.
 *
 * One run at a time: a run asked for while one is going (by the timer or by
 * a caller such as a test or a mutation) joins it instead of starting a
 * second. A failed run is logged and the next one happens as usual; a timer
 * never keeps the process alive, and stop() waits for the run in flight.
 * Jobs that must not run in two processes at once take their own lock
 * (meet's reconciler takes an advisory lock).
 */
import type { Logger } from '../logger.js';

export class PeriodicJob<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<T>,
    private readonly log: Logger,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Runs `work` (the job's own by default) now, or joins the run in flight. */
  run(work: () => Promise<T> = this.work): Promise<T> {
    // Through an async function: a job that throws before its first await still rejects, never throws in the timer.
    this.running ??= (async () => work())().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Every `intervalMs` from now; 0 or less never. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.run().catch((error: unknown) => this.log.error({ err: error, job: this.name }, `${this.name} failed`));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
