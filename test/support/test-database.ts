/**
 * Each test file gets its own database, cloned from a migrated template
 * (seeded or empty) in milliseconds, and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { closePools } from '../../platform/database/connection.js';
import { dropDatabase } from './database-drop.js';

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

export async function createTestDatabase(options: { seeded?: boolean } = {}): Promise<TestDatabase> {
  const templates = inject('templateDatabases');
  const name = `${templates.prefix}${randomBytes(6).toString('hex')}`;
  const template = options.seeded === false ? templates.empty : templates.seeded;
  await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    name,
    url: withDatabase(inject('databaseServerUrl'), name),
    drop: async ({ timeoutMs }: { timeoutMs?: number } = {}) => {
      await closePools();
      await admin((client) => dropDatabase(client, name, timeoutMs));
    },
  };
}
