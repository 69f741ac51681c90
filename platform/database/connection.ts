/**
 * One pg pool per process and database URL, shared by every Kysely instance
 * (each subgraph's instance only adds its schema), so a process running
 * several subgraphs does not multiply connections.
 */
import { WithSchemaPlugin, type Kysely, type KyselyPlugin } from 'kysely';
import pg from 'pg';
import { runMarkedStatementsNamed } from './named-statements.js';
import { processKysely } from './request-database.js';
import { keepInt8AsText } from './int8-text.js';
import { useFastFloat8Parser } from './float8.js';
import { useFastTimestamptzParser } from './timestamptz.js';

// int8 (bigint, Moodle ids) stays a string: ids are GraphQL IDs and must not lose precision.
// timestamptz is parsed into Date, by character positions rather than pg's regular expressions; float8 integers
// (epochMillis) by character code.
keepInt8AsText();
useFastTimestamptzParser();
useFastFloat8Parser();

const pools = new Map<string, pg.Pool>();

export interface PoolOptions {
  max?: number;
  applicationName?: string;
}

export function getPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  let pool = pools.get(databaseUrl);
  if (!pool) {
    pool = new pg.Pool({
      connectionString: databaseUrl,
      max: options.max ?? Number(process.env.DATABASE_POOL_MAX ?? 10),
      idleTimeoutMillis: 30_000,
      // Longer only where a process runs slowly on purpose (the bench's subgraphs under callgrind).
      connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 5_000),
      application_name: options.applicationName ?? 'bheem-federation',
    });
    // A broken idle client (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    // Nor may a client checked out between two statements (a transaction): pg-pool only listens while it is idle.
    // Its next query fails, and the caller sees that error.
    pool.on('connect', (client) => {
      client.on('error', () => {});
      runMarkedStatementsNamed(client);
    });
    pools.set(databaseUrl, pool);
  }
  return pool;
}

/**
 * This process's pool to a database, found by the name and port the server
 * reports (the event backbone sends its post-commit wake-ups through it).
 */
export function findPool(database: string, port: number): pg.Pool | undefined {
  for (const [url, pool] of pools) {
    const parsed = new URL(url);
    if (decodeURIComponent(parsed.pathname.slice(1)) === database && Number(parsed.port || 5432) === port) return pool;
  }
  return undefined;
}

export function createKysely<DB>(databaseUrl: string, schema?: string, plugins: KyselyPlugin[] = []): Kysely<DB> {
  // A request's statements are cancelled when its caller gives up, through forRequest's Kysely (request-database.ts).
  return processKysely<DB>(getPool(databaseUrl), schema ? [new WithSchemaPlugin(schema), ...plugins] : plugins);
}

export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.allSettled(all.map((pool) => pool.end()));
}
