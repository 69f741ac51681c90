/**
 * Holds CalDAV pulls inside their batch transactions until every connection
 * of the process's pool is held by one of them, so that syncs certainly
 * overlap there (caldav-pool.test.ts) rather than most likely. The test's
 * own connection (not the pool's) takes calendar_events ACCESS EXCLUSIVE: a
 * pull's transaction waits at its first read of an event (caldav-pull.ts,
 * lookUp), holding its pooled connection, until `release`.
 */
import pg from 'pg';

export interface HeldPulls {
  /** Takes the lock: from now on, each pull that begins its transaction waits in it. */
  hold(): Promise<void>;
  /** True once `count` transactions begun before their waiting statement wait on the lock; false if `until` settles first. */
  heldBy(count: number, until: Promise<unknown>): Promise<boolean>;
  release(): Promise<void>;
  end(): Promise<void>;
}

export async function heldPulls(databaseUrl: string): Promise<HeldPulls> {
  const holder = new pg.Client({ connectionString: databaseUrl });
  // Apart from the holder: pg_stat_activity is read once per transaction, and the holder's stays open.
  const watcher = new pg.Client({ connectionString: databaseUrl });
  await Promise.all([holder.connect(), watcher.connect()]);
  const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  let held = false;
  const waiting = async () =>
    (
      await watcher.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND $1 = ANY(pg_blocking_pids(pid)) AND xact_start < query_start`,
        [holderPid],
      )
    ).rows[0]!.n;
  const release = async () => {
    if (held) await holder.query('COMMIT');
    held = false;
  };
  return {
    async hold() {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE calendar.calendar_events IN ACCESS EXCLUSIVE MODE');
      held = true;
    },
    async heldBy(count, until) {
      let settled = false;
      void until.then(
        () => (settled = true),
        () => (settled = true),
      );
      while (!settled) {
        if ((await waiting()) >= count) return true;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return false;
    },
    release,
    async end() {
      await release();
      await Promise.all([holder.end(), watcher.end()]);
    },
  };
}
