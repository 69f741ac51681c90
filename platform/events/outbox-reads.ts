/**
 * The two reads of the outbox: a consumer group's next batch over the
 * partitions it holds, and the live feed's next batch. Both read in
 * (txid, position) order and only rows written by transactions below the
 * statement's visibility horizon (visibility-horizon.ts): every such
 * transaction has ended, so no row can later appear before what was read
 * (README.md, "Ordering").
 *
 * Each read scans the next `limit` rows of the stream, in index order, and
 * keeps those of interest (topics, partitions, cursors): the plan is an
 * ordered index scan that stops at the limit whatever the statistics say,
 * and a reader of rare topics moves past the others without reading them
 * twice. It returns where the scan stopped (`scannedTo`, when it reached
 * the limit) or the horizon (every row below it was seen), and whether
 * committed rows wait above the horizon (a transaction that started earlier
 * is still running): the reader then looks again shortly, since no
 * notification will come when that other transaction ends.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { compareCursors, decodeCursor, type Cursor } from './event-cursor.js';
import type { ListenConnection } from './listen-connection.js';
import type { OutboxRow } from './published-event.js';
import { VISIBILITY_HORIZON } from './visibility-horizon.js';

/** Reads run on a reader's own connection, as prepared statements (they run hundreds of times a second). */
export type Reader = Pick<ListenConnection, 'db' | 'prepared'>;

export interface ReadResult<Row> {
  /** The rows of interest among those scanned, in stream order. */
  rows: Row[];
  /** The scan reached its limit and stopped here: rows may follow. Undefined: it reached the horizon. */
  scannedTo: Cursor | undefined;
  /** The visibility horizon of the read: below it, every row was scanned (when `scannedTo` is undefined). */
  horizon: string;
  /** Committed rows wait above the horizon. */
  pending: boolean;
}

export interface GroupRow extends OutboxRow {
  partition: number;
  /** The group already recorded this event as processed (a replay or a rewind): skip it. */
  processed: boolean;
  /** Deliveries of it the group has begun and not finished (delivery-attempts.ts). */
  attempts: number;
  /** Why the last of them failed, when it threw (not when its process died). */
  last_error: string | null;
}

interface Summary {
  horizon: string;
  pending: boolean;
  scanned: number;
  last_scanned: string | null;
}

const EVENT_COLUMNS = sql`o.position::text AS position, o.txid::text AS txid, o.id, o.topic, o.company_id, o.entity_key, o.payload, o.source, o.created_at`;

/** The partition of an entity key among `partitions`: stable, from the stored hash. */
export const PARTITION_OF = (partitions: number) => sql`(o.key_hash & 2147483647) % ${partitions}`;

/**
 * The next `limit` rows after `after` below the horizon (materialised once),
 * and a summary row; `select` picks the rows of interest from `scan o`.
 */
function scanQuery(after: Cursor, limit: number, select: RawBuilder<unknown>) {
  return sql`
    WITH h AS (SELECT ${VISIBILITY_HORIZON} AS horizon),
    scan AS MATERIALIZED (
      SELECT o.* FROM events.outbox o, h
      WHERE (o.txid, o.position) > (${after.txid}::xid8, ${after.position}::bigint) AND o.txid < h.horizon
      ORDER BY o.txid, o.position
      LIMIT ${limit}
    )
    SELECT h.horizon::text AS horizon,
           (SELECT p.txid FROM events.outbox p ORDER BY p.txid DESC LIMIT 1) >= h.horizon AS pending,
           (SELECT count(*)::int FROM scan) AS scanned,
           (SELECT s.txid::text || ':' || s.position::text FROM scan s ORDER BY s.txid DESC, s.position DESC LIMIT 1) AS last_scanned,
           e.*
    FROM h LEFT JOIN LATERAL (${select}) e ON true`;
}

function split<Row>(raw: (Summary & Partial<Row> & { id: string | null })[], limit: number): ReadResult<Row> {
  const { horizon, pending, scanned, last_scanned: lastScanned } = raw[0]!;
  const rows = raw.filter((row) => row.id !== null).map(({ horizon: _h, pending: _p, scanned: _s, last_scanned: _l, ...row }) => row as unknown as Row);
  return { rows, horizon, pending, scannedTo: scanned >= limit && lastScanned ? decodeCursor(lastScanned) : undefined };
}

export async function readGroupBatch(
  reader: Reader,
  options: { group: string; topics: string[]; partitions: number; cursors: Map<number, Cursor>; limit: number },
): Promise<ReadResult<GroupRow>> {
  const held = [...options.cursors.keys()];
  const lowest = [...options.cursors.values()].reduce((a, b) => (compareCursors(a, b) <= 0 ? a : b));
  // Cursors by partition number (index + 1).
  const txids = Array.from({ length: options.partitions }, (_, partition) => options.cursors.get(partition)?.txid ?? '0');
  const positions = Array.from({ length: options.partitions }, (_, partition) => options.cursors.get(partition)?.position ?? '0');
  const partitionOf = PARTITION_OF(options.partitions);
  // The processed marks are probed for the kept rows only, one each (a LATERAL with LIMIT is never a hash of all marks).
  const select = sql`
    SELECT b.*, d.event_id IS NOT NULL AS processed, coalesce(a.attempts, 0) AS attempts, a.error AS last_error
    FROM (
      SELECT ${EVENT_COLUMNS}, ${partitionOf} AS partition
      FROM scan o
      WHERE o.topic = ANY(${options.topics}::text[])
        AND ${partitionOf} = ANY(${held}::int[])
        AND (o.txid, o.position) > ((${txids}::text[]::xid8[])[${partitionOf} + 1], (${positions}::bigint[])[${partitionOf} + 1])
    ) b
    LEFT JOIN LATERAL (
      SELECT m.event_id FROM events.processed m WHERE m.group_name = ${options.group} AND m.event_id = b.id LIMIT 1
    ) d ON true
    LEFT JOIN events.delivery_attempts a ON a.group_name = ${options.group} AND a.event_id = b.id
    ORDER BY b.txid::xid8, b.position::bigint`;
  const query = scanQuery(lowest, options.limit, select).compile(reader.db);
  return split<GroupRow>((await reader.prepared('bheem_events_group_batch', query)) as never, options.limit);
}

export async function readFeedBatch(reader: Reader, options: { after: Cursor; topics: string[]; limit: number }): Promise<ReadResult<OutboxRow>> {
  const select = sql`
    SELECT ${EVENT_COLUMNS} FROM scan o
    WHERE o.topic = ANY(${options.topics}::text[])
    ORDER BY o.txid, o.position`;
  const query = scanQuery(options.after, options.limit, select).compile(reader.db);
  return split<OutboxRow>((await reader.prepared('bheem_events_feed_batch', query)) as never, options.limit);
}

/** The current horizon: where a reader that wants only new events starts. */
export async function readHorizon(db: Kysely<any>): Promise<string> {
  const result = await sql<{ horizon: string }>`SELECT ${VISIBILITY_HORIZON}::text AS horizon`.execute(db);
  return result.rows[0]!.horizon;
}
