/**
 * A database a benchmark may fill and drop: a new database on DATABASE_URL's
 * server when one is given, otherwise an embedded PostgreSQL of its own
 * (stopped and deleted by the caller through `embedded.stop()`).
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../platform/database/embedded-postgres.js';

export interface ThrowawayDatabase {
  url: string;
  /** Drops the database it created on DATABASE_URL's server; nothing to do for an embedded one. */
  drop: () => Promise<void>;
  embedded?: EmbeddedServer;
  /** The embedded server's data directory (on the disk PostgreSQL flushes to). */
  dataDir?: string;
}

export async function throwawayDatabase(label: string, print: (line: string) => void): Promise<ThrowawayDatabase> {
  if (process.env.DATABASE_URL) {
    const server = new URL(process.env.DATABASE_URL);
    const name = `bheem_bench_${label}_${process.pid}`;
    server.pathname = '/postgres';
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: server.toString() });
      await client.connect();
      await client.query(statement).finally(() => client.end());
    };
    await admin(`CREATE DATABASE "${name}"`);
    // A copy: `admin` (the drop) must stay on the maintenance database.
    const url = new URL(server);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  print(`${label}: starting an embedded PostgreSQL`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `bheem-bench-${label}-`));
  chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach it
  const embedded = await startEmbeddedPostgres(dataDir, () => {}, { ephemeral: true });
  return { url: embedded.url(), drop: async () => {}, embedded, dataDir };
}
