/**
 * Brings a database up to date: the event backbone's schema, then each
 * subgraph's (provisioning, then its Kysely migrations), then demo data when
 * asked. Safe to run on every start, from any number of processes: a
 * PostgreSQL advisory lock serialises them.
 */
import { sql } from 'kysely';
import { createKysely } from '../database/connection.js';
import { migrateSchema } from '../database/migrate.js';
import { EVENTS_SCHEMA, eventMigrations } from '../events/event-migrations.js';
import type { SubgraphDeps, SubgraphModule } from '../subgraph/subgraph-module.js';

const MIGRATION_LOCK = 4_242_001;

/** `onStep` hears each step as it begins (`npm start` prints them). */
export async function prepareDatabase(deps: SubgraphDeps, modules: SubgraphModule<any>[], options: { seed: boolean; onStep?: (step: string) => void }): Promise<void> {
  const step = options.onStep ?? (() => {});
  const db = createKysely<any>(deps.databaseUrl);
  await db.connection().execute(async (connection) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(connection);
    try {
      await sql`CREATE EXTENSION IF NOT EXISTS pgcrypto`.execute(connection);
      step(`schema ${EVENTS_SCHEMA}`);
      await migrateSchema(connection, EVENTS_SCHEMA, eventMigrations);
      for (const module of modules) {
        step(`schema ${module.dbSchema} (${module.name})`);
        await module.provision?.(deps, connection);
        await migrateSchema(connection, module.dbSchema, module.migrations);
      }
      if (options.seed) {
        for (const module of modules) {
          if (!module.seed) continue;
          step(`demo data of ${module.name}`);
          await module.seed(deps);
        }
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(connection);
    }
  });
}
