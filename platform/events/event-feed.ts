/**
 * The live feed: committed events of chosen topics, in process, for
 * subscription resolvers. One LISTEN connection per feed (create one per
 * process), reading the outbox itself, so a subscriber on any replica sees
 * every event, in the stream's order, whichever replica published it.
 *
 * Each subscriber keeps the cursor of the last event it was given; it may
 * start from a cursor (`after`: resume after a reconnect, from any replica)
 * and then gets every later event exactly once: what it missed is read from
 * the table first, and live events it already has are skipped. A subscriber
 * that does not keep up (more than `maxBuffered` undelivered events) is not
 * dropped: it falls back to reading from the table at its own pace.
 */
import { createLogger, type Logger } from '../logger.js';
import { compareCursors, decodeCursor, horizonCursor, maxCursor, type Cursor } from './event-cursor.js';
import { openListenConnection, type ListenConnection } from './listen-connection.js';
import { readFeedBatch, readHorizon } from './outbox-reads.js';
import { toPublishedEvent, type OutboxRow, type PublishedEvent } from './published-event.js';
import { checkEventPayload, requireTopic } from './topic-registry.js';
import './topics/index.js';
import type { TopicName, TopicPayload } from './topics/index.js';
import { WakeSignal } from './wake-signal.js';

export interface EventFeedOptions {
  databaseUrl: string;
  /** Reads the table this often even without notifications. Default 2 s. */
  pollIntervalMs?: number;
  /** Events per read. Default 500. */
  pageSize?: number;
  log?: Logger;
}

export interface SubscribeOptions<T extends TopicName> {
  topics: T[];
  /** Only events for which this is true (tenant, entity...). */
  filter?: (event: PublishedEvent<TopicPayload<T>>) => boolean;
  /** Resume after this event's `cursor`: every later event, none twice. Default: from now. */
  after?: string;
  /** Undelivered events held in memory before the subscriber reads from the table instead. Default 1000. */
  maxBuffered?: number;
}

export interface EventFeed {
  subscribe<T extends TopicName>(options: SubscribeOptions<T>): AsyncIterableIterator<PublishedEvent<TopicPayload<T>>>;
  /** Resolves once the feed has read the table (on start, and after a reconnect). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const MIN_RECHECK_MS = 2;
const MAX_RECHECK_MS = 100;
const MIN_RECONNECT_MS = 100;
const MAX_RECONNECT_MS = 5_000;

class Subscriber {
  private readonly buffer: PublishedEvent[] = [];
  private waiting: ((result: IteratorResult<PublishedEvent>) => void) | undefined;
  closed = false;
  /** Reads from the table until it has caught up with the feed. */
  catchingUp: boolean;
  /** The last event given to (or skipped for) this subscriber; undefined: from the feed's next read. */
  seen: Cursor | undefined;

  constructor(
    readonly topics: Set<string>,
    readonly filter: (event: PublishedEvent<any>) => boolean,
    readonly maxBuffered: number,
    after: Cursor | undefined,
    private readonly onDrain: () => void,
    private readonly onClose: (subscriber: Subscriber) => void,
  ) {
    this.seen = after;
    this.catchingUp = after !== undefined;
  }

  get full(): boolean {
    return this.buffer.length >= this.maxBuffered;
  }

  /** Offers an event in stream order; false when the buffer is full (the event was not taken). */
  offer(event: PublishedEvent | undefined, cursor: Cursor): boolean {
    if (this.seen && compareCursors(cursor, this.seen) <= 0) return true;
    if (event && this.accepts(event)) {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve({ value: event, done: false });
      } else {
        if (this.full) return false;
        this.buffer.push(event);
      }
    }
    this.seen = cursor;
    return true;
  }

  private accepts(event: PublishedEvent): boolean {
    try {
      return this.filter(event);
    } catch {
      return false; // a broken filter must not stop the feed for everyone
    }
  }

  /** Nothing of interest up to here. */
  skipTo(cursor: Cursor): void {
    this.seen = this.seen ? maxCursor(this.seen, cursor) : cursor;
  }

  next(): Promise<IteratorResult<PublishedEvent>> {
    const event = this.buffer.shift();
    if (event) {
      if (this.catchingUp && this.buffer.length < this.maxBuffered / 2) this.onDrain();
      return Promise.resolve({ value: event, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    if (this.catchingUp) this.onDrain();
    return new Promise((resolve) => (this.waiting = resolve));
  }

  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    this.onClose(this);
  }

  iterator(): AsyncIterableIterator<PublishedEvent> {
    const iterator: AsyncIterableIterator<PublishedEvent> = {
      next: () => this.next(),
      return: async () => {
        this.end();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}

class Feed implements EventFeed {
  private readonly subscribers = new Set<Subscriber>();
  private readonly log: Logger;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private connection: ListenConnection | undefined;
  /** Every event before this was offered to the live subscribers. */
  private head: Cursor | undefined;
  private closing = false;
  private readonly signal = new WakeSignal();
  private readonly loop: Promise<void>;
  private readyWaiters: (() => void)[] = [];
  private upToDate = false;
  /**
   * The events of the last rows read, by id: a subscriber still catching up from the table and the live ones
   * are handed the same object for the same row, so reads memoised per event (event-memo.ts) are shared by all.
   */
  private readonly recent = new Map<string, PublishedEvent | undefined>();

  constructor(private readonly options: EventFeedOptions) {
    this.log = (options.log ?? createLogger('events')).child({ component: 'event-feed' });
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.pageSize = options.pageSize ?? 500;
    this.loop = this.run();
  }

  subscribe<T extends TopicName>(options: SubscribeOptions<T>): AsyncIterableIterator<PublishedEvent<TopicPayload<T>>> {
    if (this.closing) throw new Error('The event feed is closed');
    if (options.topics.length === 0) throw new Error('Subscribe to at least one topic');
    for (const topic of options.topics) requireTopic(topic);
    const subscriber = new Subscriber(
      new Set(options.topics),
      (options.filter ?? (() => true)) as (event: PublishedEvent<any>) => boolean,
      options.maxBuffered ?? 1_000,
      options.after !== undefined ? decodeCursor(options.after) : this.head,
      () => this.wake(),
      (closed) => this.subscribers.delete(closed),
    );
    this.subscribers.add(subscriber);
    if (subscriber.catchingUp) this.wake();
    return subscriber.iterator() as AsyncIterableIterator<PublishedEvent<TopicPayload<T>>>;
  }

  ready(): Promise<void> {
    if (this.upToDate) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wake();
    await this.loop;
    for (const subscriber of [...this.subscribers]) subscriber.end();
    await this.connection?.close();
    this.connection = undefined;
  }

  private wake(): void {
    this.signal.wake();
  }

  private liveTopics(): string[] {
    const topics = new Set<string>();
    for (const subscriber of this.subscribers) if (!subscriber.catchingUp) for (const topic of subscriber.topics) topics.add(topic);
    return [...topics];
  }

  private async run(): Promise<void> {
    let recheckMs = MIN_RECHECK_MS;
    let reconnectMs = MIN_RECONNECT_MS;
    while (!this.closing) {
      try {
        if (!this.connection?.isOpen()) await this.connect();
        this.signal.consume();
        const { more, pending } = await this.cycle(this.connection!.db);
        reconnectMs = MIN_RECONNECT_MS;
        if (!this.upToDate) {
          this.upToDate = true;
          for (const resolve of this.readyWaiters.splice(0)) resolve();
        }
        if (more) continue;
        recheckMs = pending ? Math.min(recheckMs * 2, MAX_RECHECK_MS) : MIN_RECHECK_MS;
        await this.signal.sleep(pending ? recheckMs : this.pollIntervalMs);
      } catch (error) {
        if (this.closing) break;
        this.log.warn({ err: error }, 'event feed lost its connection or failed; reconnecting');
        this.upToDate = false;
        await this.connection?.close();
        this.connection = undefined;
        if (this.closing) break;
        this.signal.consume();
        await this.signal.sleep(reconnectMs);
        reconnectMs = Math.min(reconnectMs * 2, MAX_RECONNECT_MS);
      }
    }
  }

  private async connect(): Promise<void> {
    this.connection = await openListenConnection({
      databaseUrl: this.options.databaseUrl,
      applicationName: 'bheem-events:feed',
      onNotification: (topic) => {
        for (const subscriber of this.subscribers) if (subscriber.topics.has(topic)) return this.wake();
      },
    });
    void this.connection.closed.then(() => this.wake());
  }

  private async cycle(db: ListenConnection['db']): Promise<{ more: boolean; pending: boolean }> {
    let more = false;
    let pending = false;
    if (!this.head) this.head = horizonCursor(await readHorizon(db));
    for (const subscriber of this.subscribers) {
      if (subscriber.catchingUp && !subscriber.full) {
        const caughtUp = await this.catchUp(subscriber);
        more ||= !caughtUp;
      }
    }
    const topics = this.liveTopics();
    if (topics.length === 0) {
      // No one listens: only keep the head near the present.
      this.head = maxCursor(this.head, horizonCursor(await readHorizon(db)));
      return { more, pending };
    }
    const read = await readFeedBatch(this.connection!, { after: this.head, topics, limit: this.pageSize });
    for (const row of read.rows) {
      const cursor = { txid: row.txid, position: row.position };
      const event = this.validEvent(row);
      for (const subscriber of this.subscribers) {
        if (subscriber.catchingUp || !subscriber.topics.has(row.topic)) continue;
        // A subscriber that cannot take more goes back to reading the table from its own cursor.
        if (!subscriber.offer(event, cursor)) subscriber.catchingUp = true;
      }
      this.head = cursor;
    }
    // Every row up to where the scan stopped (or below the horizon) was seen.
    this.head = maxCursor(this.head, read.scannedTo ?? horizonCursor(read.horizon));
    for (const subscriber of this.subscribers) if (!subscriber.catchingUp) subscriber.skipTo(this.head);
    pending ||= read.pending;
    return { more: more || read.scannedTo !== undefined, pending };
  }

  /** The event, or undefined when its payload breaks its topic's schema (logged, and given to no one). */
  private validEvent(row: OutboxRow): PublishedEvent | undefined {
    if (this.recent.has(row.id)) return this.recent.get(row.id);
    const event = this.checkedEvent(row);
    this.recent.set(row.id, event);
    // Two pages' worth: enough for every subscriber of one read to meet the same row; the oldest go first.
    if (this.recent.size > 2 * this.pageSize) this.recent.delete(this.recent.keys().next().value!);
    return event;
  }

  private checkedEvent(row: OutboxRow): PublishedEvent | undefined {
    try {
      checkEventPayload(row.topic, row.payload);
      return toPublishedEvent(row);
    } catch (error) {
      this.log.warn({ eventId: row.id, topic: row.topic, err: error }, 'event with an invalid payload left out of the feed');
      return undefined;
    }
  }

  /** One page from the table for a subscriber behind the feed; true once it has caught up. */
  private async catchUp(subscriber: Subscriber): Promise<boolean> {
    const after = subscriber.seen ?? this.head!;
    const read = await readFeedBatch(this.connection!, { after, topics: [...subscriber.topics], limit: this.pageSize });
    for (const row of read.rows) {
      if (!subscriber.offer(this.validEvent(row), { txid: row.txid, position: row.position })) return false;
    }
    if (read.scannedTo) {
      subscriber.skipTo(read.scannedTo);
      return false;
    }
    // Everything below this read's horizon is in hand; the live reads start at or before it.
    subscriber.skipTo(horizonCursor(read.horizon));
    subscriber.catchingUp = false;
    return true;
  }
}

export function createEventFeed(options: EventFeedOptions): EventFeed {
  return new Feed(options);
}
