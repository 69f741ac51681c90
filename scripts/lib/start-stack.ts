/**
 * `npm start` (entered through scripts/start.ts): starts (or reuses) the
 * database, migrates and seeds it once, then runs the five subgraphs and the
 * gateway as separate processes, as in production, printing a line per step
 * and per service. Ends with what a new user needs (the URL, an admin token,
 * a query to paste) and the stack's start-up time and memory. Ctrl-C stops
 * everything cleanly. A failed start names the service, why, and its last
 * log lines.
 */
import { loadavg } from 'node:os';
import { GATEWAY_NODE_FLAGS } from '../../gateway/node-flags.js';
import { prepareDatabase } from '../../platform/bootstrap/prepare-database.js';
import { resolveDatabase } from '../../platform/bootstrap/resolve-database.js';
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../../platform/config.js';
import { int } from '../../platform/config/env-values.js';
import { closePools } from '../../platform/database/connection.js';
import type { EmbeddedServer } from '../../platform/database/embedded-postgres.js';
import { createLogger } from '../../platform/logger.js';
import { REPO_ROOT } from '../../platform/paths.js';
import { processTree, treePssBytes, treeRssBytes } from '../../platform/process-stats.js';
import { SUBGRAPH_MODULES } from '../../subgraphs/registry.js';
import { devTokenFor } from './dev-token.js';
import { ensureWebBuild } from './ensure-web-build.js';
import { type ReadinessLimits, ServiceProcess, StartError } from './service-process.js';

const config = loadConfig();
const log = createLogger('start', config.logLevel);
// How long a service may go without progress, and how long it may take in all, before the start fails.
const limits: ReadinessLimits = {
  stallMs: int(process.env, 'START_STALL_SECONDS', 120) * 1000,
  totalMs: int(process.env, 'START_TIMEOUT_SECONDS', 900) * 1000,
};

// Times count from the process's start: loading the modules is part of the wait.
const elapsed = () => `${process.uptime().toFixed(1).padStart(5)} s`;
const progress = (service: string, message: string) => console.log(`[${elapsed()}] ${service.padEnd(10)} ${message}`);

const services = new Map<string, ServiceProcess>();
let embedded: EmbeddedServer | undefined;
let stopping = false;
let running = false; // all started: from then on, a service that exits is reported and the rest keeps serving

async function stopAll(): Promise<void> {
  stopping = true;
  await Promise.all([...services.values()].map((service) => service.stop(10_000)));
  await closePools();
  await embedded?.stop();
}

/** A failed start: what failed and why, the lines that matter, then everything stopped. */
async function failStart(error: unknown): Promise<never> {
  const service = error instanceof StartError ? error.service : 'start-up';
  const reason = error instanceof Error ? error.message : `failed with a non-error value: ${String(error)}`;
  console.error(`\nStart-up failed: ${reason}`);
  const lines = error instanceof StartError ? error.lastLines : [];
  if (lines.length > 0) console.error(`Last lines of ${service}:\n  ${lines.join('\n  ')}`);
  if (error instanceof Error && !(error instanceof StartError) && error.stack) log.debug({ err: error }, 'start-up failed');
  await stopAll().catch(() => {});
  process.exit(1);
}

// In development the five subgraphs share one process (one Node runtime instead of five: about a
// fifth of the memory); START_SUBGRAPH_PROCESSES=each runs them apart, as production does.
const subgraphsApart = (process.env.START_SUBGRAPH_PROCESSES ?? 'one') === 'each';

function run(name: string): ServiceProcess {
  const args = name === 'gateway' ? [...GATEWAY_NODE_FLAGS, '--import', 'tsx', 'gateway/main.ts'] : ['--import', 'tsx', 'scripts/start-subgraph.ts', name];
  // Children find the embedded server through DATA_DIR (or use DATABASE_URL), already migrated.
  const service = new ServiceProcess(name, args, { cwd: REPO_ROOT, env: { ...process.env, SKIP_MIGRATIONS: 'true' } });
  void service.exited.then(() => {
    if (running && !stopping) log.error({ service: name }, `${name} ${service.exitDescription}; the rest keeps serving (restart it with npm run start:subgraph -- ${name})`);
  });
  services.set(name, service);
  progress(name, `starting (pid ${service.child.pid})`);
  return service;
}

async function startService(name: SubgraphName | 'gateway', url: string): Promise<void> {
  const since = Date.now();
  await run(name).waitReady(url, limits, (message) => progress(name, message));
  progress(name, `ready on ${new URL(url).host} (${((Date.now() - since) / 1000).toFixed(1)} s)`);
}

/** The five subgraphs in one process, each on its own port; a line per subgraph as it becomes ready. */
async function startSubgraphsTogether(): Promise<void> {
  const since = Date.now();
  const service = run(SUBGRAPH_NAMES.join(','));
  for (const name of SUBGRAPH_NAMES) {
    await service.waitReady(config.subgraphUrls[name], limits, (message) => progress(name, message));
    progress(name, `ready on ${new URL(config.subgraphUrls[name]).host} (${((Date.now() - since) / 1000).toFixed(1)} s)`);
  }
}

async function main(): Promise<void> {
  if (config.gateway.explorer || config.gateway.webApp) {
    try {
      ensureWebBuild((message) => progress('web', message));
    } catch (error) {
      // The API does not need the pages: say so, and serve it anyway.
      log.error({ err: error }, 'the explorer and the web client could not be built; the API runs without them');
    }
  }
  progress('database', config.databaseUrl ? 'PostgreSQL from DATABASE_URL' : `embedded PostgreSQL, data in ${config.dataDir}`);
  const database = await resolveDatabase(config, log);
  embedded = database.embedded;
  progress('database', embedded ? `ready on 127.0.0.1:${embedded.port}` : 'reachable');

  const modules = await Promise.all(SUBGRAPH_NAMES.map((name) => SUBGRAPH_MODULES[name]!()));
  await prepareDatabase({ config, databaseUrl: database.url, log }, modules, {
    seed: config.seedDemoData,
    onStep: (step) => progress('migrations', step),
  });
  progress('migrations', 'done');

  // The gateway reads the supergraph from its file, so it loads while the subgraphs do (two cores, two
  // processes); it reports ready once they answer.
  const gatewayUrl = `http://localhost:${config.ports.gateway}/graphql`;
  const subgraphsReady = subgraphsApart ? Promise.all(SUBGRAPH_NAMES.map((name) => startService(name, config.subgraphUrls[name]))) : startSubgraphsTogether();
  const gatewayReady = startService('gateway', gatewayUrl);
  await Promise.all([subgraphsReady, gatewayReady]);

  running = true;
  const admin = config.auth.mode === 'dev' ? await devTokenFor(config, database.url, 'admin').catch(() => null) : null;
  const seconds = process.uptime();
  const stack = processTree(process.pid);
  const rssMb = treeRssBytes(process.pid) / 1024 ** 2;
  const pssMb = treePssBytes(process.pid) / 1024 ** 2;
  const summary = `Started in ${seconds.toFixed(1)} s; the stack is ${stack.length} processes holding ${pssMb.toFixed(0)} MB (PSS; ${rssMb.toFixed(0)} MB RSS summed, shared pages counted per process) at load average ${loadavg()[0]!.toFixed(1)}.`;
  printBanner(gatewayUrl, database.embedded, admin?.token, summary);
}

let signalled = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (signalled) process.exit(1);
    signalled = true;
    console.error('\nStopping Bheem Federation...');
    stopAll().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
// Whatever escapes (a library's stray rejection included) ends the start with a reason, not a bare `undefined`.
process.on('unhandledRejection', (reason) => void failStart(reason));
process.on('uncaughtException', (error) => void failStart(error));

await main().catch(failStart);

function printBanner(gatewayUrl: string, database: EmbeddedServer | undefined, token: string | undefined, summary: string): void {
  const query = '{ courses { id fullname teachers { fullName } liveClasses { id title status } calendarEvents { id title } documents { id filename } } }';
  const origin = new URL(gatewayUrl).origin;
  const lines = [
    '',
    `Bheem Federation is running: ${gatewayUrl}`,
    ...(config.gateway.explorer ? [`  explorer (GraphiQL, ${token ? 'signed in as the demo administrator' : 'bring a token'}): ${origin}/`] : []),
    ...(config.gateway.webApp ? [`  web client (course pages, calendar, documents): ${origin}/app/`] : []),
    `  ${database ? `embedded PostgreSQL on 127.0.0.1:${database.port} (data in ${config.dataDir})` : 'PostgreSQL from DATABASE_URL'}`,
    `  subgraphs: ${SUBGRAPH_NAMES.map((name) => `${name} :${config.ports[name]}`).join(', ')}`,
  ];
  if (token) {
    lines.push(
      '',
      'Dev token of the demo administrator (admin of "Bheem Learning & Co"; valid 12 h):',
      token,
      '',
      'Try it:',
      `  curl -s ${gatewayUrl} -H 'content-type: application/json' \\`,
      `    -H 'authorization: Bearer ${token}' \\`,
      `    -d '${JSON.stringify({ query })}'`,
      '',
      'Other users: npm run -s token -- --user tara.teacher | sam.student | maya.manager | globex.admin',
    );
  }
  lines.push('', summary, 'Ctrl-C stops everything.', '');
  console.log(lines.join('\n'));
}
