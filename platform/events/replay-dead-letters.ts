/**
 * Replays of dead letters an operator asked for (dead-letters.ts), run by the
 * group's consumers: one dead letter per transaction, claimed with SKIP
 * LOCKED so that two processes never replay the same one, with the same
 * processed-mark idempotency as a first delivery. A failure is recorded on
 * the dead letter, which stays open.
 */
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import { markProcessed } from './consumer-groups.js';
import { toDeadLetter, type DeadLetterRow } from './dead-letters.js';
import { HandlerFailure, HandlerTimeoutError, rejectionOf, runHandler, type EventHandler } from './handle-event.js';

export interface ReplayOptions {
  group: string;
  handlers: Record<string, EventHandler<any>>;
  handlerTimeoutMs: number;
  log: Logger;
  /** Ends the connection's backend: a handler past its time may hang in a query on it. */
  terminate: () => Promise<void>;
}

/** Replays one requested dead letter, if any; false when none was waiting. */
export async function replayNextDeadLetter(db: Kysely<any>, options: ReplayOptions): Promise<boolean> {
  const { group, log } = options;
  let claimed: DeadLetterRow | undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      const { rows } = await sql<DeadLetterRow>`
        SELECT id::text AS id, group_name, event_id, position::text AS position, topic, company_id, entity_key, payload, source,
               event_created_at, error, attempts, failed_at, replay_requested_at, resolved_at, resolution
        FROM events.dead_letters
        WHERE group_name = ${group} AND resolved_at IS NULL AND replay_requested_at IS NOT NULL
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(trx);
      claimed = rows[0];
      if (!claimed) return false;
      const { event } = toDeadLetter(claimed);
      const done = await sql`SELECT 1 FROM events.processed WHERE group_name = ${group} AND event_id = ${event.id}`.execute(trx);
      if (done.rows.length === 0) {
        const handler = options.handlers[event.topic];
        const rejection = handler ? rejectionOf(event) : `group "${group}" no longer handles topic "${event.topic}"`;
        if (rejection) throw new HandlerFailure(event, rejection);
        try {
          await runHandler(handler!, event, { trx, attempt: claimed.attempts + 1, group, log }, options.handlerTimeoutMs);
        } catch (error) {
          if (error instanceof HandlerTimeoutError) await options.terminate();
          throw error;
        }
        await markProcessed(trx, group, [event.id]);
      }
      await sql`
        UPDATE events.dead_letters SET resolved_at = now(), resolution = 'replayed', replay_requested_at = NULL
        WHERE id = ${claimed.id}`.execute(trx);
      log.info({ eventId: event.id, topic: event.topic }, 'dead letter replayed');
      return true;
    });
  } catch (error) {
    if (!(error instanceof HandlerFailure) || !claimed) throw error;
    await sql`
      UPDATE events.dead_letters SET error = ${error.reason}, attempts = attempts + 1, failed_at = now(), replay_requested_at = NULL
      WHERE id = ${claimed.id} AND resolved_at IS NULL`.execute(db);
    log.warn({ eventId: error.event.id, topic: error.event.topic, error: error.reason }, 'dead letter failed again');
    return true;
  }
}
