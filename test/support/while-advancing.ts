/**
 * Waiting on work that advances in steps (answers counted, bytes moved) for as long as it advances, not for a
 * set time: a loaded machine slows the steps down, and only a count that stops moving is a failure.
 */
export interface AdvancingOptions {
  /** How long the value may stay the same before the wait fails. */
  stallMs?: number;
  intervalMs?: number;
}

/** Resolves with `read()` once `done` holds of it; rejects when it has not changed for `stallMs`. */
export async function whileAdvancing<T>(read: () => T, done: (value: T) => boolean, { stallMs = 30_000, intervalMs = 20 }: AdvancingOptions = {}): Promise<T> {
  let value = read();
  let changedAt = performance.now();
  while (!done(value)) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const next = read();
    if (!Object.is(next, value)) {
      value = next;
      changedAt = performance.now();
    } else if (performance.now() - changedAt > stallMs) {
      throw new Error(`Stopped advancing: ${String(value)} for ${stallMs} ms, and not done`);
    }
  }
  return value;
}
