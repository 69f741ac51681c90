/**
 * `npm start`: the whole platform on this machine. Starts (or reuses) the
 * database, migrates and seeds it once, then runs the five subgraphs and the
 * gateway as separate processes, as in production, and prints what a new
 * user needs: the URL, an admin token and a query to paste. Ctrl-C stops
 * everything cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.js';
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../platform/config.js';
import { prepareDatabase } from '../platform/bootstrap/prepare-database.js';
import { resolveDatabase } from '../platform/bootstrap/resolve-database.js';
import { closePools } from '../platform/database/connection.js';
import { createLogger } from '../platform/logger.js';
import { REPO_ROOT } from '../platform/paths.js';
import { SUBGRAPH_MODULES } from '../subgraphs/registry.js';
import { devTokenFor } from './lib/dev-token.js';
import { ensureWebBuild } from './lib/ensure-web-build.js';

const config = loadConfig();
const log = createLogger('start', config.logLevel);
if (config.gateway.explorer || config.gateway.webApp) {
  try {
    ensureWebBuild((message) => log.info(message));
  } catch (error) {
    // The API does not need the pages: say so, and serve it anyway.
    log.error({ err: error }, 'the explorer and the web client could not be built; the API runs without them');
  }
}
const database = await resolveDatabase(config, log);
const modules = await Promise.all(SUBGRAPH_NAMES.map((name) => SUBGRAPH_MODULES[name]!()));
await prepareDatabase({ config, databaseUrl: database.url, log }, modules, { seed: config.seedDemoData });

const children = new Map<string, ChildProcess>();
let stopping = false;

function run(name: SubgraphName | 'gateway'): void {
  const script = name === 'gateway' ? 'gateway/main.ts' : 'scripts/start-subgraph.ts';
  const child = spawn(process.execPath, [...(name === 'gateway' ? GATEWAY_NODE_FLAGS : []), '--import', 'tsx', script, ...(name === 'gateway' ? [] : [name])], {
    cwd: REPO_ROOT,
    // Children find the embedded server through DATA_DIR (or use DATABASE_URL), already migrated.
    env: { ...process.env, SKIP_MIGRATIONS: 'true' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) log.error({ service: name, code, signal }, `${name} exited; the rest keeps serving (restart it with npm run start:subgraph -- ${name})`);
  });
  children.set(name, child);
}

async function waitReady(name: string, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!children.has(name)) throw new Error(`${name} exited during start-up`);
    try {
      const response = await fetch(new URL('/health/ready', url), { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not become ready within ${timeoutMs / 1000} s`);
}

async function stopAll(): Promise<void> {
  stopping = true;
  const exits = [...children.values()].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children.values()) child.kill('SIGTERM');
  await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  for (const child of children.values()) child.kill('SIGKILL');
  await closePools();
  await database.embedded?.stop();
}

let signalled = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (signalled) process.exit(1);
    signalled = true;
    console.error('\nStopping Bheem Federation...');
    stopAll().then(() => process.exit(0), () => process.exit(1));
  });
}

try {
  for (const name of SUBGRAPH_NAMES) run(name);
  await Promise.all(SUBGRAPH_NAMES.map((name) => waitReady(name, config.subgraphUrls[name])));
  run('gateway');
  const gatewayUrl = `http://localhost:${config.ports.gateway}/graphql`;
  await waitReady('gateway', gatewayUrl);
  const admin = config.auth.mode === 'dev' ? await devTokenFor(config, database.url, 'admin').catch(() => null) : null;
  printBanner(gatewayUrl, admin?.token);
} catch (error) {
  log.error({ err: error }, 'start-up failed');
  await stopAll();
  process.exit(1);
}

function printBanner(gatewayUrl: string, token: string | undefined): void {
  const query = '{ courses { id fullname teachers { fullName } liveClasses { id title status } calendarEvents { id title } documents { id filename } } }';
  const origin = new URL(gatewayUrl).origin;
  const lines = [
    '',
    `Bheem Federation is running: ${gatewayUrl}`,
    ...(config.gateway.explorer ? [`  explorer (GraphiQL, ${token ? 'signed in as the demo administrator' : 'bring a token'}): ${origin}/`] : []),
    ...(config.gateway.webApp ? [`  web client (course pages, calendar, documents): ${origin}/app/`] : []),
    `  ${database.embedded ? `embedded PostgreSQL on 127.0.0.1:${database.embedded.port} (data in ${config.dataDir})` : 'PostgreSQL from DATABASE_URL'}`,
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
  lines.push('', 'Ctrl-C stops everything.', '');
  console.log(lines.join('\n'));
}
