/**
 * Turns a stream of backbone events into a subscription's payloads: each
 * event mapped (authorization, lookups) or skipped, in order. `return()`
 * reaches the source at once, even while a `next()` waits for an event
 * that may never come (an async generator would wait for it first, and
 * leak the feed subscriber).
 */
export function mapEvents<Event, Payload>(
  source: AsyncIterableIterator<Event>,
  map: (event: Event) => Promise<Payload | undefined> | Payload | undefined,
): AsyncIterableIterator<Payload> {
  const iterator: AsyncIterableIterator<Payload> = {
    async next() {
      for (;;) {
        const step = await source.next();
        if (step.done) return { value: undefined, done: true };
        const payload = await map(step.value);
        if (payload !== undefined) return { value: payload, done: false };
      }
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
