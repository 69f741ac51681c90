/**
 * A consumer of a group: durable, at-least-once, and exactly once in effect
 * for what a handler writes through `context.trx`.
 *
 * - Events of a group are split into partitions by entity key (events of one
 *   entity keep their order). Each process of the group leases its fair
 *   share of partitions (partition-leases.ts), so two processes share the
 *   work and never hold the same event at the same time.
 * - A batch runs in one transaction on the consumer's own connection: each
 *   handler in a savepoint, then the "processed" marks and the partitions'
 *   cursors. A crash (or a dropped connection) rolls it all back and the
 *   lease goes with the session: whoever takes the partition re-reads from
 *   the cursor, and the event is handled again.
 * - A failing handler is retried with exponential backoff (its partition
 *   waits, the others go on); after `maxAttempts`, or at once for a payload
 *   that fails its schema, the event becomes a dead letter and the
 *   partition moves on.
 * - NOTIFY only wakes the loop; the table is the truth, read on start, on
 *   every reconnect, and every `pollIntervalMs` as a safety net.
 */
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { createKysely } from '../database/connection.js';
import { createLogger, type Logger } from '../logger.js';
import { recordEventLag } from '../observability/event-lag.js';
import { registerEventMetrics } from './event-metrics.js';
import { ensureConsumerGroup, loadCursors, recordProgress, saveCursors } from './consumer-groups.js';
import { recordDeadLetter, replayNotification } from './dead-letters.js';
import { compareCursors, horizonCursor, maxCursor, type Cursor } from './event-cursor.js';
import { HandlerFailure, HandlerTimeoutError, IN_FAILED_TRANSACTION, rejectionOf, runHandler, type EventHandler } from './handle-event.js';
import { openListenConnection, type ListenConnection } from './listen-connection.js';
import { readGroupBatch, type GroupRow } from './outbox-reads.js';
import { acquirePartitions, countMembers, groupLockKey, joinGroup, releasePartition } from './partition-leases.js';
import { pruneEvents } from './prune-events.js';
import { toPublishedEvent, type PublishedEvent } from './published-event.js';
import { replayNextDeadLetter } from './replay-dead-letters.js';
import type { TopicName, TopicPayload } from './topics/index.js';
import { WakeSignal } from './wake-signal.js';

export type { EventContext, EventHandler } from './handle-event.js';

export type EventHandlers = { [T in TopicName]?: EventHandler<TopicPayload<T>> };

export interface EventConsumerOptions {
  databaseUrl: string;
  /** The consumer group: processes with the same group share its events and its cursor. */
  group: string;
  /** One handler per topic; the group takes exactly these topics. */
  handlers: EventHandlers;
  /**
   * Lanes of this process: each its own connection, leasing its share of the
   * partitions like another process would, so handlers that wait on I/O
   * overlap. Default 1.
   */
  concurrency?: number;
  /** Partitions of the group (fixed when the group is first created). Default 8. */
  partitions?: number;
  /** Where a new group starts: every retained event, or those of transactions that begin after it is created. Default 'beginning'. */
  startFrom?: 'beginning' | 'now';
  /** Events per transaction. Default 100. */
  batchSize?: number;
  /** Deliveries of an event before it becomes a dead letter. Default 5. */
  maxAttempts?: number;
  /** Delay before the first retry, doubled on each further one. Default 500 ms. */
  retryDelayMs?: number;
  /** Longest delay between retries. Default 30 s. */
  maxRetryDelayMs?: number;
  /** A handler running longer fails its attempt, and the connection is dropped. Default 60 s. */
  handlerTimeoutMs?: number;
  /** Reads the table this often even without notifications. Default 2 s. */
  pollIntervalMs?: number;
  /** How often the process counts the group's members and adjusts its leases. Default 2 s. */
  rebalanceIntervalMs?: number;
  /** Prunes old processed events (one process at a time). Default: 7 days (pass config.eventRetentionDays), hourly. `false`: never. */
  retention?: { maxAgeMs: number; intervalMs?: number } | false;
  log?: Logger;
}

export interface EventConsumer {
  readonly group: string;
  /** The partitions this process holds right now. */
  heldPartitions(): number[];
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;
const MIN_RECHECK_MS = 2;
const MAX_RECHECK_MS = 100;
const MIN_RECONNECT_MS = 100;
const MAX_RECONNECT_MS = 5_000;
const CURSOR_FLUSH_MS = 5_000;

interface BatchResult {
  advanced: Map<number, Cursor>;
  handled: PublishedEvent[];
  deadLettered: { event: PublishedEvent; attempts: number; error: string }[];
}

/**
 * A statement refused because the transaction is already aborted means an
 * earlier handler caught an SQL error of `trx` and carried on: that one is
 * to blame (and retried), not the one that ran into it.
 */
function blameSwallowedError(error: unknown, previousHandled: PublishedEvent | undefined): unknown {
  const sqlState = error instanceof HandlerFailure ? error.sqlState : (error as { code?: string })?.code;
  if (sqlState !== IN_FAILED_TRANSACTION || !previousHandled) return error;
  return new HandlerFailure(previousHandled, 'the handler caught an SQL error and went on: its transaction was left aborted (let such errors propagate)');
}

interface HeldPartition {
  /** Everything up to here is handled or of no interest (in memory). */
  cursor: Cursor;
  /** What the table says. */
  saved: Cursor;
  /** A failed event waits for its retry until then. */
  retryAt: number;
}

class GroupConsumer implements EventConsumer {
  readonly group: string;
  private readonly topics: string[];
  private readonly topicSet: Set<string>;
  private readonly handlers: Record<string, EventHandler<any>>;
  private readonly key: number;
  private readonly pool: Kysely<any>;
  private readonly log: Logger;
  private readonly settings: Required<Omit<EventConsumerOptions, 'log' | 'handlers' | 'group' | 'databaseUrl' | 'retention' | 'startFrom' | 'concurrency'>>;
  private readonly retention: { maxAgeMs: number; intervalMs: number } | false;
  private partitionCount = 0;
  private connection: ListenConnection | undefined;
  private readonly held = new Map<number, HeldPartition>();
  private readonly attempts = new Map<string, { count: number; error: string }>();
  private readonly signal = new WakeSignal();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private nextRebalance = 0;
  private nextFlush = 0;
  private nextReplayCheck = 0;
  private nextPrune = 0;
  private replayRequested = true;
  private pruning = false;
  private recheckMs = MIN_RECHECK_MS;
  private reconnectMs = MIN_RECONNECT_MS;

  constructor(private readonly options: EventConsumerOptions) {
    this.group = options.group;
    this.handlers = options.handlers as Record<string, EventHandler<any>>;
    this.topics = Object.keys(this.handlers).sort();
    this.topicSet = new Set(this.topics);
    if (this.topics.length === 0) throw new Error(`Consumer group "${this.group}" has no handlers`);
    this.key = groupLockKey(this.group);
    this.pool = createKysely(options.databaseUrl);
    this.log = (options.log ?? createLogger('events')).child({ consumerGroup: this.group });
    this.settings = {
      partitions: options.partitions ?? 8,
      batchSize: options.batchSize ?? 100,
      maxAttempts: options.maxAttempts ?? 5,
      retryDelayMs: options.retryDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
      handlerTimeoutMs: options.handlerTimeoutMs ?? 60_000,
      pollIntervalMs: options.pollIntervalMs ?? 2_000,
      rebalanceIntervalMs: options.rebalanceIntervalMs ?? 2_000,
    };
    this.retention =
      options.retention === false ? false : { maxAgeMs: options.retention?.maxAgeMs ?? 7 * DAY_MS, intervalMs: options.retention?.intervalMs ?? 3_600_000 };
  }

  async start(): Promise<void> {
    const { partitions } = await ensureConsumerGroup(this.pool, {
      group: this.group,
      topics: this.topics,
      partitions: this.settings.partitions,
      startFrom: this.options.startFrom ?? 'beginning',
    });
    if (partitions !== this.settings.partitions && this.options.partitions !== undefined) {
      this.log.warn({ partitions, asked: this.options.partitions }, 'the group keeps the number of partitions it was created with');
    }
    this.partitionCount = partitions;
    registerEventMetrics(this.options.databaseUrl);
    this.loop = this.run();
  }

  heldPartitions(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    const connection = this.connection;
    this.connection = undefined;
    if (connection?.isOpen()) {
      await this.flushCursors(connection.db).catch(() => {});
      await connection.close();
    }
    this.held.clear();
  }

  private wake(): void {
    this.signal.wake();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!this.connection?.isOpen()) await this.connect();
        this.signal.consume();
        const { full, progressed, pending } = await this.cycle(this.connection!.db);
        this.reconnectMs = MIN_RECONNECT_MS;
        if (full) continue;
        this.recheckMs = progressed || !pending ? MIN_RECHECK_MS : Math.min(this.recheckMs * 2, MAX_RECHECK_MS);
        await this.signal.sleep(pending ? this.recheckMs : this.untilNextTimer());
      } catch (error) {
        if (this.stopping) break;
        this.log.warn({ err: error }, 'consumer lost its connection or failed; reconnecting');
        await this.dropConnection();
        if (this.stopping) break;
        // Backs off while PostgreSQL is away (or the failure repeats), without spinning.
        this.signal.consume();
        await this.signal.sleep(this.reconnectMs);
        this.reconnectMs = Math.min(this.reconnectMs * 2, MAX_RECONNECT_MS);
      }
    }
  }

  private async connect(): Promise<void> {
    const connection = await openListenConnection({
      databaseUrl: this.options.databaseUrl,
      applicationName: `bheem-events:${this.group}`.slice(0, 63),
      onNotification: (payload) => {
        if (payload === replayNotification(this.group)) this.replayRequested = true;
        else if (!this.topicSet.has(payload)) return;
        this.wake();
      },
    });
    try {
      await joinGroup(connection.db, this.key);
    } catch (error) {
      await connection.close();
      throw error;
    }
    this.connection = connection;
    this.held.clear();
    this.nextRebalance = 0;
    this.replayRequested = true;
    void connection.closed.then(() => this.wake());
  }

  private async dropConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.held.clear();
    await connection?.close();
  }

  private async terminateBackend(): Promise<void> {
    const pid = this.connection?.backendPid;
    if (pid !== undefined) await sql`SELECT pg_terminate_backend(${pid})`.execute(this.pool).catch(() => {});
  }

  private untilNextTimer(): number {
    const now = Date.now();
    let next = Math.min(this.nextRebalance, this.nextReplayCheck, this.nextFlush);
    for (const partition of this.held.values()) if (partition.retryAt > now) next = Math.min(next, partition.retryAt);
    return Math.max(1, Math.min(next - now, this.settings.pollIntervalMs));
  }

  private async cycle(db: Kysely<any>): Promise<{ full: boolean; progressed: boolean; pending: boolean }> {
    const now = Date.now();
    if (now >= this.nextRebalance) await this.rebalance(db);
    const batch = await this.processBatch(db);
    if (this.replayRequested || now >= this.nextReplayCheck) {
      this.replayRequested = false;
      this.nextReplayCheck = now + this.settings.pollIntervalMs;
      await this.processReplays(db);
    }
    if (now >= this.nextFlush) {
      this.nextFlush = now + CURSOR_FLUSH_MS;
      await this.flushCursors(db);
    }
    this.maybePrune(now);
    return batch;
  }

  private async rebalance(db: Kysely<any>): Promise<void> {
    this.nextRebalance = Date.now() + this.settings.rebalanceIntervalMs;
    const members = await countMembers(db, this.key);
    const fairShare = Math.ceil(this.partitionCount / Math.max(1, members));
    if (this.held.size > fairShare) {
      const extra = this.heldPartitions().slice(fairShare);
      await this.flushCursors(db, extra);
      for (const partition of extra) {
        await releasePartition(db, this.key, partition);
        this.held.delete(partition);
      }
      this.log.debug({ released: extra, members }, 'released partitions to other members');
    } else if (this.held.size < fairShare) {
      const acquired = await acquirePartitions(db, {
        key: this.key,
        partitions: this.partitionCount,
        held: this.heldPartitions(),
        wanted: fairShare - this.held.size,
        offset: randomInt(this.partitionCount),
      });
      if (acquired.length === 0) return;
      const cursors = await loadCursors(db, this.group, acquired);
      for (const [partition, cursor] of cursors) this.held.set(partition, { cursor, saved: cursor, retryAt: 0 });
      this.log.debug({ acquired, members }, 'leased partitions');
      this.wake();
    }
  }

  private retryDelay(attempt: number): number {
    return Math.min(this.settings.retryDelayMs * 2 ** (attempt - 1), this.settings.maxRetryDelayMs);
  }

  private async processBatch(db: Kysely<any>): Promise<{ full: boolean; progressed: boolean; pending: boolean }> {
    const now = Date.now();
    const ready = new Map<number, Cursor>();
    for (const [partition, state] of this.held) if (state.retryAt <= now) ready.set(partition, state.cursor);
    if (ready.size === 0) return { full: false, progressed: false, pending: false };

    const { batchSize, maxAttempts } = this.settings;
    const read = await readGroupBatch(this.connection!, { group: this.group, topics: this.topics, partitions: this.partitionCount, cursors: ready, limit: batchSize });
    const waiting = new Map<number, number>();
    let done: BatchResult = { advanced: new Map(), handled: [], deadLettered: [] };
    while (read.rows.length > 0) {
      try {
        done = await this.runBatch(db, read.rows, waiting);
        break;
      } catch (error) {
        if (!(error instanceof HandlerFailure)) throw error;
        // The whole batch rolled back. It runs again without the failed event's partition (whose
        // later events keep their order behind it): the handlers before it run once more.
        const { event, reason } = error;
        const attempts = (this.attempts.get(event.id)?.count ?? 0) + 1;
        this.attempts.set(event.id, { count: attempts, error: reason });
        if (attempts < maxAttempts) {
          const partition = read.rows.find((row) => row.id === event.id)!.partition;
          waiting.set(partition, now + this.retryDelay(attempts));
          this.log.info({ eventId: event.id, topic: event.topic, attempts, error: reason }, 'handler failed; will retry');
        } // otherwise the next run records it as a dead letter
      }
    }
    // Committed: the in-memory state follows the table.
    for (const [partition, cursor] of done.advanced) {
      const state = this.held.get(partition);
      if (state) state.cursor = state.saved = cursor;
    }
    for (const event of done.handled) {
      this.attempts.delete(event.id);
      recordEventLag(this.group, event.topic, event.createdAt);
    }
    for (const { event, attempts, error } of done.deadLettered) {
      this.attempts.delete(event.id);
      this.log.warn({ eventId: event.id, topic: event.topic, attempts, error }, 'event moved to dead letters');
    }
    for (const [partition, retryAt] of waiting) {
      const state = this.held.get(partition);
      if (state) state.retryAt = retryAt;
    }
    // Every row up to where the scan stopped (or below the horizon) was seen: the partitions move past
    // what they have no interest in.
    const seenTo = read.scannedTo ?? horizonCursor(read.horizon);
    for (const partition of ready.keys()) {
      const state = this.held.get(partition);
      if (state && !waiting.has(partition)) state.cursor = maxCursor(state.cursor, seenTo);
    }
    return { full: read.scannedTo !== undefined, progressed: done.advanced.size > 0, pending: read.pending };
  }

  /**
   * One transaction: every handler (no savepoints: the common case costs no
   * extra round trip), dead letters, processed marks and cursors. Throws
   * HandlerFailure for the first handler that fails.
   */
  private async runBatch(db: Kysely<any>, rows: GroupRow[], waiting: Map<number, number>): Promise<BatchResult> {
    const { maxAttempts, handlerTimeoutMs } = this.settings;
    return db.transaction().execute(async (trx) => {
      const result: BatchResult = { advanced: new Map(), handled: [], deadLettered: [] };
      let previousHandled: PublishedEvent | undefined;
      for (const row of rows) {
        if (waiting.has(row.partition)) continue;
        const event = toPublishedEvent(row);
        const cursor = { txid: row.txid, position: row.position };
        if (!row.processed) {
          const previous = this.attempts.get(event.id);
          const rejection = rejectionOf(event);
          if (rejection || (previous && previous.count >= maxAttempts)) {
            // A payload against its schema cannot get better; a handler that failed every attempt has had its chances.
            const letter = { event, attempts: rejection ? (previous?.count ?? 0) + 1 : previous!.count, error: rejection ?? previous!.error };
            await recordDeadLetter(trx, this.group, event, letter.error, letter.attempts);
            result.deadLettered.push(letter);
          } else {
            const attempt = (previous?.count ?? 0) + 1;
            try {
              await runHandler(this.handlers[event.topic]!, event, { trx, attempt, group: this.group, log: this.log }, handlerTimeoutMs);
            } catch (error) {
              if (error instanceof HandlerTimeoutError) {
                this.attempts.set(event.id, { count: attempt, error: error.message });
                // The handler may hang in a query on this very connection: end its backend first, or the rollback would wait behind it.
                await this.terminateBackend();
              }
              throw blameSwallowedError(error, previousHandled);
            }
            result.handled.push(event);
            previousHandled = event;
          }
        }
        result.advanced.set(row.partition, cursor);
      }
      try {
        await recordProgress(trx, this.group, result.handled.map((event) => event.id), result.advanced);
      } catch (error) {
        throw blameSwallowedError(error, previousHandled);
      }
      return result;
    });
  }

  /** Dead letters an operator asked to replay (a bounded number per cycle, so new events are not held up). */
  private async processReplays(db: Kysely<any>): Promise<void> {
    const options = {
      group: this.group,
      handlers: this.handlers,
      handlerTimeoutMs: this.settings.handlerTimeoutMs,
      log: this.log,
      terminate: () => this.terminateBackend(),
    };
    for (let round = 0; round < 20; round += 1) {
      if (!(await replayNextDeadLetter(db, options))) return;
    }
    this.replayRequested = true;
  }

  /** Cursors moved past events of no interest are written now and then, not on every read. */
  private async flushCursors(db: Kysely<any>, partitions = this.heldPartitions()): Promise<void> {
    const moved = new Map<number, Cursor>();
    for (const partition of partitions) {
      const state = this.held.get(partition);
      if (state && compareCursors(state.cursor, state.saved) > 0) moved.set(partition, state.cursor);
    }
    if (moved.size === 0) return;
    await saveCursors(db, this.group, moved);
    for (const [partition, cursor] of moved) this.held.get(partition)!.saved = cursor;
  }

  private maybePrune(now: number): void {
    if (!this.retention || this.pruning || now < this.nextPrune) return;
    const { maxAgeMs, intervalMs } = this.retention;
    this.nextPrune = now + intervalMs;
    this.pruning = true;
    pruneEvents(this.pool, { maxAgeMs })
      .then((result) => {
        if (result.events > 0) this.log.info(result, 'pruned old events');
      })
      .catch((error: unknown) => this.log.warn({ err: error }, 'pruning events failed'))
      .finally(() => {
        this.pruning = false;
      });
  }
}

export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const lanes: GroupConsumer[] = [];
  try {
    for (let lane = 0; lane < Math.max(1, options.concurrency ?? 1); lane += 1) {
      const consumer = new GroupConsumer(options);
      await consumer.start();
      lanes.push(consumer);
    }
  } catch (error) {
    await Promise.all(lanes.map((lane) => lane.stop()));
    throw error;
  }
  if (lanes.length === 1) return lanes[0]!;
  return {
    group: options.group,
    heldPartitions: () => lanes.flatMap((lane) => lane.heldPartitions()).sort((a, b) => a - b),
    stop: async () => void (await Promise.all(lanes.map((lane) => lane.stop()))),
  };
}
