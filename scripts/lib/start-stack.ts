/**
 * `npm start` (entered through scripts/start.mjs): starts (or reuses) the
 * database, migrates and seeds it once, then runs the five subgraphs (in this
 * process, or one process each with START_SUBGRAPH_PROCESSES=each, as in
 * production) and the gateway (a process of its own, loading while the
 * database is migrated), printing a line per step and per service. Ends with what a new user needs (the URL, an admin token,
 * a query to paste) and the stack's start-up time and memory. Ctrl-C stops
 * everything cleanly. A failed start names the service, why, and its last
 * log lines.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { GATEWAY_NODE_FLAGS } from '../../gateway/node-flags.js';
import { SUBGRAPH_NODE_FLAGS } from '../../platform/subgraph/node-flags.js';
import { ignoreOutputErrors } from '../../platform/bootstrap/ignore-output-errors.js';
import { prepareDatabase } from '../../platform/bootstrap/prepare-database.js';
import { resolveDatabase } from '../../platform/bootstrap/resolve-database.js';
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../../platform/config.js';
import { int } from '../../platform/config/env-values.js';
import { closePools } from '../../platform/database/connection.js';
import type { EmbeddedServer } from '../../platform/database/embedded-postgres.js';
import { createLogger } from '../../platform/logger.js';
import { REPO_ROOT } from '../../platform/paths.js';
import { ownCpuMs, processCpuMs, processTree, treesCpuSeconds, treePssBytes, treeRssBytes } from '../../platform/process-stats.js';
import type { RunningSubgraph } from '../../platform/subgraph/start-subgraph.js';
import type { SubgraphModule } from '../../platform/subgraph/subgraph-module.js';
import { SUBGRAPH_MODULES } from '../../subgraphs/registry.js';
import { WEB_BUILD_STATUS_FILE } from '../../platform/web-build-status.js';
import { devTokenFor } from './dev-token.js';
import { ensurePortsFree } from './free-ports.js';
import { ensureWebBuild, stopWebBuild, type WebBuildRun } from './ensure-web-build.js';
import { waitInProcessReady } from './in-process-readiness.js';
import { describeEscape, type EscapedError, onEscapedError, runAsService } from './escaped-errors.js';
import { type ReadinessLimits, ServiceProcess, StartError } from './service-process.js';

const config = loadConfig();
const log = createLogger('start', config.logLevel);
// How long a service may go without progress, and how long it may take in all, before the start fails.
const limits: ReadinessLimits = {
  stallMs: int(process.env, 'START_STALL_SECONDS', 120) * 1000,
  totalMs: int(process.env, 'START_TIMEOUT_SECONDS', 900) * 1000,
};

// Times count from the process's start: loading the modules is part of the wait. Then this process's CPU so far
// (the subgraphs' loading, migrations and start run here): what a step cost, whatever the machine's load.
const elapsed = () => `${process.uptime().toFixed(1).padStart(5)} s, CPU ${(ownCpuMs() / 1000).toFixed(1).padStart(4)} s`;
const progress = (service: string, message: string) => console.log(`[${elapsed()}] ${service.padEnd(10)} ${message}`);

const services = new Map<string, ServiceProcess>();
const subgraphsHere: RunningSubgraph[] = [];
let embedded: EmbeddedServer | undefined;
/** The npm process building web/dist in the background, while it runs. */
let webBuildPid: number | undefined;
let stopping = false;
let running = false; // all started: from then on, a service that exits is reported and the rest keeps serving

async function stopAll(): Promise<void> {
  stopping = true;
  if (webBuildPid) stopWebBuild(webBuildPid);
  await Promise.all([...services.values()].map((service) => service.stop(10_000)));
  await Promise.all(subgraphsHere.map((subgraph) => subgraph.stop()));
  await closePools();
  await embedded?.stop();
}

/** How long stopping may take after a failure before the process exits anyway (a supervisor is waiting to restart it). */
const STOP_AFTER_FAILURE_MS = 20_000;

/**
 * A failed start (or, once started, a failure in this process; `escaped` when it escaped from the code that
 * runs here: which subgraph, and its stack): what failed and why, the lines that matter, then everything
 * stopped and exit code 1.
 */
async function failStart(error: unknown, escaped?: EscapedError): Promise<never> {
  const service = error instanceof StartError ? error.service : 'start-up';
  const reason = error instanceof Error ? error.message : `failed with a non-error value: ${String(error)}`;
  const [headline, ...frames] = escaped ? describeEscape(escaped) : [reason];
  console.error(`\n${running ? 'Bheem Federation stopped' : 'Start-up failed'}: ${headline}`);
  for (const frame of frames) console.error(frame);
  const lines = error instanceof StartError ? error.lastLines : [];
  if (lines.length > 0) console.error(`Last lines of ${service}:\n  ${lines.join('\n  ')}`);
  if (error instanceof Error && !(error instanceof StartError) && error.stack) log.debug({ err: error }, 'start-up failed');
  await Promise.race([stopAll().catch(() => {}), new Promise((resolve) => setTimeout(resolve, STOP_AFTER_FAILURE_MS).unref())]);
  process.exit(1);
}

// In development the five subgraphs run in this process (one Node runtime instead of five, and it has loaded
// them already to migrate); START_SUBGRAPH_PROCESSES=each runs them apart, as production does.
const subgraphsApart = (process.env.START_SUBGRAPH_PROCESSES ?? 'one') === 'each';

const gatewayUrl = `http://localhost:${config.ports.gateway}/graphql`;
const origin = new URL(gatewayUrl).origin;

// `npm start` runs this file compiled (scripts/start.mjs): the services it launches run compiled too, from the
// same build. Run from the sources (node --import tsx scripts/lib/start-stack.ts), it launches the sources.
const compiled = import.meta.url.endsWith('.js');
const entry = (file: string): string[] => (compiled ? [fileURLToPath(new URL(`../../${file}.js`, import.meta.url))] : ['--import', 'tsx', `${file}.ts`]);

/** The embedded server's URL for the processes launched here (EMBEDDED_DATABASE_URL), known before it is up. */
let embeddedUrlEnv: Record<string, string> = {};

function run(name: string): ServiceProcess {
  const args = name === 'gateway' ? [...GATEWAY_NODE_FLAGS, ...entry('gateway/main')] : [...SUBGRAPH_NODE_FLAGS, ...entry('scripts/start-subgraph'), name];
  // Children use the embedded server this process starts (or DATABASE_URL); subgraphs start once it is migrated. The
  // gateway reads the web build's status file only when told a build runs as it starts (else never: web/dist is current).
  const building = name === 'gateway' && webBuildPid !== undefined && { GATEWAY_WEB_BUILD_STATUS_FILE: WEB_BUILD_STATUS_FILE };
  const service = new ServiceProcess(name, args, { cwd: REPO_ROOT, env: { ...process.env, ...embeddedUrlEnv, SKIP_MIGRATIONS: 'true', ...building } });
  void service.exited.then(() => {
    if (running && !stopping) log.error({ service: name }, `${name} ${service.exitDescription}; the rest keeps serving (restart it with npm run start:subgraph -- ${name})`);
  });
  services.set(name, service);
  progress(name, `starting (pid ${service.child.pid})`);
  return service;
}

async function startService(name: SubgraphName | 'gateway', url: string): Promise<void> {
  const since = Date.now();
  const service = run(name);
  await service.waitReady(url, limits, (message) => progress(name, message));
  const cpuMs = processCpuMs(service.child.pid!);
  progress(name, `ready on ${new URL(url).host} (${((Date.now() - since) / 1000).toFixed(1)} s${cpuMs === undefined ? '' : `, ${(cpuMs / 1000).toFixed(1)} s of its CPU`})`);
}

// Their server (Apollo Server, the HTTP layer) loads with their code, while PostgreSQL starts.
const subgraphServerLoaded = subgraphsApart ? Promise.resolve(undefined as never) : import('../../platform/subgraph/start-subgraph.js');
subgraphServerLoaded.catch(() => {}); // reported where awaited

/** The five subgraphs in this process, each on its own port with its own pools and logger; a line per subgraph as it becomes ready. */
async function startSubgraphsHere(modules: SubgraphModule<any>[], databaseUrl: string): Promise<void> {
  const since = Date.now();
  const { startSubgraph } = await subgraphServerLoaded;
  progress('subgraphs', `starting in this process (pid ${process.pid})`);
  await Promise.all(
    modules.map(async (module) => {
      const deps = { config, databaseUrl, log: createLogger(module.name, config.logLevel) };
      try {
        // Started as its own service: an error that later escapes from its requests, jobs or pools names it.
        subgraphsHere.push(await runAsService(module.name, () => startSubgraph(module, deps, { port: config.ports[module.name], host: config.host })));
      } catch (error) {
        throw new StartError(module.name, `did not start: ${error instanceof Error ? error.message : String(error)}`);
      }
      // What a separate process is waited for: its readiness checks (database, storage) pass.
      await waitInProcessReady(module.name, new URL('/health/ready', config.subgraphUrls[module.name]).href, limits, (message) => progress(module.name, message));
      progress(module.name, `ready on ${new URL(config.subgraphUrls[module.name]).host} (${((Date.now() - since) / 1000).toFixed(1)} s)`);
    }),
  );
}

/** Milliseconds since `since`, for the progress lines. */
const msSince = (since: number) => `${(Date.now() - since).toLocaleString('en')} ms`;

async function main(): Promise<void> {
  // A port held by another process fails the start now, not after the database is up (or never, for the gateway's).
  // Checked where each listens (HOST) and where its clients connect (the gateway's localhost: 127.0.0.1 and ::1).
  const portVariables = Object.fromEntries([
    ['GATEWAY_PORT', { port: config.ports.gateway, url: gatewayUrl }],
    ...SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_PORT`, { port: config.ports[name], url: config.subgraphUrls[name] }]),
  ]);
  await ensurePortsFree(portVariables, config.host);
  // Built (when its sources changed, or on a new clone) in the background, at low CPU priority: the API does not
  // need the pages, so the token does not wait for them. Meanwhile the gateway answers them "still building"; a
  // line says when they are ready, and a failed build is said while the API serves anyway.
  const webBuilt: Promise<WebBuildRun | null> =
    config.gateway.explorer || config.gateway.webApp
      ? ensureWebBuild({ log: (message) => progress('web', message), background: true, onChild: (pid) => (webBuildPid = pid) })
      : Promise.resolve(null);
  let webDone = false;
  void webBuilt.then(
    (built) => {
      webDone = true;
      const cpu = built?.cpuSeconds === undefined ? '' : `, ${built.cpuSeconds.toFixed(1)} s of CPU`;
      if (built) progress('web', `built in ${(built.ms / 1000).toFixed(1)} s${cpu}: the explorer and the web client are ready at ${origin}/ and ${origin}/app/`);
    },
    (error: unknown) => {
      webDone = true;
      if (!stopping) log.error({ err: error }, 'the explorer and the web client could not be built; the API runs without them');
    },
  );
  // The subgraphs' code loads while PostgreSQL starts (a process of its own).
  const loadingSince = Date.now();
  const modulesLoaded = Promise.all(SUBGRAPH_NAMES.map((name) => SUBGRAPH_MODULES[name]!()));
  Promise.all([modulesLoaded, subgraphServerLoaded]).then(
    () => progress('subgraphs', `code loaded (${msSince(loadingSince)})`),
    () => {}, // reported where awaited
  );
  // The embedded server's port is chosen now, so that the gateway can be told its URL before it is up.
  // (Loaded in embedded mode only, as resolveDatabase does: production images ship without PostgreSQL.)
  const embeddedPostgres = config.databaseUrl ? undefined : await import('../../platform/database/embedded-postgres.js');
  const port = await embeddedPostgres?.embeddedPostgresPort(config.dataDir);
  if (embeddedPostgres && port) embeddedUrlEnv = { EMBEDDED_DATABASE_URL: embeddedPostgres.embeddedDatabaseUrl(port) };
  // The gateway reads the supergraph from its file and needs neither the database (it connects when asked
  // something), the migrations nor the subgraphs to load: it loads meanwhile, on the other core, while this process
  // loads the subgraphs and PostgreSQL is initialised and started, and reports ready once they all answer.
  const gatewayReady = startService('gateway', gatewayUrl);
  gatewayReady.catch(() => {}); // awaited below; a failure meanwhile must not be an unhandled rejection

  progress('database', config.databaseUrl ? 'PostgreSQL from DATABASE_URL' : `embedded PostgreSQL, data in ${config.dataDir}`);
  const database = await resolveDatabase(config, log, port);
  embedded = database.embedded;
  progress('database', `${embedded ? `ready on 127.0.0.1:${embedded.port}` : 'reachable'} (${msSince(loadingSince)})`);

  const modules = await modulesLoaded;
  const migratingSince = Date.now();
  const steps: { step: string; at: number }[] = [];
  await prepareDatabase({ config, databaseUrl: database.url, log }, modules, {
    seed: config.seedDemoData,
    onStep: (step) => {
      steps.push({ step, at: Date.now() });
      progress('migrations', step);
    },
  });
  const took = steps.map(({ step, at }, i) => `${step.replace(/ \(.*\)$/, '')} ${(steps[i + 1]?.at ?? Date.now()) - at}`);
  progress('migrations', `done (${msSince(migratingSince)}; ms per step: ${took.join(', ')})`);

  const subgraphsReady = subgraphsApart ? Promise.all(SUBGRAPH_NAMES.map((name) => startService(name, config.subgraphUrls[name]))) : startSubgraphsHere(modules, database.url);
  await Promise.all([subgraphsReady, gatewayReady]);

  running = true;
  const admin = config.auth.mode === 'dev' ? await devTokenFor(config, database.url, 'admin').catch(() => null) : null;
  const seconds = process.uptime();
  // The stack without the web build: its figures are its own line (an ended build's CPU was reaped into this process's).
  const building = webBuildPid;
  const webTree = new Set(building ? processTree(building) : []);
  const stack = processTree(process.pid).filter((pid) => !webTree.has(pid));
  const rssMb = (treeRssBytes(process.pid) - (building ? treeRssBytes(building) : 0)) / 1024 ** 2;
  const pssMb = (treePssBytes(process.pid) - (building ? treePssBytes(building) : 0)) / 1024 ** 2;
  // CPU time is what the start costs whatever else the machine runs; the seconds depend on that load.
  const cpu = treesCpuSeconds({ stack: process.pid, ...(building && { web: building }) }, { reaped: true });
  const webEnded = webDone ? await webBuilt.catch(() => null) : null;
  const cpuSeconds = cpu.stack! - (cpu.web ?? 0) - (webEnded?.cpuSeconds ?? 0);
  const summary = `Started in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s of CPU${webDone ? '' : ', the web build running beside not counted'}) at load average ${loadavg()[0]!.toFixed(1)}; the stack is ${stack.length} processes holding ${pssMb.toFixed(0)} MB (PSS; ${rssMb.toFixed(0)} MB RSS summed, shared pages counted per process).`;
  printBanner(gatewayUrl, database.embedded, admin?.token, summary, !webDone);
}

let signalled = false;
// SIGHUP: the terminal was closed. The embedded PostgreSQL runs in a session of its own (it must not see the
// terminal's Ctrl-C before the services stop), so it does not get the hang-up: without this it would outlive the start.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (signalled) process.exit(1);
    signalled = true;
    if (signal === 'SIGHUP') ignoreOutputErrors();
    else console.error('\nStopping Bheem Federation...');
    stopAll().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  });
}
// Whatever escapes (a library's stray rejection included) ends the stack with where it came from and why, not a
// bare `undefined`, and exit code 1: in-process subgraphs share one process, and a supervisor restarts it whole.
onEscapedError((escaped) => void failStart(escaped.error, escaped));

await main().catch(failStart);

function printBanner(gatewayUrl: string, database: EmbeddedServer | undefined, token: string | undefined, summary: string, webBuilding: boolean): void {
  const query = '{ courses { id fullname teachers { fullName } liveClasses { id title status } calendarEvents { id title } documents { id filename } } }';
  const building = webBuilding ? ' (still being built: a line below says when it is ready)' : '';
  const lines = [
    '',
    `Bheem Federation is running: ${gatewayUrl}`,
    ...(config.gateway.explorer ? [`  explorer (GraphiQL, ${token ? 'signed in as the demo administrator' : 'bring a token'}): ${origin}/${building}`] : []),
    ...(config.gateway.webApp ? [`  web client (course pages, calendar, documents): ${origin}/app/${building}`] : []),
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
