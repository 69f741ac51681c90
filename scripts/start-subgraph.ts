/**
 * `npm run start:subgraph -- <name>`: one subgraph alone (what each
 * docker-compose service and each replica runs). `<name>,<name>,...` runs
 * several in one process, each on its own port (what `npm start` does in
 * development to save memory; production runs them apart). Migrates their
 * schemas first unless SKIP_MIGRATIONS=true (the all-in-one start migrates
 * once for all).
 */
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../platform/config.js';
import { prepareDatabase } from '../platform/bootstrap/prepare-database.js';
import { resolveDatabase } from '../platform/bootstrap/resolve-database.js';
import { closePools } from '../platform/database/connection.js';
import { createLogger } from '../platform/logger.js';
import { onShutdown } from '../platform/bootstrap/shutdown.js';
import { startSubgraph } from '../platform/subgraph/start-subgraph.js';
import { SUBGRAPH_MODULES } from '../subgraphs/registry.js';

const names = (process.argv[2] ?? process.env.SUBGRAPH ?? '').split(',').filter(Boolean) as SubgraphName[];
if (names.length === 0 || names.some((name) => !SUBGRAPH_NAMES.includes(name))) {
  console.error(`Usage: npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>[,<name>...]`);
  process.exit(2);
}
const config = loadConfig();
const log = createLogger(names.join('+'), config.logLevel);
const database = await resolveDatabase(config, log);
const modules = await Promise.all(names.map((name) => SUBGRAPH_MODULES[name]!()));
const deps = { config, databaseUrl: database.url, log };
if (process.env.SKIP_MIGRATIONS !== 'true') await prepareDatabase(deps, modules, { seed: config.seedDemoData });
const running = await Promise.all(
  modules.map((module) => startSubgraph(module, { ...deps, log: createLogger(module.name, config.logLevel) }, { port: config.ports[module.name], host: config.host })),
);
onShutdown(log, async () => {
  await Promise.all(running.map((subgraph) => subgraph.stop()));
  await closePools();
  await database.embedded?.stop();
});
