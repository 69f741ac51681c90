/**
 * A GraphQL request's own Kysely: the process's Kysely for a database (createKysely) with the same pool, schema
 * and plugins, its statements cancelled once the request's signal fires (request-cancellation.ts). A subgraph
 * builds one from its context's signal (BaseContext.signal) for the repositories and services of that request;
 * it costs a few objects and no connection, and shares the family's query compiler. Without a signal it is the
 * process's Kysely itself.
 */
import { Kysely, PostgresDialect, PostgresQueryCompiler, type KyselyPlugin, type PostgresDialectConfig, type QueryCompiler } from 'kysely';
import type pg from 'pg';
import { notifyQueryObservers } from './query-observer.js';
import { cancellablePool } from './request-cancellation.js';

interface Family {
  pool: pg.Pool;
  plugins: KyselyPlugin[];
  /** The process's Kysely of the family: what caches keyed by a database use (prepared-query.ts). */
  root: Kysely<any>;
  compiler: QueryCompiler;
}
const families = new WeakMap<object, Family>();

/**
 * PostgreSQL's dialect with one query compiler for the family: Kysely compiles synchronously and a compiler
 * starts each query afresh (its text and parameters reset, copies returned), so the process's Kysely and every
 * request's can share one rather than build a compiler, and its visitor's fields, per request.
 */
class SharedCompilerDialect extends PostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly compiler: QueryCompiler,
  ) {
    super(config);
  }

  override createQueryCompiler(): QueryCompiler {
    return this.compiler;
  }
}

function kyselyOver<DB>(pool: pg.Pool, plugins: KyselyPlugin[], compiler: QueryCompiler, signal?: AbortSignal): Kysely<DB> {
  return new Kysely<DB>({ dialect: new SharedCompilerDialect({ pool: cancellablePool(pool, signal) }, compiler), plugins, log: notifyQueryObservers });
}

/** The process's Kysely over `pool` (connection.ts's createKysely). */
export function processKysely<DB>(pool: pg.Pool, plugins: KyselyPlugin[]): Kysely<DB> {
  const compiler = new PostgresQueryCompiler();
  const root = kyselyOver<DB>(pool, plugins, compiler);
  families.set(root, { pool, plugins, root, compiler });
  return root;
}

/** `db` for one request: its statements cancelled once `signal` fires. `db` itself without a signal or for a Kysely not made by processKysely. */
export function forRequest<DB>(db: Kysely<DB>, signal: AbortSignal | undefined): Kysely<DB> {
  const family = signal && families.get(db);
  if (!family) return db;
  const requestDb = kyselyOver<DB>(family.pool, family.plugins, family.compiler, signal);
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
