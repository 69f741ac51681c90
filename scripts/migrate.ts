/** `npm run migrate`: brings every schema up to date (and seeds demo data when SEED_DEMO_DATA is on). */
import { loadConfig, SUBGRAPH_NAMES } from '../platform/config.js';
import { prepareDatabase } from '../platform/bootstrap/prepare-database.js';
import { resolveDatabase } from '../platform/bootstrap/resolve-database.js';
import { closePools } from '../platform/database/connection.js';
import { createLogger } from '../platform/logger.js';
import { SUBGRAPH_MODULES } from '../subgraphs/registry.js';

const config = loadConfig();
const log = createLogger('migrate', config.logLevel);
const database = await resolveDatabase(config, log);
const modules = await Promise.all(SUBGRAPH_NAMES.map((name) => SUBGRAPH_MODULES[name]!()));
await prepareDatabase({ config, databaseUrl: database.url, log }, modules, { seed: config.seedDemoData });
log.info('database is up to date');
await closePools();
await database.embedded?.stop();
