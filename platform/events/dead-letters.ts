/**
 * Dead letters: events a consumer group gave up on (a payload that fails its
 * schema, or a handler that failed every attempt), with the error. The group
 * moves on; an operator lists them, fixes the cause, and asks for a replay
 * (scripts/events-dead-letters.ts): the group's consumers then handle them
 * once more, with the same idempotency as any delivery.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { EVENTS_CHANNEL } from './publish-event.js';
import type { PublishedEvent } from './published-event.js';

export interface DeadLetter {
  id: string;
  group: string;
  event: PublishedEvent;
  error: string;
  attempts: number;
  failedAt: Date;
  replayRequestedAt: Date | null;
  resolvedAt: Date | null;
  resolution: 'replayed' | 'discarded' | null;
}

export interface DeadLetterRow {
  id: string;
  group_name: string;
  event_id: string;
  position: string;
  topic: string;
  company_id: string;
  entity_key: string;
  payload: unknown;
  source: string;
  event_created_at: Date;
  error: string;
  attempts: number;
  failed_at: Date;
  replay_requested_at: Date | null;
  resolved_at: Date | null;
  resolution: 'replayed' | 'discarded' | null;
}

/** Wakes the group's consumers: a replay was asked for. Never a topic name (those have no colon). */
export const replayNotification = (group: string) => `replay:${group}`;

export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: String(row.id),
    group: row.group_name,
    event: {
      id: row.event_id,
      topic: row.topic,
      companyId: row.company_id,
      key: row.entity_key,
      payload: row.payload,
      source: row.source,
      createdAt: row.event_created_at,
      position: String(row.position),
      cursor: '',
    },
    error: row.error,
    attempts: row.attempts,
    failedAt: row.failed_at,
    replayRequestedAt: row.replay_requested_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
  };
}

export async function recordDeadLetter(trx: Transaction<any>, group: string, event: PublishedEvent, error: string, attempts: number): Promise<void> {
  await sql`
    INSERT INTO events.dead_letters
      (group_name, event_id, position, topic, company_id, entity_key, payload, source, event_created_at, error, attempts)
    VALUES (${group}, ${event.id}, ${event.position}, ${event.topic}, ${event.companyId}, ${event.key},
            ${JSON.stringify(event.payload)}::jsonb, ${event.source}, ${event.createdAt}, ${error}, ${attempts})
    ON CONFLICT (group_name, event_id) DO UPDATE SET
      error = EXCLUDED.error, attempts = events.dead_letters.attempts + EXCLUDED.attempts, failed_at = now(),
      replay_requested_at = NULL, resolved_at = NULL, resolution = NULL`.execute(trx);
}

export async function listDeadLetters(db: Kysely<any>, options: { group?: string; includeResolved?: boolean; limit?: number } = {}): Promise<DeadLetter[]> {
  const result = await sql<DeadLetterRow>`
    SELECT id::text AS id, group_name, event_id, position::text AS position, topic, company_id, entity_key, payload, source,
           event_created_at, error, attempts, failed_at, replay_requested_at, resolved_at, resolution
    FROM events.dead_letters
    WHERE (${options.group ?? null}::text IS NULL OR group_name = ${options.group ?? null})
      AND (${options.includeResolved ?? false} OR resolved_at IS NULL)
    ORDER BY id
    LIMIT ${options.limit ?? 100}`.execute(db);
  return result.rows.map(toDeadLetter);
}

/** Asks the consumers to handle these dead letters again (all open ones of `group` when no ids). Returns how many. */
export async function requestReplay(db: Kysely<any>, selection: { ids?: string[]; group?: string }): Promise<number> {
  if (!selection.ids?.length && !selection.group) throw new Error('Name dead letter ids or a group to replay');
  return db.transaction().execute(async (trx) => {
    const result = await sql<{ group_name: string }>`
      UPDATE events.dead_letters SET replay_requested_at = now()
      WHERE resolved_at IS NULL
        AND (${selection.ids ?? null}::bigint[] IS NULL OR id = ANY(${selection.ids ?? null}::bigint[]))
        AND (${selection.group ?? null}::text IS NULL OR group_name = ${selection.group ?? null})
      RETURNING group_name`.execute(trx);
    for (const group of new Set(result.rows.map((row) => row.group_name))) {
      await sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${replayNotification(group)})`.execute(trx);
    }
    return result.rows.length;
  });
}

/** Gives up on dead letters for good (they stay listed with `--all`, until retention prunes them). */
export async function discardDeadLetters(db: Kysely<any>, ids: string[]): Promise<number> {
  const result = await sql`
    UPDATE events.dead_letters SET resolved_at = now(), resolution = 'discarded', replay_requested_at = NULL
    WHERE resolved_at IS NULL AND id = ANY(${ids}::bigint[])`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
