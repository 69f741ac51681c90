/**
 * A consumer of a group: durable, at-least-once, and exactly once in effect
 * for what a handler writes through `context.trx`.
 *
 * - Events of a group are split into partitions by entity key (events of one
 *   entity keep their order). Each process of the group leases its fair
 *   share of partitions (held-partitions.ts), so two processes share the
 *   work and never hold the same event at the same time.
 * - A batch runs in one transaction on the consumer's own connection
 *   (batch-delivery.ts): the handlers, then the "processed" marks and the
 *   partitions' cursors. A crash (or a dropped connection) rolls it all back
 *   and the lease goes with the session: whoever takes the partition
 *   re-reads from the cursor, and the event is handled again.
 * - A failing handler is retried with exponential backoff (its partition
 *   waits, the others go on); after `maxAttempts` (counted in the table, so
 *   a handler that kills its process counts too), or at once for a payload
 *   that fails its schema, the event becomes a dead letter and the
 *   partition moves on.
 * - NOTIFY only wakes the loop; the table is the truth, read on start, on
 *   every reconnect, and every `pollIntervalMs` as a safety net.
 */
import { sql, type Kysely } from 'kysely';
import { createKysely } from '../database/connection.js';
import { createLogger, type Logger } from '../logger.js';
import { BatchDelivery, type DeliveryOutcome } from './batch-delivery.js';
import { ensureConsumerGroup } from './consumer-groups.js';
import { consumerSettings, type ConsumerSettings, type EventConsumerOptions } from './consumer-options.js';
import { replayNotification } from './dead-letters.js';
import { registerEventMetrics } from './event-metrics.js';
import type { EventHandler } from './handle-event.js';
import { HeldPartitions } from './held-partitions.js';
import { openListenConnection, type ListenConnection } from './listen-connection.js';
import { groupLockKey, joinGroup } from './partition-leases.js';
import { pruneEvents } from './prune-events.js';
import { replayNextDeadLetter } from './replay-dead-letters.js';
import { WakeSignal } from './wake-signal.js';

export type { EventContext, EventHandler } from './handle-event.js';
export type { EventConsumerOptions, EventHandlers } from './consumer-options.js';

export interface EventConsumer {
  readonly group: string;
  /** The partitions this process holds right now. */
  heldPartitions(): number[];
  stop(): Promise<void>;
}

// While rows wait above the horizon: look again after this (no sooner than the relay's wake-ups, so batches stay big).
const MIN_RECHECK_MS = 10;
const MAX_RECHECK_MS = 100;
const MIN_RECONNECT_MS = 100;
const MAX_RECONNECT_MS = 5_000;
const CURSOR_FLUSH_MS = 5_000;

class GroupConsumer implements EventConsumer {
  readonly group: string;
  private readonly topics: string[];
  private readonly topicSet: Set<string>;
  private readonly handlers: Record<string, EventHandler<any>>;
  private readonly key: number;
  private readonly pool: Kysely<any>;
  private readonly log: Logger;
  private readonly settings: ConsumerSettings;
  private partitionCount = 0;
  private held!: HeldPartitions;
  private delivery!: BatchDelivery;
  private connection: ListenConnection | undefined;
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
    this.settings = consumerSettings(options);
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
    this.held = new HeldPartitions(this.group, this.key, partitions, this.log);
    this.delivery = new BatchDelivery(this.group, this.topics, this.handlers, this.settings, this.log, this.pool, () => this.terminateBackend());
    registerEventMetrics(this.options.databaseUrl);
    this.loop = this.run();
  }

  heldPartitions(): number[] {
    return this.held.numbers();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.signal.wake();
    await this.loop;
    const connection = this.connection;
    this.connection = undefined;
    if (connection?.isOpen()) {
      await this.held.flush(connection.db).catch(() => {});
      await connection.close();
    }
    this.held.clear();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!this.connection?.isOpen()) await this.connect();
        this.signal.consume();
        const { full, progressed, pending } = await this.cycle(this.connection!);
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
        this.signal.wake();
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
    void connection.closed.then(() => this.signal.wake());
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
    const next = Math.min(this.nextRebalance, this.nextReplayCheck, this.nextFlush, this.held.nextRetryAt(now));
    return Math.max(1, Math.min(next - now, this.settings.pollIntervalMs));
  }

  private async cycle(connection: ListenConnection): Promise<DeliveryOutcome> {
    const now = Date.now();
    if (now >= this.nextRebalance) {
      this.nextRebalance = now + this.settings.rebalanceIntervalMs;
      if (await this.held.rebalance(connection.db)) this.signal.wake();
    }
    const outcome = await this.delivery.deliver(connection, this.held, this.partitionCount);
    if (this.replayRequested || now >= this.nextReplayCheck) {
      this.replayRequested = false;
      this.nextReplayCheck = now + this.settings.pollIntervalMs;
      await this.processReplays(connection.db);
    }
    if (now >= this.nextFlush) {
      this.nextFlush = now + CURSOR_FLUSH_MS;
      await this.held.flush(connection.db);
    }
    this.maybePrune(now);
    return outcome;
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

  private maybePrune(now: number): void {
    const retention = this.settings.retention;
    if (!retention || this.pruning || now < this.nextPrune) return;
    this.nextPrune = now + retention.intervalMs;
    this.pruning = true;
    pruneEvents(this.pool, { maxAgeMs: retention.maxAgeMs, abandonedAfterMs: retention.abandonedAfterMs, log: this.log })
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
