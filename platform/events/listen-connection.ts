/**
 * A dedicated PostgreSQL connection for one event reader (a consumer or the
 * live feed): it LISTENs for wake-ups and runs the reader's queries and
 * transactions, one at a time. Session state lives on it (a consumer's
 * partition leases are session advisory locks), so when it drops, that state
 * is gone with it on the server too, and the reader reconnects and catches up
 * from the table.
 */
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { notifyQueryObservers } from '../database/query-observer.js';
import { EVENTS_CHANNEL } from './publish-event.js';

export interface ListenConnection {
  /** Kysely over this one connection: use it from one async flow at a time. */
  db: Kysely<any>;
  /** Runs a query as a named prepared statement of this session: planned once, not on every read. */
  prepared: <Row>(name: string, query: CompiledQuery) => Promise<Row[]>;
  /**
   * Runs `statement` (no parameters) in a transaction of its own, committed
   * in the same round trip as the BEGIN of the next transaction on `db`
   * (`<statement>; COMMIT; BEGIN` in one query): its rows, once that BEGIN
   * has gone through. Call it right before `db.transaction()`.
   */
  commitBeforeNextBegin: <Row>(statement: string) => Promise<Row[]>;
  /** The server process id, to terminate a query that hangs. */
  backendPid: number;
  /** Resolves (never rejects) when the connection is lost or closed. */
  closed: Promise<Error | undefined>;
  isOpen: () => boolean;
  close: () => Promise<void>;
}

export async function openListenConnection(options: { databaseUrl: string; applicationName: string; onNotification: (payload: string) => void }): Promise<ListenConnection> {
  const client = new pg.Client({
    connectionString: options.databaseUrl,
    application_name: options.applicationName,
    keepAlive: true,
    connectionTimeoutMillis: 5_000,
  });
  let open = true;
  let markClosed!: (error: Error | undefined) => void;
  const closed = new Promise<Error | undefined>((resolve) => (markClosed = resolve));
  const lost = (error?: Error) => {
    if (!open) return;
    open = false;
    markClosed(error);
  };
  client.on('error', (error) => lost(error));
  client.on('end', () => lost(new Error('connection ended')));
  client.on('notification', (message) => {
    if (message.channel === EVENTS_CHANNEL) options.onNotification(message.payload ?? '');
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
  } catch (error) {
    lost(error as Error);
    await client.end().catch(() => {});
    throw error;
  }
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  let before: { statement: string; done: (rows: unknown[] | Error) => void } | undefined;
  // Kysely asks a pool for a connection; this one always hands out the same client, whose BEGIN may carry
  // a statement to commit first (see commitBeforeNextBegin).
  const kyselyClient = {
    query: async (text: unknown, values?: unknown[]) => {
      if (before === undefined || typeof text !== 'string' || text.toLowerCase() !== 'begin') return client.query(text as never, values as never);
      const { statement, done } = before;
      before = undefined;
      try {
        const results = (await client.query(`${statement}; COMMIT; BEGIN`)) as unknown as pg.QueryResult[];
        done(results[0]!.rows);
        return results.at(-1)!;
      } catch (error) {
        done(error as Error);
        throw error;
      }
    },
    release: () => {},
  };
  const pool = {
    connect: async () => kyselyClient,
    end: async () => {},
  };
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: pool as never }), log: notifyQueryObservers });
  return {
    db,
    prepared: async <Row>(name: string, query: CompiledQuery) =>
      (await client.query<Row & pg.QueryResultRow>({ name, text: query.sql, values: query.parameters as unknown[] })).rows,
    commitBeforeNextBegin: <Row>(statement: string) =>
      new Promise<Row[]>((resolve, reject) => {
        before = { statement, done: (result) => (result instanceof Error ? reject(result) : resolve(result as Row[])) };
      }),
    backendPid: rows[0]!.pid,
    closed,
    isOpen: () => open,
    close: async () => {
      lost(undefined);
      await client.end().catch(() => {});
    },
  };
}
