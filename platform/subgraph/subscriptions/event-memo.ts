/**
 * Reads shared by every subscriber's handling of one backbone event. The
 * feed hands the same event object to each of its live subscribers, so a
 * memo keyed by that object is made where the event is first handled and
 * found again by the others; it goes with the event (nothing is kept from
 * one event to the next). Only reads that do not depend on the caller
 * belong here: each caller's access is still decided on its own context.
 */
export interface EventMemo {
  /** The value under `key` for this event: `read` runs for the first caller that asks, the others wait for its answer. */
  once<T>(key: string, read: () => Promise<T>): Promise<T>;
}

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

export function eventMemo(event: object): EventMemo {
  let values = memos.get(event);
  if (!values) memos.set(event, (values = new Map()));
  const known = values;
  return {
    once<T>(key: string, read: () => Promise<T>): Promise<T> {
      let value = known.get(key) as Promise<T> | undefined;
      if (!value) known.set(key, (value = read()));
      return value;
    },
  };
}
