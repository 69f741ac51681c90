/** The database of the event scripts (scripts/events-*.ts): DATABASE_URL's, or the embedded one. */
import type { Kysely } from 'kysely';
import { resolveDatabase } from '../bootstrap/resolve-database.js';
import { loadConfig, type PlatformConfig } from '../config.js';
import { closePools, createKysely } from '../database/connection.js';
import { createLogger } from '../logger.js';

export async function withEventsDatabase<T>(run: (db: Kysely<any>, config: PlatformConfig) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await resolveDatabase(config, createLogger('events', 'warn'));
  try {
    return await run(createKysely(database.url), config);
  } finally {
    await closePools();
    await database.embedded?.stop();
  }
}
