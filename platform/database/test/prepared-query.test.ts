/**
 * A prepared query is built once, runs with each call's own values (lists
 * as one array parameter, whatever their length), keeps what its builder
 * captured as constants, and reaches PostgreSQL as a named statement.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { runMarkedStatementsNamed } from '../named-statements.js';
import { preparedQuery } from '../prepared-query.js';
import { cancellablePool } from '../request-cancellation.js';

let pool: pg.Pool;
let db: Kysely<any>;
beforeAll(() => {
  // One connection, so that its session's prepared statements can be listed.
  pool = new pg.Pool({ connectionString: inject('databaseServerUrl'), max: 1 });
  pool.on('connect', (client) => runMarkedStatementsNamed(client));
  db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
});
afterAll(() => db?.destroy());

it('builds once and runs with each call’s values', async () => {
  let builds = 0;
  const named = preparedQuery<{ ids: readonly number[]; prefix: string }, { id: number; name: string }>(db, 'test_numbers', (slots) => {
    builds++;
    return db
      .selectFrom(sql`generate_series(1, 4)`.as('n'))
      .select([sql<number>`n`.as('id'), sql<string>`${slots.prefix} || n`.as('name')])
      .where(sql<boolean>`n = any(${slots.ids}::int[])`)
      .where(sql<boolean>`n < ${4}`) // captured: compiled in for good
      .orderBy('id');
  });
  expect(await named({ ids: [1, 3], prefix: 'a-' })).toEqual([
    { id: 1, name: 'a-1' },
    { id: 3, name: 'a-3' },
  ]);
  expect(await named({ ids: [2, 3, 4], prefix: 'b-' })).toEqual([
    { id: 2, name: 'b-2' },
    { id: 3, name: 'b-3' },
  ]);
  expect(await named({ ids: [], prefix: 'c-' })).toEqual([]);
  expect(builds).toBe(1);

  const { rows } = await sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements`.execute(db);
  const prepared = rows.filter((row) => row.name.startsWith('test_numbers_'));
  expect(prepared).toHaveLength(1);
  expect(prepared[0]!.statement).toContain('any($');
});

it('is named as well through the subgraphs’ cancellable pool, which runs statements with a callback', async () => {
  // Not destroyed: it shares the pool that afterAll ends.
  const over = (signal?: AbortSignal) => new Kysely<any>({ dialect: new PostgresDialect({ pool: cancellablePool(pool, signal) }) });
  const named = (db: Kysely<any>) => preparedQuery<{ n: number }, { n: number }>(db, 'test_cancellable', (slots) => db.selectNoFrom(sql<number>`${slots.n}::int`.as('n')));
  expect(await named(over(new AbortController().signal))({ n: 7 })).toEqual([{ n: 7 }]);
  expect(await named(over())({ n: 8 })).toEqual([{ n: 8 }]);
  const { rows } = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements`.execute(db);
  expect(rows.filter((row) => row.name.startsWith('test_cancellable_'))).toHaveLength(1);
});
