/**
 * Subscription resolvers yield payloads made from backbone events; the
 * subscription server reads the event's cursor off the payload and sends it
 * with the result, so that the gateway can resume after it.
 */
const CURSOR = Symbol('bheem.eventCursor');

/** Marks a payload with the cursor of the event it was made from. */
export function withCursor<T extends object>(payload: T, cursor: string): T {
  Object.defineProperty(payload, CURSOR, { value: cursor, enumerable: false });
  return payload;
}

export function cursorOf(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const cursor = (payload as { [CURSOR]?: unknown })[CURSOR];
  return typeof cursor === 'string' ? cursor : undefined;
}
