/**
 * Turns among the CalDAV syncs one process runs at once (CALENDAR_SYNC_CONCURRENCY): any user may ask for a sync
 * of each of their accounts, and each takes pooled connections (up to PUSH_CONCURRENCY at once) and the CalDAV
 * server's time. A turn given back goes to the longest waiting, first come first served.
 */
export class SyncTurns {
  /** Turns held now; a turn given back to a waiter stays held (handed over). */
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly atOnce: number) {}

  /** Waits for a turn, at most `waitMs` (forever when undefined); false when none came in time. Give it back with leave(). */
  async take(waitMs: number | undefined): Promise<boolean> {
    if (this.held < this.atOnce) {
      this.held++;
      return true;
    }
    if (waitMs === 0) return false;
    return new Promise<boolean>((resolve) => {
      const handOver = () => {
        clearTimeout(timer);
        resolve(true);
      };
      // A waiter whose time is up leaves the line, so that no turn is handed to it.
      const timer =
        waitMs === undefined
          ? undefined
          : setTimeout(() => {
              this.waiting.splice(this.waiting.indexOf(handOver), 1);
              resolve(false);
            }, waitMs);
      this.waiting.push(handOver);
    });
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held--;
  }
}
