/**
 * One delivery of one event to one handler, inside the batch's transaction:
 * payload checked against its topic, then the handler in a savepoint, so a
 * failing handler leaves no writes behind and the batch goes on.
 */
import { sql, type Transaction } from 'kysely';
import type { Logger } from '../logger.js';
import { PayloadError } from './payload-schema.js';
import type { PublishedEvent } from './published-event.js';
import { checkEventPayload, UnknownTopicError } from './topic-registry.js';

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

export type Outcome = { kind: 'handled' } | { kind: 'failed'; error: string } | { kind: 'rejected'; error: string };

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The savepoint handlers run in, kept across the events of one batch: one
 * round trip per event ("release, and set again") instead of two.
 */
export class HandlerSavepoint {
  private set = false;

  constructor(private readonly trx: Transaction<any>) {}

  async enter(): Promise<void> {
    if (this.set) return;
    await sql`SAVEPOINT event_handler`.execute(this.trx);
    this.set = true;
  }

  /** Keeps the handler's writes, and sets the savepoint again for the next one. */
  async keep(): Promise<void> {
    await sql.raw('RELEASE SAVEPOINT event_handler; SAVEPOINT event_handler').execute(this.trx);
  }

  /** Drops the handler's writes; the savepoint stays set. */
  async undo(): Promise<void> {
    await sql`ROLLBACK TO SAVEPOINT event_handler`.execute(this.trx);
  }
}

/**
 * `rejected`: the payload (or topic) is bad, and retrying cannot help.
 * `failed`: the handler threw; its writes are rolled back.
 * Throws HandlerTimeoutError, or whatever the connection throws.
 */
export async function handleEvent(
  savepoint: HandlerSavepoint,
  trx: Transaction<any>,
  event: PublishedEvent,
  handler: EventHandler<any>,
  context: Omit<EventContext, 'trx'>,
  timeoutMs: number,
): Promise<Outcome> {
  try {
    checkEventPayload(event.topic, event.payload);
  } catch (error) {
    if (error instanceof PayloadError || error instanceof UnknownTopicError) return { kind: 'rejected', error: error.message };
    throw error;
  }
  await savepoint.enter();
  try {
    await withTimeout(handler(event, { ...context, trx }), timeoutMs, () => new HandlerTimeoutError(event, timeoutMs));
  } catch (error) {
    if (error instanceof HandlerTimeoutError) throw error;
    await savepoint.undo();
    return { kind: 'failed', error: describeError(error) };
  }
  await savepoint.keep();
  return { kind: 'handled' };
}
