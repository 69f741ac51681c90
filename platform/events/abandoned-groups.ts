/**
 * Consumer groups that nobody runs any more: no process connected now and
 * none seen for `abandonedAfterMs` (consumers touch their group's
 * `last_seen_at` every minute). Pruning stops keeping events for them, or a
 * group dropped from the code would keep every event of its topics forever;
 * such a group resumes (from its cursor, past the pruned events) if it ever
 * runs again. Drop its row for good: DELETE FROM events.consumer_groups.
 */
import { sql, type Kysely } from 'kysely';
import { countMembers, groupLockKey } from './partition-leases.js';

export interface AbandonedGroup {
  group: string;
  lastSeenAt: Date;
}

export async function findAbandonedGroups(db: Kysely<any>, abandonedAfterMs: number): Promise<AbandonedGroup[]> {
  const { rows } = await sql<{ name: string; last_seen_at: Date }>`
    SELECT name, last_seen_at FROM events.consumer_groups
    WHERE last_seen_at < now() - make_interval(secs => ${abandonedAfterMs / 1000})
    ORDER BY name`.execute(db);
  const abandoned: AbandonedGroup[] = [];
  for (const row of rows) {
    // A process may run it still without having touched the row lately (its clock of one minute).
    if ((await countMembers(db, groupLockKey(row.name))) === 0) abandoned.push({ group: row.name, lastSeenAt: row.last_seen_at });
  }
  return abandoned;
}
