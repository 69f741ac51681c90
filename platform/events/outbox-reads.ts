/**
 * The two reads of the outbox: a consumer group's next batch over the
 * partitions it holds, and the live feed's next batch. Both read in
 * (txid, position) order and only rows written by transactions below the
 * statement's snapshot xmin: every such transaction has ended, so no row can
 * later appear before what was read (README.md, "Ordering").
 *
 * Each read also returns that horizon (so an idle reader can move its cursor
 * past rows it has no interest in) and whether committed rows of its topics
 * already wait above it (a transaction that started earlier is still
 * running): the reader then looks again shortly, since no notification will
 * come when that other transaction ends.
 */
import { sql, type Kysely } from 'kysely';
import { compareCursors, type Cursor } from './event-cursor.js';
import type { ListenConnection } from './listen-connection.js';
import type { OutboxRow } from './published-event.js';

/** Reads run on a reader's own connection, as prepared statements (they run hundreds of times a second). */
export type Reader = Pick<ListenConnection, 'db' | 'prepared'>;

export interface ReadResult<Row> {
  rows: Row[];
  /** The snapshot xmin of the read: every row below it of the read's topics was seen (if the batch was not full). */
  horizon: string;
  /** Committed rows of the read's topics wait above the horizon. */
  pending: boolean;
}

export interface GroupRow extends OutboxRow {
  partition: number;
  /** The group already recorded this event as processed (a replay or a rewind): skip it. */
  processed: boolean;
}

interface RawResult {
  horizon: string;
  pending: boolean;
}

const EVENT_COLUMNS = sql`o.position::text AS position, o.txid::text AS txid, o.id, o.topic, o.company_id, o.entity_key, o.payload, o.source, o.created_at`;

function split<Row>(raw: (RawResult & Partial<Row> & { id: string | null })[]): ReadResult<Row> {
  const first = raw[0]!;
  const rows = raw.filter((row) => row.id !== null).map(({ horizon: _h, pending: _p, ...row }) => row as unknown as Row);
  return { rows, horizon: first.horizon, pending: first.pending };
}

/** The partition of an entity key among `partitions`: stable, from the stored hash. */
export const PARTITION_OF = (partitions: number) => sql`(o.key_hash & 2147483647) % ${partitions}`;

export async function readGroupBatch(
  reader: Reader,
  options: { group: string; topics: string[]; partitions: number; cursors: Map<number, Cursor>; limit: number },
): Promise<ReadResult<GroupRow>> {
  const held = [...options.cursors.keys()];
  const lowest = [...options.cursors.values()].reduce((a, b) => (compareCursors(a, b) <= 0 ? a : b));
  // Cursors by partition number (index + 1); partitions not held are filtered out before they are looked at.
  const txids = Array.from({ length: options.partitions }, (_, partition) => options.cursors.get(partition)?.txid ?? '0');
  const positions = Array.from({ length: options.partitions }, (_, partition) => options.cursors.get(partition)?.position ?? '0');
  const partitionOf = PARTITION_OF(options.partitions);
  // One scan of the (txid, position) index in order, no join: the plan (generic, prepared) stays an index
  // scan even for a long backlog. The processed marks are looked up for the batch's rows only, one probe
  // each (a LATERAL with LIMIT cannot become a hash of every mark of the group).
  const query = sql<RawResult & GroupRow>`
    WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)
    SELECT h.horizon::text AS horizon,
           EXISTS (SELECT 1 FROM events.outbox p WHERE p.txid >= h.horizon AND p.topic = ANY(${options.topics}::text[])) AS pending,
           e.*
    FROM h LEFT JOIN LATERAL (
      SELECT b.*, d.event_id IS NOT NULL AS processed
      FROM (
        SELECT ${EVENT_COLUMNS}, ${partitionOf} AS partition
        FROM events.outbox o
        WHERE (o.txid, o.position) > (${lowest.txid}::xid8, ${lowest.position}::bigint)
          AND o.txid < h.horizon
          AND o.topic = ANY(${options.topics}::text[])
          AND ${partitionOf} = ANY(${held}::int[])
          AND (o.txid, o.position) > ((${txids}::text[]::xid8[])[${partitionOf} + 1], (${positions}::bigint[])[${partitionOf} + 1])
        ORDER BY o.txid, o.position
        LIMIT ${options.limit}
      ) b
      LEFT JOIN LATERAL (
        SELECT m.event_id FROM events.processed m WHERE m.group_name = ${options.group} AND m.event_id = b.id LIMIT 1
      ) d ON true
      ORDER BY b.txid::xid8, b.position::bigint
    ) e ON true`.compile(reader.db);
  return split<GroupRow>((await reader.prepared('bheem_events_group_batch', query)) as never);
}

export async function readFeedBatch(
  reader: Reader,
  options: { after: Cursor; topics: string[]; limit: number },
): Promise<ReadResult<OutboxRow>> {
  const query = sql<RawResult & OutboxRow>`
    WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)
    SELECT h.horizon::text AS horizon,
           EXISTS (SELECT 1 FROM events.outbox p WHERE p.txid >= h.horizon AND p.topic = ANY(${options.topics}::text[])) AS pending,
           e.*
    FROM h LEFT JOIN LATERAL (
      SELECT ${EVENT_COLUMNS}
      FROM events.outbox o
      WHERE (o.txid, o.position) > (${options.after.txid}::xid8, ${options.after.position}::bigint)
        AND o.txid < h.horizon
        AND o.topic = ANY(${options.topics}::text[])
      ORDER BY o.txid, o.position
      LIMIT ${options.limit}
    ) e ON true`.compile(reader.db);
  return split<OutboxRow>((await reader.prepared('bheem_events_feed_batch', query)) as never);
}

/** The current horizon: where a reader that wants only new events starts. */
export async function readHorizon(db: Kysely<any>): Promise<string> {
  const result = await sql<{ horizon: string }>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon`.execute(db);
  return result.rows[0]!.horizon;
}
