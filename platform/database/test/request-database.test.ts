/**
 * A request's own Kysely (forRequest): its statements are cancelled once the request's signal fires, the
 * process's Kysely is left alone, and a prepared query is compiled once for the process's Kysely and every
 * request's; every request's statements are compiled by the process's one query compiler.
 */
import { PostgresQueryCompiler, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { closePools, createKysely } from '../connection.js';
import { preparedQuery } from '../prepared-query.js';
import { RequestCancelledError } from '../request-cancellation.js';
import { forRequest, withSchemaOf } from '../request-database.js';

const SLEEP = 'select pg_sleep(20) as request_database_test';
let observer: pg.Client;
beforeAll(async () => {
  observer = new pg.Client({ connectionString: inject('databaseServerUrl') });
  await observer.connect();
});
afterAll(async () => {
  await observer?.end();
  await closePools();
});

async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("cancels a request's running statement when its signal fires, and fails its later ones at once", { timeout: 30_000 }, async () => {
  const db = createKysely<any>(inject('databaseServerUrl'));
  const controller = new AbortController();
  const requestDb = forRequest(db, controller.signal);
  const running = sql.raw(SLEEP).execute(requestDb);
  running.catch(() => {});
  await until('the statement to run', async () => {
    const { rows } = await observer.query(`select 1 from pg_stat_activity where state = 'active' and query = $1`, [SLEEP]);
    return rows.length > 0;
  });
  const started = Date.now();
  controller.abort();
  // PostgreSQL's query_canceled, well before the 20 s sleep ends.
  await expect(running).rejects.toMatchObject({ code: '57014' });
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(sql`select 1 as one`.execute(requestDb)).rejects.toBeInstanceOf(RequestCancelledError);
  // The process's Kysely, and another request's, are not cancelled.
  expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  expect((await sql<{ one: number }>`select 1 as one`.execute(forRequest(db, new AbortController().signal))).rows).toEqual([{ one: 1 }]);
});

it('cancels every statement a request is running when its signal fires, on each of its connections', { timeout: 30_000 }, async () => {
  const db = createKysely<any>(inject('databaseServerUrl'));
  const controller = new AbortController();
  const requestDb = forRequest(db, controller.signal);
  // One statement first and done: the request's abort listener is added with it, and outlives it.
  expect((await sql<{ one: number }>`select 1 as one`.execute(requestDb)).rows).toEqual([{ one: 1 }]);
  const texts = [`${SLEEP}, 1 as first`, `${SLEEP}, 2 as second`];
  const running = texts.map((text) => sql.raw(text).execute(requestDb));
  for (const statement of running) statement.catch(() => {});
  await until('both statements to run', async () => {
    const { rows } = await observer.query(`select 1 from pg_stat_activity where state = 'active' and query = any($1)`, [texts]);
    return rows.length === 2;
  });
  controller.abort();
  for (const statement of running) await expect(statement).rejects.toMatchObject({ code: '57014' });
  await expect(sql`select 1 as one`.execute(requestDb)).rejects.toBeInstanceOf(RequestCancelledError);
});

it('is the process’s Kysely itself without a signal', () => {
  const db = createKysely<any>(inject('databaseServerUrl'));
  expect(forRequest(db, undefined)).toBe(db);
});

it("compiles a prepared query once for the process's Kysely and every request's, schema-scoped or not", async () => {
  const db = createKysely<any>(inject('databaseServerUrl'));
  let builds = 0;
  const queryOver = (over: typeof db) =>
    preparedQuery<{ n: number }, { n: number }>(over, 'test_request_family', (slots) => {
      builds++;
      return over.selectNoFrom(sql<number>`${slots.n}::int`.as('n'));
    });
  expect(await queryOver(db)({ n: 1 })).toEqual([{ n: 1 }]);
  for (const n of [2, 3]) expect(await queryOver(forRequest(db, new AbortController().signal))({ n })).toEqual([{ n }]);
  expect(builds).toBe(1);
  let scopedBuilds = 0;
  const scopedOver = (over: typeof db) =>
    preparedQuery<{ n: number }, { n: number }>(withSchemaOf(over, 'public'), 'test_request_family_scoped', (slots) => {
      scopedBuilds++;
      return over.selectNoFrom(sql<number>`${slots.n}::int`.as('n'));
    });
  for (const n of [4, 5]) expect(await scopedOver(forRequest(db, new AbortController().signal))({ n })).toEqual([{ n }]);
  expect(scopedBuilds).toBe(1);
});

it("compiles every request's statements with the process's one query compiler, and compiles them right", async () => {
  const db = createKysely<any>(inject('databaseServerUrl'));
  const compilers = new Set<object>();
  const compile = PostgresQueryCompiler.prototype.compileQuery;
  PostgresQueryCompiler.prototype.compileQuery = function (this: PostgresQueryCompiler, ...args) {
    compilers.add(this);
    return compile.apply(this, args);
  };
  try {
    const requests = [forRequest(db, new AbortController().signal), forRequest(db, new AbortController().signal)];
    // Interleaved, with parameters of their own: each statement's text and parameters are its own.
    const answers = await Promise.all(
      [db, ...requests, withSchemaOf(requests[0]!, 'public')].map((over, n) =>
        over.selectNoFrom([sql<number>`${n}::int`.as('n'), sql<string>`${`text ${n}`}::text`.as('t')]).execute(),
      ),
    );
    expect(answers).toEqual([0, 1, 2, 3].map((n) => [{ n, t: `text ${n}` }]));
  } finally {
    PostgresQueryCompiler.prototype.compileQuery = compile;
  }
  expect(compilers.size).toBe(1);
});
