/**
 * Dropping the tests' databases in bounded time, for a test file's own
 * database (test-database.ts) and for the run's global set-up and teardown
 * (test/global-setup.ts: templates, and databases of runs that died).
 *
 * PostgreSQL 15's DROP DATABASE waits for every backend of the server, any
 * database's, to accept a barrier (closing its files); a backend blocked
 * writing rows to a client that has stopped reading them does not, until
 * that client reads or goes. One such client (a test process spinning in a
 * parser, another worktree's) once held every file's teardown for 13 minutes.
 */
import type pg from 'pg';

/** Below the hook timeout (240 s), far above a drop's usual time (under 3 s at load 4). */
export const DROP_TIMEOUT_MS = 120_000;

/** A drop that did not end in its time: the message names the database, the likely cause, and any others left. */
export class DropTimeoutError extends Error {}

/** The backends blocked writing to their clients: what a DROP DATABASE that does not end waits for. */
async function blockedWriters(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ pid: number; datname: string; application_name: string; since: string; query: string }>(
    `SELECT pid, datname, application_name, query_start::text AS since, left(query, 120) AS query
       FROM pg_stat_activity WHERE wait_event = 'ClientWrite'`,
  );
  if (rows.length === 0) return 'no backend is blocked writing to its client';
  const each = rows.map((row) => `pid ${row.pid} (database ${row.datname}, ${row.application_name || 'no application name'}, since ${row.since}): ${row.query}`);
  return `backends blocked writing to clients that do not read: ${each.join('; ')}`;
}

/** DROP DATABASE IF EXISTS `name` WITH (FORCE) over `client`; fails, naming blocked writers, when PostgreSQL has not dropped it in `timeoutMs`. */
export async function dropDatabase(client: pg.Client, name: string, timeoutMs = DROP_TIMEOUT_MS): Promise<void> {
  await client.query(`SET statement_timeout = ${Math.ceil(timeoutMs)}`);
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } catch (error) {
    if ((error as { code?: string }).code !== '57014') throw error; // query_canceled: the timeout
    throw new DropTimeoutError(`DROP DATABASE "${name}" did not end in ${timeoutMs} ms; ${await blockedWriters(client)}`, { cause: error });
  } finally {
    await client.query('RESET statement_timeout').catch(() => {}); // a broken connection: the error above says more
  }
}

/**
 * Drops `names` in turn. When one does not end in `timeoutMs`, fails at once naming it, its likely cause and the
 * databases left undropped: what stalls one drop stalls every drop of the server, so each would only wait as long.
 */
export async function dropDatabases(client: pg.Client, names: readonly string[], timeoutMs = DROP_TIMEOUT_MS): Promise<void> {
  for (const [index, name] of names.entries()) {
    try {
      await dropDatabase(client, name, timeoutMs);
    } catch (error) {
      const left = names.slice(index + 1);
      if (left.length === 0 || !(error instanceof DropTimeoutError)) throw error;
      throw new DropTimeoutError(`${(error as Error).message}; also left: ${left.map((other) => `"${other}"`).join(', ')}`, { cause: error });
    }
  }
}
