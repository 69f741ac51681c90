/**
 * A consumer group's durable state: its row (topics, number of partitions)
 * and one cursor per partition. Created on first start; the number of
 * partitions and the starting point are fixed then, the topics follow the
 * code that runs.
 */
import { sql, type Kysely } from 'kysely';
import { START_CURSOR, type Cursor } from './event-cursor.js';

export const GROUP_NAME_PATTERN = /^[a-z0-9][a-z0-9_.:-]{0,99}$/i;

export async function ensureConsumerGroup(
  db: Kysely<any>,
  options: { group: string; topics: string[]; partitions: number; startFrom: 'beginning' | 'now' },
): Promise<{ partitions: number }> {
  if (!GROUP_NAME_PATTERN.test(options.group)) throw new Error(`Invalid consumer group name "${options.group}"`);
  if (!Number.isInteger(options.partitions) || options.partitions < 1 || options.partitions > 1024) {
    throw new Error(`A consumer group has 1 to 1024 partitions, not ${options.partitions}`);
  }
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ partitions: number; created: boolean }>`
      INSERT INTO events.consumer_groups (name, topics, partitions) VALUES (${options.group}, ${options.topics}::text[], ${options.partitions})
      ON CONFLICT (name) DO UPDATE SET topics = EXCLUDED.topics, updated_at = now(), last_seen_at = now()
      RETURNING partitions, (xmax = 0) AS created`.execute(trx);
    const { partitions, created } = rows[0]!;
    if (created) {
      // 'now': the events of transactions that begin after this one (every transaction id from the snapshot's xmax on).
      const start = options.startFrom === 'now' ? sql`pg_snapshot_xmax(pg_current_snapshot())` : sql`${START_CURSOR.txid}::xid8`;
      await sql`
        INSERT INTO events.consumer_cursors (group_name, partition, txid, position)
        SELECT ${options.group}, n, ${start}, 0 FROM generate_series(0, ${partitions - 1}::int) AS n
        ON CONFLICT DO NOTHING`.execute(trx);
    }
    return { partitions };
  });
}

export async function loadCursors(db: Kysely<any>, group: string, partitions: number[]): Promise<Map<number, Cursor>> {
  const { rows } = await sql<{ partition: number; txid: string; position: string }>`
    SELECT partition, txid::text AS txid, position::text AS position FROM events.consumer_cursors
    WHERE group_name = ${group} AND partition = ANY(${partitions}::int[])`.execute(db);
  const cursors = new Map(rows.map((row) => [row.partition, { txid: row.txid, position: row.position }]));
  for (const partition of partitions) {
    if (!cursors.has(partition)) throw new Error(`Consumer group "${group}" has no cursor for partition ${partition}`);
  }
  return cursors;
}

export async function saveCursors(db: Kysely<any>, group: string, cursors: Map<number, Cursor>): Promise<void> {
  if (cursors.size === 0) return;
  const entries = [...cursors.entries()];
  await sql`
    UPDATE events.consumer_cursors c SET txid = v.txid, position = v.position, updated_at = now()
    FROM unnest(${entries.map(([partition]) => partition)}::int[],
                ${entries.map(([, cursor]) => cursor.txid)}::text[]::xid8[],
                ${entries.map(([, cursor]) => cursor.position)}::bigint[]) AS v(partition, txid, position)
    WHERE c.group_name = ${group} AND c.partition = v.partition`.execute(db);
}

export async function markProcessed(db: Kysely<any>, group: string, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await sql`
    INSERT INTO events.processed (group_name, event_id)
    SELECT ${group}, unnest(${eventIds}::uuid[]) ON CONFLICT DO NOTHING`.execute(db);
}

/** A process of the group runs: pruning keeps waiting for it (prune-events.ts). */
export async function touchConsumerGroup(db: Kysely<any>, group: string): Promise<void> {
  await sql`UPDATE events.consumer_groups SET last_seen_at = now() WHERE name = ${group}`.execute(db);
}

/**
 * A batch's outcome in one statement: the handled events' processed marks, the moved cursors, and the
 * attempt counts of the events it finished (handled or dead-lettered) dropped.
 */
export async function recordProgress(db: Kysely<any>, group: string, progress: { handled: string[]; finished: string[]; cursors: Map<number, Cursor> }): Promise<void> {
  const entries = [...progress.cursors.entries()];
  await sql`
    WITH marked AS (
      INSERT INTO events.processed (group_name, event_id)
      SELECT ${group}, unnest(${progress.handled}::uuid[]) ON CONFLICT DO NOTHING
    ), counted AS (
      DELETE FROM events.delivery_attempts WHERE group_name = ${group} AND event_id = ANY(${progress.finished}::uuid[])
    )
    UPDATE events.consumer_cursors c SET txid = v.txid, position = v.position, updated_at = now()
    FROM unnest(${entries.map(([partition]) => partition)}::int[],
                ${entries.map(([, cursor]) => cursor.txid)}::text[]::xid8[],
                ${entries.map(([, cursor]) => cursor.position)}::bigint[]) AS v(partition, txid, position)
    WHERE c.group_name = ${group} AND c.partition = v.partition`.execute(db);
}
