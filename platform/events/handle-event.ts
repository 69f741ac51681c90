/**
 * One delivery of one event to one handler, inside a transaction of the
 * consumer: the payload checked against its topic (a bad one is rejected,
 * never retried), then the handler, bounded in time.
 */
import type { Transaction } from 'kysely';
import type { Logger } from '../logger.js';
import { PayloadError } from './payload-schema.js';
import type { PublishedEvent } from './published-event.js';
import { checkEventPayload, UnknownTopicError } from './topic-registry.js';
import './topics/index.js';

export interface EventContext {
  /**
   * The delivery's transaction: write through it, and the writes commit
   * together with the group's "processed" mark and cursor, exactly once.
   */
  trx: Transaction<any>;
  /** 1 on the first delivery, more on retries. */
  attempt: number;
  group: string;
  log: Logger;
}

export type EventHandler<Payload = unknown> = (event: PublishedEvent<Payload>, context: EventContext) => Promise<void>;

/** A handler that ran past its time: the connection (and its transaction) must be dropped. */
export class HandlerTimeoutError extends Error {
  constructor(
    readonly event: PublishedEvent,
    timeoutMs: number,
  ) {
    super(`Handler for event ${event.id} (${event.topic}) did not finish within ${timeoutMs} ms`);
    this.name = 'HandlerTimeoutError';
  }
}

/**
 * Thrown by a handler that refuses the event for good (it asks for what the
 * sender may not do, which no retry changes): the event becomes a dead letter
 * at once, with this message as its error, and its partition moves on.
 */
export class EventRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventRejected';
  }
}

/** A handler threw: the transaction it ran in must be rolled back. */
export class HandlerFailure extends Error {
  constructor(
    readonly event: PublishedEvent,
    readonly reason: string,
    /** PostgreSQL's SQLSTATE when the handler failed on a query. */
    readonly sqlState?: string,
    /** The handler refused the event (EventRejected): a dead letter now, no retry. */
    readonly rejected = false,
  ) {
    super(`Handler for event ${event.id} (${event.topic}) failed: ${reason}`);
    this.name = 'HandlerFailure';
  }
}

/** SQLSTATE of a statement sent into a transaction that an earlier error has aborted. */
export const IN_FAILED_TRANSACTION = '25P02';

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Why the event cannot be handled at all (unknown topic, payload against its schema), or undefined. */
export function rejectionOf(event: PublishedEvent): string | undefined {
  try {
    checkEventPayload(event.topic, event.payload);
    return undefined;
  } catch (error) {
    if (error instanceof PayloadError || error instanceof UnknownTopicError) return error.message;
    throw error;
  }
}

/** Runs the handler; throws HandlerFailure when it throws, HandlerTimeoutError when it runs too long. */
export async function runHandler(handler: EventHandler<any>, event: PublishedEvent, context: EventContext, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeoutError(event, timeoutMs)), timeoutMs);
  });
  try {
    await Promise.race([handler(event, context), timeout]);
  } catch (error) {
    if (error instanceof HandlerTimeoutError) throw error;
    if (error instanceof EventRejected) throw new HandlerFailure(event, error.message, undefined, true);
    const sqlState = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
    throw new HandlerFailure(event, describeError(error), sqlState);
  } finally {
    clearTimeout(timer);
  }
}
