/**
 * Syncs that certainly overlap inside their pulls' batch transactions
 * (caldav-pool.test.ts), rather than most likely: each sync is held at its
 * pull's first REPORT until all are there; then the test's own connection
 * (not the pool's) takes calendar_events ACCESS EXCLUSIVE, so that a pull's
 * transaction waits at its first read of an event (caldav-pull.ts, lookUp)
 * holding its pooled connection; the lock goes once every connection of the
 * pool is held so.
 */
import pg from 'pg';
import type { CalDAVHarness, Person } from './caldav-harness.js';

/**
 * Syncs every person's account at once, held as above (`meanwhile` runs once all are at their first REPORT, before
 * the lock: edits made here after every push). True when `poolMax` pulls held the pool's connections at once; the
 * syncs must end either way, each without an error.
 */
export async function syncAllHeld(h: CalDAVHarness, people: readonly Person[], poolMax: number, meanwhile = async () => {}): Promise<boolean> {
  const held = await heldPulls(h.platform.database.url);
  const reached = new Set<Person>();
  let allReached!: () => void;
  const ready = new Promise<void>((resolve) => (allReached = resolve));
  h.beforeRequest = async (request) => {
    const person = people.find((name) => request.path.startsWith(`/${name}/`));
    if (request.method !== 'REPORT' || !person || reached.has(person)) return;
    reached.add(person);
    if (reached.size === people.length) {
      await meanwhile();
      await held.hold();
      allReached();
    }
    await ready;
  };
  try {
    const syncs = Promise.all(people.map((person) => h.sync(person)));
    const overlapped = await held.heldBy(poolMax, syncs);
    await held.release();
    await syncs;
    return overlapped;
  } finally {
    h.beforeRequest = null;
    await held.end();
  }
}

interface HeldPulls {
  /** Takes the lock: from now on, each pull that begins its transaction waits in it. */
  hold(): Promise<void>;
  /** True once `count` transactions begun before their waiting statement wait on the lock; false if `until` settles first. */
  heldBy(count: number, until: Promise<unknown>): Promise<boolean>;
  release(): Promise<void>;
  end(): Promise<void>;
}

async function heldPulls(databaseUrl: string): Promise<HeldPulls> {
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
