/**
 * Which process of a consumer group handles which partition. A partition is
 * leased with a session advisory lock on the consumer's own connection: no
 * row is written, no transaction id is taken, and a process that dies (or
 * whose connection drops) loses its leases at once. Members announce
 * themselves with a shared lock on one more key, so each can count them and
 * hold its fair share, ceil(partitions / members): a new process gets work,
 * and the partitions of one that left are taken over.
 */
import { sql, type Kysely } from 'kysely';

const MEMBER_SLOT = 2_147_483_647;

/** A stable 31-bit key for a group (FNV-1a), the first half of its advisory lock keys. */
export function groupLockKey(group: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`bheem-events:${group}`, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7fffffff;
}

export async function joinGroup(db: Kysely<any>, key: number): Promise<void> {
  await sql`SELECT pg_advisory_lock_shared(${key}::int, ${MEMBER_SLOT}::int)`.execute(db);
}

export async function countMembers(db: Kysely<any>, key: number): Promise<number> {
  const result = await sql<{ members: number }>`
    SELECT count(*)::int AS members FROM pg_locks
    WHERE locktype = 'advisory' AND granted AND objsubid = 2
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND classid = ${key}::int::oid AND objid = ${MEMBER_SLOT}::int::oid`.execute(db);
  return result.rows[0]!.members;
}

/** Tries partitions in turn, starting at `offset`, and leases up to `wanted` of those not held. */
export async function acquirePartitions(db: Kysely<any>, options: { key: number; partitions: number; held: number[]; wanted: number; offset: number }): Promise<number[]> {
  if (options.wanted <= 0) return [];
  // The lock function runs row by row and the scan stops at the LIMIT: we take no more than we want.
  const result = await sql<{ partition: number }>`
    SELECT partition FROM (
      SELECT (n + ${options.offset}::int) % ${options.partitions}::int AS partition
      FROM generate_series(0, ${options.partitions - 1}::int) AS n
    ) candidates
    WHERE NOT (partition = ANY(${options.held}::int[])) AND pg_try_advisory_lock(${options.key}::int, partition)
    LIMIT ${options.wanted}`.execute(db);
  return result.rows.map((row) => row.partition);
}

export async function releasePartition(db: Kysely<any>, key: number, partition: number): Promise<void> {
  await sql`SELECT pg_advisory_unlock(${key}::int, ${partition}::int)`.execute(db);
}
