/**
 * Each test file gets its own database, cloned from a migrated template
 * (seeded or empty) in milliseconds, and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { closePools } from '../../platform/database/connection.js';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('databaseServerUrl') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  /** Drops it; fails (the database left for the run's end to drop) when PostgreSQL has not dropped it in `timeoutMs`. */
  drop: (options?: { timeoutMs?: number }) => Promise<void>;
}

/**
 * Below the hook timeout (240 s), far above a drop's usual time (under 3 s at load 4). PostgreSQL 15's DROP DATABASE waits for
 * every backend of the server, any database's, to accept a barrier (closing its files); a backend blocked writing
 * rows to a client that has stopped reading them does not, until that client reads or goes. One such client (a test
 * process spinning in a parser, another worktree's) once held every file's teardown for 13 minutes.
 */
const DROP_TIMEOUT_MS = 120_000;

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

export async function createTestDatabase(options: { seeded?: boolean } = {}): Promise<TestDatabase> {
  const templates = inject('templateDatabases');
  const name = `${templates.prefix}${randomBytes(6).toString('hex')}`;
  const template = options.seeded === false ? templates.empty : templates.seeded;
  await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    name,
    url: withDatabase(inject('databaseServerUrl'), name),
    drop: async ({ timeoutMs = DROP_TIMEOUT_MS } = {}) => {
      await closePools();
      await admin(async (client) => {
        await client.query(`SET statement_timeout = ${Math.ceil(timeoutMs)}`);
        try {
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } catch (error) {
          if ((error as { code?: string }).code !== '57014') throw error; // query_canceled: the timeout
          throw new Error(`DROP DATABASE "${name}" did not end in ${timeoutMs} ms; ${await blockedWriters(client)}`, { cause: error });
        }
      });
    },
  };
}
