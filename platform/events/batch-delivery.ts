/**
 * One read of a consumer's partitions and its delivery: a batch of events in
 * one transaction on the consumer's connection (every handler, no savepoints:
 * the common case costs no extra round trip), then the dead letters,
 * processed marks, attempt counts and cursors, in one statement.
 *
 * Attempts are counted in the table before the handlers run
 * (delivery-attempts.ts), committed in the round trip of the batch's BEGIN. An event whose delivery began and never finished
 * without an error (its process or connection died) is suspect, and so is
 * every event of its batch: while any is in sight, events go one per
 * transaction, so that only the one that kills its process keeps counting
 * attempts, until it becomes a dead letter.
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import { recordEventLag } from '../observability/event-lag.js';
import { recordProgress } from './consumer-groups.js';
import { recordDeadLetter } from './dead-letters.js';
import { beginDeliveriesStatement, recordAttemptError } from './delivery-attempts.js';
import { horizonCursor, type Cursor } from './event-cursor.js';
import { HandlerFailure, HandlerTimeoutError, IN_FAILED_TRANSACTION, rejectionOf, runHandler, type EventHandler } from './handle-event.js';
import type { HeldPartitions } from './held-partitions.js';
import type { ListenConnection } from './listen-connection.js';
import type { ConsumerSettings } from './consumer-options.js';
import { readGroupBatch, type GroupRow } from './outbox-reads.js';
import { toPublishedEvent, type PublishedEvent } from './published-event.js';

export interface DeliveryOutcome {
  /** The read stopped at its limit: more may follow at once. */
  full: boolean;
  progressed: boolean;
  /** Committed rows wait above the horizon: look again shortly. */
  pending: boolean;
}

interface BatchResult {
  advanced: Map<number, Cursor>;
  handled: PublishedEvent[];
  deadLettered: { event: PublishedEvent; attempts: number; error: string }[];
}

/** Where an event stands in this read: deliveries begun, whether this try is counted, why the last failed. */
interface Attempts {
  count: number;
  counted: boolean;
  error: string | null;
}

const DIED = 'the consumer (its process or connection) ended while the handler ran';

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

const cursorOf = (row: GroupRow): Cursor => ({ txid: row.txid, position: row.position });

export class BatchDelivery {
  constructor(
    private readonly group: string,
    private readonly topics: string[],
    private readonly handlers: Record<string, EventHandler<any>>,
    private readonly settings: ConsumerSettings,
    private readonly log: Logger,
    /** A pool apart from the consumer's connection (which a timed-out handler's connection may no longer be). */
    private readonly pool: Kysely<any>,
    /** Ends the connection's backend: a handler past its time may hang in a query on it. */
    private readonly terminate: () => Promise<void>,
  ) {}

  private retryDelay(attempt: number): number {
    return Math.min(this.settings.retryDelayMs * 2 ** (attempt - 1), this.settings.maxRetryDelayMs);
  }

  async deliver(connection: ListenConnection, held: HeldPartitions, partitionCount: number): Promise<DeliveryOutcome> {
    const now = Date.now();
    const ready = held.ready(now);
    if (ready.size === 0) return { full: false, progressed: false, pending: false };

    const { batchSize, maxAttempts } = this.settings;
    const read = await readGroupBatch(connection, { group: this.group, topics: this.topics, partitions: partitionCount, cursors: ready, limit: batchSize });
    let rows = read.rows;
    let scannedTo = read.scannedTo;
    if (rows.length > 1 && rows.some((row) => !row.processed && row.attempts > 0 && row.last_error === null)) {
      // Up to this row, everything was seen: the read "stopped" here.
      rows = rows.slice(0, 1);
      scannedTo = cursorOf(rows[0]!);
    }
    const attempts = new Map<string, Attempts>(rows.map((row) => [row.id, { count: row.attempts, counted: false, error: row.last_error }]));
    const rejections = new Map<string, string>();
    for (const row of rows) {
      const rejection = row.processed ? undefined : rejectionOf(toPublishedEvent(row));
      if (rejection) rejections.set(row.id, rejection);
    }

    const waiting = new Map<number, number>();
    let done: BatchResult = { advanced: new Map(), handled: [], deadLettered: [] };
    while (rows.length > 0) {
      const toCount = rows.filter((row) => {
        const state = attempts.get(row.id)!;
        return !row.processed && !waiting.has(row.partition) && !rejections.has(row.id) && !state.counted && state.count < maxAttempts;
      });
      // Counted (and committed) in the round trip of the batch's BEGIN.
      const counted =
        toCount.length === 0
          ? Promise.resolve([])
          : connection.commitBeforeNextBegin<{ event_id: string; attempts: number }>(
              beginDeliveriesStatement(
                this.group,
                toCount.map((row) => row.id),
              ),
            );
      counted.catch(() => {}); // a failed BEGIN fails the batch too, and is reported there
      try {
        done = await this.runBatch(connection.db, rows, waiting, attempts, rejections, counted);
        break;
      } catch (error) {
        if (!(error instanceof HandlerFailure)) throw error;
        // The whole batch rolled back. It runs again without the failed event's partition (whose
        // later events keep their order behind it): the handlers before it run once more.
        const { event, reason } = error;
        const state = attempts.get(event.id)!;
        if (error.rejected) {
          // Refused by its handler: the next run records the dead letter (this try is counted already).
          rejections.set(event.id, reason);
          continue;
        }
        Object.assign(state, { counted: false, error: reason });
        await recordAttemptError(connection.db, this.group, event.id, reason);
        if (state.count < maxAttempts) {
          const partition = rows.find((row) => row.id === event.id)!.partition;
          waiting.set(partition, now + this.retryDelay(state.count));
          this.log.info({ eventId: event.id, topic: event.topic, attempts: state.count, error: reason }, 'handler failed; will retry');
        } // otherwise the next run records it as a dead letter
      }
    }
    // Committed: the in-memory state follows the table.
    held.committed(done.advanced);
    for (const event of done.handled) recordEventLag(this.group, event.topic, event.createdAt);
    for (const { event, attempts: count, error } of done.deadLettered) {
      this.log.warn({ eventId: event.id, topic: event.topic, attempts: count, error }, 'event moved to dead letters');
    }
    held.waitUntil(waiting);
    // Every row up to where the scan stopped (or below the horizon) was seen: the partitions move past
    // what they have no interest in.
    held.seen(ready.keys(), scannedTo ?? horizonCursor(read.horizon), waiting);
    return { full: scannedTo !== undefined, progressed: done.advanced.size > 0, pending: read.pending };
  }

  /** One transaction: the batch's handlers, dead letters, then its progress. Throws HandlerFailure for the first handler that fails. */
  private async runBatch(
    db: Kysely<any>,
    rows: GroupRow[],
    waiting: Map<number, number>,
    attempts: Map<string, Attempts>,
    rejections: Map<string, string>,
    counted: Promise<{ event_id: string; attempts: number }[]>,
  ): Promise<BatchResult> {
    return db.transaction().execute(async (trx) => {
      for (const row of await counted) Object.assign(attempts.get(row.event_id)!, { count: row.attempts, counted: true });
      const result: BatchResult = { advanced: new Map(), handled: [], deadLettered: [] };
      let previousHandled: PublishedEvent | undefined;
      for (const row of rows) {
        if (waiting.has(row.partition)) continue;
        const event = toPublishedEvent(row);
        if (!row.processed) {
          const state = attempts.get(row.id)!;
          const rejection = rejections.get(row.id);
          if (rejection || !state.counted) {
            // A payload against its schema (or refused by its handler) cannot get better; an event whose deliveries all failed (or died) has had its chances.
            const letter = { event, attempts: rejection && !state.counted ? state.count + 1 : state.count, error: rejection ?? state.error ?? DIED };
            await recordDeadLetter(trx, this.group, event, letter.error, letter.attempts);
            result.deadLettered.push(letter);
          } else {
            try {
              await runHandler(this.handlers[event.topic]!, event, { trx, attempt: state.count, group: this.group, log: this.log }, this.settings.handlerTimeoutMs);
            } catch (error) {
              if (error instanceof HandlerTimeoutError) {
                state.counted = false;
                await recordAttemptError(this.pool, this.group, event.id, error.message).catch(() => {});
                // The handler may hang in a query on this very connection: end its backend first, or the rollback would wait behind it.
                await this.terminate();
              }
              throw blameSwallowedError(error, previousHandled);
            }
            result.handled.push(event);
            previousHandled = event;
          }
        }
        result.advanced.set(row.partition, cursorOf(row));
      }
      try {
        await recordProgress(trx, this.group, {
          handled: result.handled.map((event) => event.id),
          finished: [...result.handled, ...result.deadLettered.map((letter) => letter.event)].map((event) => event.id),
          cursors: result.advanced,
        });
      } catch (error) {
        throw blameSwallowedError(error, previousHandled);
      }
      return result;
    });
  }
}
