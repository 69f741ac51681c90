/** `npm run start:gateway`: the gateway alone, on GATEWAY_PORT, with subgraph URLs from configuration. */
import { loadConfig } from '../platform/config.js';
import { onShutdown } from '../platform/bootstrap/shutdown.js';
import { resolveDatabase } from '../platform/bootstrap/resolve-database.js';
import { closePools } from '../platform/database/connection.js';
import { createLogger } from '../platform/logger.js';
import { startGateway } from './start-gateway.js';
import { devTokenSource } from './web/dev-token-source.js';
import { devTokenAllowed } from './web/web-routes.js';

const config = loadConfig();
const log = createLogger('gateway', config.logLevel);
// The database holds the shared rate-limit buckets (and, embedded, the demo users the explorer's token names); embedded mode finds the platform's own server.
const database = config.gateway.rateLimit.store === 'postgres' || (config.embedded && devTokenAllowed(config)) ? await resolveDatabase(config, log) : undefined;
const gateway = await startGateway({
  config,
  log,
  port: config.ports.gateway,
  host: config.host,
  databaseUrl: database?.url,
  devToken: devTokenSource(config, database?.url),
});
onShutdown(log, async () => {
  await gateway.stop();
  await closePools();
  await database?.embedded?.stop();
});
