/**
 * Runs `work` for every item, at most `bound` at a time, each item's work awaited whole before its lane takes the
 * next (so one slow item holds one lane, not the others). Items start in their order. A rejection is the caller's
 * to avoid (catch inside `work`): the first one rejects the whole, once every lane has stopped.
 */
export async function eachBounded<T>(items: readonly T[], bound: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(bound, items.length)) }, lane));
}
