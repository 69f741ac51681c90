/**
 * `npm run start:subgraph -- <name>`: one subgraph alone (what each
 * docker-compose service and each replica runs). Migrates its schema first
 * unless SKIP_MIGRATIONS=true (the all-in-one start migrates once for all).
 */
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../platform/config.js';
import { prepareDatabase } from '../platform/bootstrap/prepare-database.js';
import { resolveDatabase } from '../platform/bootstrap/resolve-database.js';
import { closePools } from '../platform/database/connection.js';
import { createLogger } from '../platform/logger.js';
import { onShutdown } from '../platform/bootstrap/shutdown.js';
import { startSubgraph } from '../platform/subgraph/start-subgraph.js';
import { SUBGRAPH_MODULES } from '../subgraphs/registry.js';

const name = (process.argv[2] ?? process.env.SUBGRAPH) as SubgraphName;
if (!SUBGRAPH_NAMES.includes(name)) {
  console.error(`Usage: npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  process.exit(2);
}
const config = loadConfig();
const log = createLogger(name, config.logLevel);
const database = await resolveDatabase(config, log);
const module = await SUBGRAPH_MODULES[name]!();
const deps = { config, databaseUrl: database.url, log };
if (process.env.SKIP_MIGRATIONS !== 'true') await prepareDatabase(deps, [module], { seed: config.seedDemoData });
const running = await startSubgraph(module, deps, { port: config.ports[name], host: config.host });
onShutdown(log, async () => {
  await running.stop();
  await closePools();
  await database.embedded?.stop();
});
