/**
 * How far behind each consumer group is: events of its topics after its
 * cursors (however many are committed but not yet handled), the age of the
 * oldest of them, open dead letters, and how many processes run it. Read by
 * scripts/events-status.ts and by the metrics (event-metrics.ts).
 */
import { sql, type Kysely } from 'kysely';
import { DEFAULT_ABANDONED_AFTER_MS } from './consumer-options.js';
import { countMembers, groupLockKey } from './partition-leases.js';

export interface ConsumerGroupStatus {
  group: string;
  topics: string[];
  partitions: number;
  /** Committed events of the group's topics not yet handled. */
  behind: number;
  /** Seconds since the oldest of those was written; 0 when none. */
  oldestAgeSeconds: number;
  /** Dead letters not yet replayed or discarded. */
  deadLetters: number;
  /** Dead letters waiting for their replay. */
  replaysPending: number;
  /** Processes of the group connected now. */
  members: number;
  /** When a cursor of the group last moved. */
  lastProgressAt: Date | null;
  /** When a process of the group last ran (to the minute). */
  lastSeenAt: Date;
  /** No process connected, none seen for `abandonedAfterMs`: pruning no longer keeps its events. */
  abandoned: boolean;
}

export interface OutboxStatus {
  events: number;
  oldestCreatedAt: Date | null;
}

export async function readConsumerStatus(db: Kysely<any>, options: { abandonedAfterMs?: number } = {}): Promise<ConsumerGroupStatus[]> {
  const abandonedAfterMs = options.abandonedAfterMs ?? DEFAULT_ABANDONED_AFTER_MS;
  const { rows } = await sql<{
    name: string;
    topics: string[];
    partitions: number;
    behind: number;
    oldest: Date | null;
    last_progress_at: Date | null;
    last_seen_at: Date;
    stale: boolean;
    dead_letters: number;
    replays_pending: number;
    age_seconds: number;
  }>`
    SELECT g.name, g.topics, g.partitions, g.last_seen_at,
           g.last_seen_at < now() - make_interval(secs => ${abandonedAfterMs / 1000}) AS stale,
           coalesce(lag.behind, 0)::int AS behind, lag.oldest,
           coalesce(extract(epoch FROM now() - lag.oldest), 0)::float8 AS age_seconds,
           (SELECT max(c.updated_at) FROM events.consumer_cursors c WHERE c.group_name = g.name) AS last_progress_at,
           (SELECT count(*) FROM events.dead_letters d WHERE d.group_name = g.name AND d.resolved_at IS NULL)::int AS dead_letters,
           (SELECT count(*) FROM events.dead_letters d
             WHERE d.group_name = g.name AND d.resolved_at IS NULL AND d.replay_requested_at IS NOT NULL)::int AS replays_pending
    FROM events.consumer_groups g
    LEFT JOIN LATERAL (
      SELECT count(*) AS behind, min(o.created_at) AS oldest
      FROM events.consumer_cursors c
      JOIN events.outbox o ON o.topic = ANY(g.topics)
        AND (o.key_hash & 2147483647) % g.partitions = c.partition
        AND (o.txid, o.position) > (c.txid, c.position)
      WHERE c.group_name = g.name
    ) lag ON true
    ORDER BY g.name`.execute(db);
  return Promise.all(
    rows.map(async (row) => {
      const members = await countMembers(db, groupLockKey(row.name));
      return {
        group: row.name,
        topics: row.topics,
        partitions: row.partitions,
        behind: row.behind,
        oldestAgeSeconds: row.age_seconds,
        deadLetters: row.dead_letters,
        replaysPending: row.replays_pending,
        members,
        lastProgressAt: row.last_progress_at,
        lastSeenAt: row.last_seen_at,
        abandoned: row.stale && members === 0,
      };
    }),
  );
}

export async function readOutboxStatus(db: Kysely<any>): Promise<OutboxStatus> {
  const { rows } = await sql<{ events: number; oldest: Date | null }>`
    SELECT count(*)::int AS events, min(created_at) AS oldest FROM events.outbox`.execute(db);
  return { events: rows[0]!.events, oldestCreatedAt: rows[0]!.oldest };
}
