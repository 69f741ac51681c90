/** DATABASE_URL when given; otherwise the embedded PostgreSQL under DATA_DIR. */
import type { PlatformConfig } from '../config.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../database/embedded-postgres.js';
import type { Logger } from '../logger.js';

export async function resolveDatabase(config: PlatformConfig, log: Logger): Promise<{ url: string; embedded?: EmbeddedServer }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  const embedded = await startEmbeddedPostgres(config.dataDir, (message) => log.info(message));
  return { url: embedded.url(), embedded };
}
