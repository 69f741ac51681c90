/**
 * Deliveries of an event begun by a group, counted in the table before its
 * handler runs, in a statement that commits on its own: a handler that kills
 * its process (or its connection) has still used an attempt, so after
 * `maxAttempts` such crashes the event becomes a dead letter instead of
 * being redelivered forever. The row goes when the event is handled or
 * dead-lettered, in that same transaction (recordProgress).
 *
 * The count commits without waiting for its WAL flush (synchronous_commit
 * off for this statement only): a process that dies keeps it (it is in the
 * server's WAL buffers); only a crash of PostgreSQL itself may lose the
 * last ones, which then costs an event one more attempt than configured.
 */
import { sql, type Kysely } from 'kysely';
import { isUuid } from '../ids.js';

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * The statement that counts one more delivery of each event and returns the counts (`event_id`, `attempts`),
 * this one included. Without parameters, so that it can share a round trip with the batch's BEGIN
 * (ListenConnection.commitBeforeNextBegin); ids come from the outbox and are checked anyway.
 */
export function beginDeliveriesStatement(group: string, eventIds: string[]): string {
  for (const id of eventIds) if (!isUuid(id)) throw new Error(`Not an event id: ${JSON.stringify(id)}`);
  return `INSERT INTO events.delivery_attempts AS a (group_name, event_id, attempts)
    SELECT ${literal(group)}, id, 1 FROM unnest(ARRAY[${eventIds.map(literal).join(',')}]::uuid[]) AS id
    WHERE set_config('synchronous_commit', 'off', true) IS NOT NULL
    ON CONFLICT (group_name, event_id) DO UPDATE SET attempts = a.attempts + 1, updated_at = now()
    RETURNING event_id::text, attempts`;
}

/** Why the last delivery failed, for the dead letter that may follow (in another process). */
export async function recordAttemptError(db: Kysely<any>, group: string, eventId: string, error: string): Promise<void> {
  await sql`UPDATE events.delivery_attempts SET error = ${error}, updated_at = now() WHERE group_name = ${group} AND event_id = ${eventId}`.execute(db);
}
