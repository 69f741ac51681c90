/**
 * Replays of dead letters an operator asked for (dead-letters.ts), run by the
 * group's consumers: one dead letter per transaction, claimed with SKIP
 * LOCKED so that two processes never replay the same one, handled with the
 * same savepoint and processed-mark idempotency as a first delivery.
 */
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import { markProcessed } from './consumer-groups.js';
import { toDeadLetter, type DeadLetterRow } from './dead-letters.js';
import { handleEvent, HandlerSavepoint, type EventHandler, type Outcome } from './handle-event.js';

export interface ReplayOptions {
  group: string;
  handlers: Record<string, EventHandler<any>>;
  handlerTimeoutMs: number;
  log: Logger;
}

/** Replays one requested dead letter, if any; false when none was waiting. */
export async function replayNextDeadLetter(db: Kysely<any>, options: ReplayOptions): Promise<boolean> {
  const { group, log } = options;
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<DeadLetterRow>`
      SELECT id::text AS id, group_name, event_id, position::text AS position, topic, company_id, entity_key, payload, source,
             event_created_at, error, attempts, failed_at, replay_requested_at, resolved_at, resolution
      FROM events.dead_letters
      WHERE group_name = ${group} AND resolved_at IS NULL AND replay_requested_at IS NOT NULL
      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`.execute(trx);
    const row = rows[0];
    if (!row) return false;
    const { event } = toDeadLetter(row);
    const done = await sql`SELECT 1 FROM events.processed WHERE group_name = ${group} AND event_id = ${event.id}`.execute(trx);
    const handler = options.handlers[event.topic];
    let outcome: Outcome;
    if (done.rows.length > 0) outcome = { kind: 'handled' };
    else if (!handler) outcome = { kind: 'rejected', error: `group "${group}" no longer handles topic "${event.topic}"` };
    else outcome = await handleEvent(new HandlerSavepoint(trx), trx, event, handler, { attempt: row.attempts + 1, group, log }, options.handlerTimeoutMs);

    if (outcome.kind === 'handled') {
      await markProcessed(trx, group, [event.id]);
      await sql`
        UPDATE events.dead_letters SET resolved_at = now(), resolution = 'replayed', replay_requested_at = NULL
        WHERE id = ${row.id}`.execute(trx);
      log.info({ eventId: event.id, topic: event.topic }, 'dead letter replayed');
    } else {
      await sql`
        UPDATE events.dead_letters SET error = ${outcome.error}, attempts = attempts + 1, failed_at = now(), replay_requested_at = NULL
        WHERE id = ${row.id}`.execute(trx);
      log.warn({ eventId: event.id, topic: event.topic, error: outcome.error }, 'dead letter failed again');
    }
    return true;
  });
}
