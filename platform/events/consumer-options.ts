/**
 * What a consumer group's process is told (startEventConsumer's options),
 * and the settings it derives from them, defaults filled in.
 */
import type { Logger } from '../logger.js';
import type { EventHandler } from './handle-event.js';
import type { TopicName, TopicPayload } from './topics/index.js';

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
  /** Deliveries of an event before it becomes a dead letter (counted in the database, so crashes count). Default 5. */
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
  /**
   * Prunes old processed events (one process at a time). Default: 7 days (pass config.eventRetentionDays), hourly,
   * not waiting for groups no process has run for `abandonedAfterMs` (default 14 days). `false`: never.
   */
  retention?: { maxAgeMs: number; intervalMs?: number; abandonedAfterMs?: number } | false;
  log?: Logger;
}

export interface ConsumerSettings {
  partitions: number;
  batchSize: number;
  maxAttempts: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
  handlerTimeoutMs: number;
  pollIntervalMs: number;
  rebalanceIntervalMs: number;
  retention: { maxAgeMs: number; intervalMs: number; abandonedAfterMs: number } | false;
}

const DAY_MS = 86_400_000;
export const DEFAULT_ABANDONED_AFTER_MS = 14 * DAY_MS;

export function consumerSettings(options: EventConsumerOptions): ConsumerSettings {
  const retention = options.retention;
  return {
    partitions: options.partitions ?? 8,
    batchSize: options.batchSize ?? 100,
    maxAttempts: options.maxAttempts ?? 5,
    retryDelayMs: options.retryDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    handlerTimeoutMs: options.handlerTimeoutMs ?? 60_000,
    pollIntervalMs: options.pollIntervalMs ?? 2_000,
    rebalanceIntervalMs: options.rebalanceIntervalMs ?? 2_000,
    retention:
      retention === false
        ? false
        : {
            maxAgeMs: retention?.maxAgeMs ?? 7 * DAY_MS,
            intervalMs: retention?.intervalMs ?? 3_600_000,
            abandonedAfterMs: retention?.abandonedAfterMs ?? DEFAULT_ABANDONED_AFTER_MS,
          },
  };
}
