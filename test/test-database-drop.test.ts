/**
 * test/support/test-database.ts: a test database's drop ends, and names the likely culprit when PostgreSQL has not
 * dropped it in time. PostgreSQL 15's DROP DATABASE waits for every backend of the server to accept a barrier, and a
 * backend blocked writing rows to a client that does not read them accepts none until that client reads or goes
 * (whether it has accepted this drop's barrier before blocking is a race, so the wait here is made certain by a
 * lock): the drop then fails naming that backend, instead of holding a file's teardown until the hook's timeout.
 * The run's global set-up and teardown (test/global-setup.ts) drop their lists of databases by the same bound.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import { dropDatabases } from './support/database-drop.js';
import { createTestDatabase } from './support/test-database.js';

const clients: pg.Client[] = [];
afterAll(() => {
  for (const client of clients) client.connection.stream.destroy();
});

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: inject('databaseServerUrl') });
  client.on('error', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

/** A client that stops reading, then asks for more rows than the sockets' buffers hold: its backend blocks writing (ClientWrite). */
async function blockWriter(observer: pg.Client, silent: pg.Client): Promise<number> {
  const { rows } = await silent.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]!.pid;
  silent.connection.stream.pause();
  silent.query('SELECT a, i FROM unnest($1::text[]) WITH ORDINALITY AS r(a, i) ORDER BY i', [Array.from({ length: 3000 }, () => 'é'.repeat(30_000))]).catch(() => {});
  await expect.poll(async () => (await observer.query('SELECT wait_event FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]?.wait_event).toBe('ClientWrite');
  return pid;
}

it('fails, naming a backend blocked on a client that does not read, and drops once the way is clear', async () => {
  const database = await createTestDatabase({ seeded: false });
  const [observer, locker, silent] = [await connect(), await connect(), await connect()];
  // A lock on the database that DROP DATABASE waits for, held by a session on another database (FORCE spares it).
  await locker.query('BEGIN');
  await locker.query(`COMMENT ON DATABASE "${database.name}" IS 'held'`);
  const pid = await blockWriter(observer, silent);

  await expect(database.drop({ timeoutMs: 3000 })).rejects.toThrow(
    new RegExp(`"${database.name}" did not end in 3000 ms; backends blocked writing to clients that do not read: pid ${pid} `),
  );

  silent.connection.stream.destroy();
  await locker.query('ROLLBACK');
  await database.drop();
  expect((await observer.query('SELECT 1 FROM pg_database WHERE datname = $1', [database.name])).rows).toEqual([]);
});

it('drops the global set-up\u2019s list of databases by the same bound, naming the blocked backend and the databases left', async () => {
  // Named as this worker's run (its pid alive): no other run drops them; a later one does if this process dies.
  const tag = randomBytes(4).toString('hex');
  const names = ['a', 'b', 'c'].map((letter) => `bheem_test_r${process.pid}_drops_${tag}${letter}`);
  const [admin, locker, silent] = [await connect(), await connect(), await connect()];
  for (const name of names) await admin.query(`CREATE DATABASE "${name}"`);
  await locker.query('BEGIN');
  await locker.query(`COMMENT ON DATABASE "${names[0]}" IS 'held'`);
  const pid = await blockWriter(admin, silent);

  await expect(dropDatabases(admin, names, 3000)).rejects.toThrow(
    new RegExp(`"${names[0]}" did not end in 3000 ms; backends blocked writing to clients that do not read: pid ${pid} .*; also left: "${names[1]}", "${names[2]}"$`),
  );
  // Not tried: what stalled one drop would stall each.
  expect((await admin.query('SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname', [names])).rows.map((row) => row.datname)).toEqual(names);

  silent.connection.stream.destroy();
  await locker.query('ROLLBACK');
  await dropDatabases(admin, names);
  expect((await admin.query('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names])).rows).toEqual([]);
});
