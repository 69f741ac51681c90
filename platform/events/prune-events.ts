/**
 * Retention: events older than `maxAgeMs` are deleted once every consumer
 * group that takes their topic has passed them (an event still owed to a
 * group is kept, however old), together with the bookkeeping of the same
 * age: processed marks, ingestion ids, resolved dead letters. Open dead
 * letters are kept until resolved. Deletes go in slices, so a large backlog
 * never holds one long transaction. A group no process has run for
 * `abandonedAfterMs` holds nothing back (abandoned-groups.ts), with a warning.
 */
import { sql, type Kysely } from 'kysely';
import type { Logger } from '../logger.js';
import { findAbandonedGroups } from './abandoned-groups.js';
import { DEFAULT_ABANDONED_AFTER_MS } from './consumer-options.js';

const PRUNE_LOCK = 4_242_101;
const SLICE = 5_000;

export interface PruneResult {
  events: number;
  processed: number;
  ingested: number;
  deadLetters: number;
  /** False when another process was pruning already. */
  ran: boolean;
  /** Groups that held nothing back, since no process has run them for `abandonedAfterMs`. */
  abandonedGroups: string[];
}

async function deleteInSlices(run: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await run();
    total += deleted;
    if (deleted < SLICE) return total;
  }
}

export async function pruneEvents(db: Kysely<any>, options: { maxAgeMs: number; abandonedAfterMs?: number; log?: Logger }): Promise<PruneResult> {
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(${PRUNE_LOCK}) AS locked`.execute(connection);
    if (!rows[0]!.locked) return { events: 0, processed: 0, ingested: 0, deadLetters: 0, ran: false, abandonedGroups: [] };
    try {
      const cutoff = new Date(Date.now() - options.maxAgeMs);
      const abandoned = await findAbandonedGroups(connection, options.abandonedAfterMs ?? DEFAULT_ABANDONED_AFTER_MS);
      for (const { group, lastSeenAt } of abandoned) {
        options.log?.warn({ consumerGroup: group, lastSeenAt }, 'consumer group not seen for long: pruning no longer keeps its events (drop its row if it is gone for good)');
      }
      const abandonedGroups = abandoned.map((group) => group.group);
      const events = await deleteInSlices(async () => {
        const result = await sql`
          DELETE FROM events.outbox WHERE position IN (
            SELECT o.position FROM events.outbox o
            WHERE o.created_at < ${cutoff}
              AND NOT EXISTS (
                SELECT 1 FROM events.consumer_groups g
                JOIN events.consumer_cursors c ON c.group_name = g.name
                WHERE o.topic = ANY(g.topics)
                  AND NOT (g.name = ANY(${abandonedGroups}::text[]))
                  AND c.partition = (o.key_hash & 2147483647) % g.partitions
                  AND (o.txid, o.position) > (c.txid, c.position))
            LIMIT ${SLICE})`.execute(connection);
        return Number(result.numAffectedRows ?? 0);
      });
      const slice = (table: string, column: string) =>
        deleteInSlices(async () => {
          const result = await sql`
            DELETE FROM ${sql.table(`events.${table}`)} WHERE ctid IN (
              SELECT ctid FROM ${sql.table(`events.${table}`)} WHERE ${sql.ref(column)} < ${cutoff} LIMIT ${SLICE})`.execute(connection);
          return Number(result.numAffectedRows ?? 0);
        });
      const processed = await slice('processed', 'processed_at');
      const ingested = await slice('ingested', 'received_at');
      const deadLetters = await slice('dead_letters', 'resolved_at');
      return { events, processed, ingested, deadLetters, ran: true, abandonedGroups };
    } finally {
      await sql`SELECT pg_advisory_unlock(${PRUNE_LOCK})`.execute(connection);
    }
  });
}
