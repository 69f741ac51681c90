/**
 * Work nobody waits for stops in PostgreSQL too. A subgraph gives each
 * GraphQL request's context a signal (BaseContext.signal, start-subgraph.ts)
 * and its services a Kysely whose statements watch it (request-database.ts);
 * the signal fires when the caller's connection closes before the answer
 * is out: the gateway gave up (its GATEWAY_REQUEST_TIMEOUT_MS passed, or
 * its own client went away, see gateway/pipeline/request-deadline.ts) and
 * cut its fetch. Then the statement the request is running is cancelled
 * (PostgreSQL's cancel request, as libpq's PQcancel sends it, on a
 * connection of its own, so it needs no place in the pool), and every
 * later statement of the request fails at once without reaching the server.
 *
 * A cancel request stops whatever the backend runs when it arrives, which
 * could already be another request's statement: a connection that carried
 * a cancel is therefore never reused (released as broken, the pool opens a
 * new one).
 */
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';

/** extensions.code of the error an aborted request's statements fail with. */
export const REQUEST_CANCELLED = 'REQUEST_CANCELLED';

export class RequestCancelledError extends Error {
  readonly code = REQUEST_CANCELLED;
  constructor() {
    super('The request was cancelled: its caller is gone');
  }
}

/** What pg keeps of a session for cancel requests (left out of its types), and its protocol connection. */
interface BackendKey {
  processID: number;
  secretKey: number;
}
interface ProtocolConnection extends NodeJS.EventEmitter {
  connect(port: number | string, host?: string): void;
  cancel(processID: number, secretKey: number): void;
}
const { Connection } = pg as unknown as { Connection: new () => ProtocolConnection };

/** Sends PostgreSQL's cancel request for what `client`'s backend is running (a failure only means nothing is cancelled). */
function sendCancel(client: pg.PoolClient): void {
  const { processID, secretKey } = client as unknown as BackendKey;
  const { host, port } = client as unknown as pg.Client;
  const connection = new Connection();
  connection.on('error', () => {});
  connection.on('connect', () => connection.cancel(processID, secretKey));
  // A socket directory, as pg itself connects to one.
  if (host?.startsWith('/')) connection.connect(`${host}/.s.PGSQL.${port}`);
  else connection.connect(port, host);
}

const isSubmittable = (text: unknown) => typeof (text as { submit?: unknown } | null)?.submit === 'function';

/**
 * One statement on `client`, through pg's callback form with a promise of our own. pg's promise form
 * (`client.query(text, values)` without a callback) lets each statement's result outlive the request in
 * the scavenger's eyes: under meet's course-list fetches, every scavenge kept that fetch's rows alive
 * and the next one promoted them (~6.9 MB a scavenge, 99 % promoted, at one request in flight as at
 * four), until a mark-compact freed them; the callback form, same statement, keeps ~0.1 MB
 * (bench/README-results.md, session 17, gc-link). A cursor (a submittable) is handed on as it is.
 */
function runQuery(client: pg.PoolClient, text: unknown, parameters: unknown, settled?: () => void): unknown {
  if (isSubmittable(text)) return client.query(text as never);
  // Given a callback, pg's query returns nothing.
  const query = client.query as unknown as (this: pg.PoolClient, ...args: unknown[]) => void;
  return new Promise((resolve, reject) => {
    const done = (error: Error | undefined, result: unknown) => {
      settled?.();
      if (error) reject(error);
      else resolve(result);
    };
    if (parameters === undefined) query.call(client, text, done);
    else query.call(client, text, parameters, done);
  });
}

/**
 * `pool` for Kysely, its statements cancelled once `signal` fires (see above); without a signal (work of no
 * request: jobs, consumers, subscriptions), run as they are. The signal is handed over, not found in an
 * AsyncLocalStorage: on Node 20 any ALS turns on promise hooks for every promise of the process (~8 % of
 * calendar's course-list fetch, bench/README-results.md, session 23). One abort listener for all of the
 * request's statements, added with its first: the connections running one when it fires are cancelled.
 */
export function cancellablePool(pool: pg.Pool, signal?: AbortSignal): PostgresPool {
  if (!signal) {
    return {
      connect: async () => {
        const client = await pool.connect();
        return { query: (text: unknown, parameters?: unknown) => runQuery(client, text, parameters), release: () => client.release() } as PostgresPoolClient;
      },
      end: () => pool.end(),
    };
  }
  /** The request's connections running a statement now. */
  const running = new Set<RequestConnection>();
  let watching = false;
  const onAbort = () => {
    for (const connection of running) {
      connection.cancelSent = true;
      sendCancel(connection.client);
    }
    running.clear();
  };
  return {
    connect: async () => {
      const connection: RequestConnection = { client: await pool.connect(), cancelSent: false };
      const settled = () => void running.delete(connection);
      const query = (text: unknown, parameters?: unknown) => {
        if (signal.aborted) return Promise.reject(new RequestCancelledError());
        if (!watching) {
          watching = true;
          signal.addEventListener('abort', onAbort, { once: true });
        }
        running.add(connection);
        // It stops being watched in pg's callback, not by a promise of its own per statement.
        const result = runQuery(connection.client, text, parameters, settled);
        // A cursor (streamed rows): not cancelled here, only its statement.
        if (!(result instanceof Promise)) settled();
        return result;
      };
      return {
        query,
        // A backend that may still get our cancel request is closed, never handed to another request.
        release: () => connection.client.release(connection.cancelSent || undefined),
      } as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

/** One of a request's pool connections, and whether a cancel request went to its backend. */
interface RequestConnection {
  client: pg.PoolClient;
  cancelSent: boolean;
}
