/**
 * A GraphQL request's own Kysely: the process's Kysely for a database (createKysely) with the same pool, schema
 * and plugins, its statements cancelled once the request's signal fires (request-cancellation.ts). A subgraph
 * builds one from its context's signal (BaseContext.signal) for the repositories and services of that request;
 * it costs a few objects and no connection. Without a signal it is the process's Kysely itself.
 */
import { Kysely, PostgresDialect, type KyselyPlugin } from 'kysely';
import type pg from 'pg';
import { notifyQueryObservers } from './query-observer.js';
import { cancellablePool } from './request-cancellation.js';

interface Family {
  pool: pg.Pool;
  plugins: KyselyPlugin[];
  /** The process's Kysely of the family: what caches keyed by a database use (prepared-query.ts). */
  root: Kysely<any>;
}
const families = new WeakMap<object, Family>();

function kyselyOver<DB>(pool: pg.Pool, plugins: KyselyPlugin[], signal?: AbortSignal): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: cancellablePool(pool, signal) }), plugins, log: notifyQueryObservers });
}

/** The process's Kysely over `pool` (connection.ts's createKysely). */
export function processKysely<DB>(pool: pg.Pool, plugins: KyselyPlugin[]): Kysely<DB> {
  const root = kyselyOver<DB>(pool, plugins);
  families.set(root, { pool, plugins, root });
  return root;
}

/** `db` for one request: its statements cancelled once `signal` fires. `db` itself without a signal or for a Kysely not made by processKysely. */
export function forRequest<DB>(db: Kysely<DB>, signal: AbortSignal | undefined): Kysely<DB> {
  const family = signal && families.get(db);
  if (!family) return db;
  const requestDb = kyselyOver<DB>(family.pool, family.plugins, signal);
  families.set(requestDb, family);
  return requestDb;
}

/** The process's Kysely `db` was made from (itself when none): one key for a request's Kysely and the process's. */
export const rootOf = (db: object): object => families.get(db)?.root ?? db;

/** `db.withSchema(schema)`, of `db`'s family (so a prepared query compiled over one is compiled over all). */
export function withSchemaOf<DB>(db: Kysely<DB>, schema: string): Kysely<DB> {
  const scoped = db.withSchema(schema);
  const family = families.get(db);
  if (family) families.set(scoped, family);
  return scoped;
}
