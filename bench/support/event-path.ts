/**
 * Where a subscription event's latency goes, from the gateway's fan-out
 * timings (gateway/subscriptions/fan-out-timings.ts) and the clients'
 * receipts: for each event, the first and last of its shared
 * subscriptions to receive it from the subgraph, to have it completed and
 * to have written it to their last client, and the first and last client
 * to read it; each a median over the events, in ms after the publish.
 * Also per event (p99 over a few events is the slowest event's tail): the
 * same figures, and how long the gateway's loop sat idle (waiting for I/O,
 * nothing to run) between the first receipt and the last write.
 * Events are raised one at a time (the next once the last has arrived
 * everywhere), so a timing belongs to the last event raised before it.
 */
import type { FanOutTimings } from '../../gateway/subscriptions/fan-out-timings.js';

export interface RaisedEvent {
  /** Date.now() when the event was published. */
  raisedAt: number;
  /** Client receipt times (Date.now()); only their minimum and maximum matter. */
  receipts: number[];
}

/** One event's path, ms after its publish; `loopIdle`: ms the gateway's loop waited between its first receipt and last write. */
export interface EventTimes {
  receivedFirst: number;
  receivedLast: number;
  completedFirst: number;
  completedLast: number;
  writtenFirst: number;
  writtenLast: number;
  receiptFirst: number;
  receiptLast: number;
  loopIdle: number;
}

/** The medians over the events (EventTimes' fields), and each event's own figures. */
export interface EventPath extends EventTimes {
  /** Shared subscriptions per event (the callers' distinct identities), as the gateway reported them. */
  sharedSubscriptions: number;
  /** The figures of each event, in order (NaN where the gateway published no timings). */
  events: EventTimes[];
}

const median = (all: number[]) => {
  const values = all.filter(Number.isFinite);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor((sorted.length - 1) / 2)]!);
};

export function eventPath(events: readonly RaisedEvent[], timings: readonly FanOutTimings[]): EventPath {
  const perEvent = events.map((event, index) => {
    const until = events[index + 1]?.raisedAt ?? Infinity;
    const mine = timings.filter((timing) => timing.receivedAt >= event.raisedAt && timing.receivedAt < until);
    const after = (key: keyof FanOutTimings, pick: (...values: number[]) => number) => pick(...mine.map((timing) => timing[key])) - event.raisedAt;
    const first = mine.reduce<FanOutTimings | undefined>((best, timing) => (!best || timing.receivedAt < best.receivedAt ? timing : best), undefined);
    const last = mine.reduce<FanOutTimings | undefined>((best, timing) => (!best || timing.writtenAt > best.writtenAt ? timing : best), undefined);
    return {
      count: mine.length,
      receivedFirst: after('receivedAt', Math.min),
      receivedLast: after('receivedAt', Math.max),
      completedFirst: after('completedAt', Math.min),
      completedLast: after('completedAt', Math.max),
      writtenFirst: after('writtenAt', Math.min),
      writtenLast: after('writtenAt', Math.max),
      receiptFirst: Math.min(...event.receipts) - event.raisedAt,
      receiptLast: Math.max(...event.receipts) - event.raisedAt,
      // A gateway without these readings (an older checkout's) gives NaN.
      loopIdle: first && last ? last.idleAtWritten - first.idleAtReceipt : Number.NaN,
    };
  });
  const medianOf = (key: Exclude<keyof (typeof perEvent)[number], 'count'>) =>
    median(perEvent.filter((event) => event.count > 0 || key.startsWith('receipt')).map((event) => event[key]));
  return {
    sharedSubscriptions: median(perEvent.map((event) => event.count)) || 0,
    receivedFirst: medianOf('receivedFirst'),
    receivedLast: medianOf('receivedLast'),
    completedFirst: medianOf('completedFirst'),
    completedLast: medianOf('completedLast'),
    writtenFirst: medianOf('writtenFirst'),
    writtenLast: medianOf('writtenLast'),
    receiptFirst: medianOf('receiptFirst'),
    receiptLast: medianOf('receiptLast'),
    loopIdle: medianOf('loopIdle'),
    events: perEvent.map(({ count: _count, ...times }) => times),
  };
}
