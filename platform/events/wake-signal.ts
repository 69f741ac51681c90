/**
 * How an event reader's loop waits: until a timer, or until woken (a
 * notification, a lost connection, stop). A wake-up that arrives while the
 * loop is busy is kept, so the next wait returns at once and nothing that
 * arrived during a read is left unread.
 */
export class WakeSignal {
  private requested = false;
  private interrupt: (() => void) | undefined;

  wake(): void {
    this.requested = true;
    this.interrupt?.();
  }

  /** Forgets wake-ups so far: call right before reading. */
  consume(): void {
    this.requested = false;
  }

  /** Waits `ms`, or less if woken (or already woken since the last `consume`). */
  async sleep(ms: number): Promise<void> {
    if (this.requested) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.interrupt = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.interrupt = undefined;
  }
}
