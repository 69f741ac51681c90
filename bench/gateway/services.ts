/**
 * The processes the gateway benchmark runs: a throwaway database, the five
 * subgraphs (once, shared by every gateway), each gateway under test, and
 * load generators. Every child's output goes to a log file under the run's
 * scratch directory, named in errors.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, openSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../platform/config.js';
import { freePort, startEmbeddedPostgres } from '../../platform/database/embedded-postgres.js';
import { REPO_ROOT } from '../../platform/paths.js';
import type { CheckoutCode } from './checkout-code.js';
import type { LoadJob, LoadResult } from './load-worker.js';

export interface Scratch {
  dir: string;
  log: (name: string) => number;
}

export function createScratch(): Scratch {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bheem-bench-gateway-'));
  chmodSync(dir, 0o755); // as root, an embedded PostgreSQL runs as `postgres` and must reach its data
  return { dir, log: (name) => openSync(path.join(dir, `${name}.log`), 'a') };
}

export interface BenchDatabase {
  url: string;
  stop: () => Promise<void>;
}

/** A fresh database: on DATABASE_URL's server when set, else on an embedded PostgreSQL of its own. */
export async function startDatabase(scratch: Scratch, print: (line: string) => void): Promise<BenchDatabase> {
  const name = `bheem_bench_gateway_${process.pid}`;
  if (process.env.DATABASE_URL) {
    const server = new URL(process.env.DATABASE_URL);
    server.pathname = '/postgres';
    // Fixed here: `server` is pointed at the new database below, and DROP DATABASE cannot run from inside it.
    const adminUrl = server.toString();
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(statement).finally(() => client.end());
    };
    await admin(`CREATE DATABASE "${name}"`);
    server.pathname = `/${name}`;
    return { url: server.toString(), stop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  print('gateway bench: starting an embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres(path.join(scratch.dir, 'postgres'), () => {}, { ephemeral: true });
  return { url: embedded.url(), stop: () => embedded.stop() };
}

/**
 * A copy of `url`'s database under the name `<its name>_<suffix>` (CREATE DATABASE ... TEMPLATE: nothing
 * may be connected to the original meanwhile), dropped by the returned stop.
 */
export async function copyDatabase(url: string, suffix: string): Promise<BenchDatabase> {
  const source = new URL(url);
  const original = decodeURIComponent(source.pathname.slice(1));
  const name = `${original}_${suffix}`;
  // Run from `template1`: a session in the original would make it unusable as a template.
  const adminUrl = new URL(url);
  adminUrl.pathname = '/template1';
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl.toString() });
    await client.connect();
    await client.query(statement).finally(() => client.end());
  };
  await admin(`CREATE DATABASE "${name}" TEMPLATE "${original}"`);
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return { url: copy.toString(), stop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export interface Service {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** SIGTERM, then SIGKILL after `graceMs` (a profiled process needs longer: it writes its profile as it exits). */
  stop: (graceMs?: number) => Promise<void>;
}

/** How long a stopping service may take before it is killed: longer when profiles are written (a busy machine takes its time). */
const defaultGraceMs = () => (process.env.BENCH_CPU_PROFILE_DIR ? 120_000 : 10_000);

type Env = Record<string, string | undefined>;

/** A Node.js process running `args`; `ipc`: with a channel to it (child.send, 'message'). */
export function spawnService(scratch: Scratch, name: string, args: string[], env: Env, cwd = REPO_ROOT, options: { ipc?: boolean } = {}): Service {
  return spawnProgram(scratch, name, process.execPath, args, env, cwd, options);
}

/** Any program (a peer's own binary), logged and stopped like the Node.js ones. */
export function spawnProgram(scratch: Scratch, name: string, program: string, args: string[], env: Env, cwd = REPO_ROOT, options: { ipc?: boolean } = {}): Service {
  const out = scratch.log(name);
  const child = spawn(program, args, { cwd, env: { ...process.env, ...env }, stdio: options.ipc ? ['ignore', out, out, 'ipc'] : ['ignore', out, out] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    child,
    logFile: path.join(scratch.dir, `${name}.log`),
    stop: async (graceMs = defaultGraceMs()) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `probe` until it resolves true; fails when the service exits or the time is up. */
export async function waitUntil(service: Service, probe: () => Promise<boolean>, timeoutMs = Number(process.env.BENCH_READY_TIMEOUT_MS ?? 90_000)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited with code ${service.child.exitCode}; see ${service.logFile}`);
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs / 1000} s; see ${service.logFile}`);
}

export interface Subgraphs<Name extends SubgraphName = SubgraphName> {
  urls: Record<Name, string>;
  /** In the order of the names started. */
  services: Service[];
}

/**
 * BENCH_CPU_PROFILE_DIR=<dir>: each subgraph writes V8 CPU profiles into `<dir>/subgraph-<name>/` when it stops
 * (`node --cpu-prof`: one file per thread; the largest is the main thread's, under tsx the other is its loader's).
 */
const subgraphProfileFlags = (label: string, only?: SubgraphCheckout['cpuProfile'], name?: string) => {
  if (only) return only.subgraphs.includes(name!) ? ['--cpu-prof', '--cpu-prof-dir', path.join(only.dir, label)] : [];
  const dir = process.env.BENCH_CPU_PROFILE_DIR;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', path.join(dir, label)] : [];
};

/** The checkout whose subgraphs to run (its own code and node_modules) and in which form; `label` prefixes its log and profile names. */
export interface SubgraphCheckout {
  code: CheckoutCode;
  label: string;
  /** Profile these subgraphs only, into `<dir>/<label>subgraph-<name>/` (instead of BENCH_CPU_PROFILE_DIR's every one). */
  cpuProfile?: { dir: string; subgraphs: string[] };
}

/** How to start the subgraphs besides their checkout: which (default: all five), with which Node.js flags before the entry, with an IPC channel. */
export interface SubgraphProcessOptions<Name extends SubgraphName> {
  names?: readonly Name[];
  nodeFlags?: (name: Name) => string[];
  ipc?: boolean;
}

/**
 * Subgraphs as production starts them: each in a process of its own (scripts/start-subgraph of `checkout`), on the
 * already migrated database, their output in the scratch directory's logs; ready (GET /health/ready) when this
 * resolves, all stopped when one is not. The gateway benches run the five; the subscriptions bench
 * (bench/support/probed-subgraphs.ts) the ones it needs, each with a probe loaded beside it over IPC.
 */
export async function startSubgraphs<Name extends SubgraphName = SubgraphName>(
  scratch: Scratch,
  databaseUrl: string,
  env: Env,
  checkout: SubgraphCheckout,
  options: SubgraphProcessOptions<Name> = {},
): Promise<Subgraphs<Name>> {
  const names = options.names ?? (SUBGRAPH_NAMES as readonly SubgraphName[] as readonly Name[]);
  const ports = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await freePort()] as const))) as Record<Name, number>;
  const urls = Object.fromEntries(names.map((name) => [name, `http://127.0.0.1:${ports[name]}/graphql`])) as Record<Name, string>;
  const shared: Env = {
    ...env,
    DATABASE_URL: databaseUrl,
    SKIP_MIGRATIONS: 'true',
    SEED_DEMO_DATA: 'false',
    HOST: '127.0.0.1',
    ...Object.fromEntries(
      names.flatMap((name) => [
        [`${name.toUpperCase()}_PORT`, String(ports[name])],
        [`${name.toUpperCase()}_URL`, urls[name]],
      ]),
    ),
  };
  const { code } = checkout;
  const services = names.map((name) => {
    const label = `${checkout.label}subgraph-${name}`;
    const args = [...subgraphProfileFlags(label, checkout.cpuProfile, name), ...(options.nodeFlags?.(name) ?? []), ...code.subgraphEntry(name)];
    return spawnProgram(scratch, label, code.node.binary, args, shared, code.root, { ipc: options.ipc });
  });
  try {
    await Promise.all(
      services.map((service, index) => waitUntil(service, async () => (await fetch(new URL('/health/ready', urls[names[index]!]), { signal: AbortSignal.timeout(2000) })).ok)),
    );
  } catch (error) {
    await Promise.all(services.map((service) => service.stop()));
    throw error;
  }
  return { urls, services };
}

/** One load generator process for one job. */
export async function runLoadProcess(job: LoadJob): Promise<LoadResult> {
  const child = fork(path.join(REPO_ROOT, 'bench/gateway/load-worker.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      child.once('message', (message: { ok: boolean; result?: LoadResult; error?: string }) => (message.ok ? resolve(message.result!) : reject(new Error(message.error))));
      child.once('exit', (code) => reject(new Error(`load generator exited with code ${code}`)));
      child.send(job);
    });
  } finally {
    child.kill();
  }
}
