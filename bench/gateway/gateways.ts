/**
 * The gateways under test and how each is started: the same supergraph, the
 * same subgraph processes, the same number of processes, request logging
 * off (LOG_LEVEL=warn). Ours signs the caller's identity for the subgraphs
 * (its real cost); the peers forward the caller's bearer token instead.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../../gateway/node-flags.js';
import type { SubgraphName } from '../../platform/config.js';
import { REPO_ROOT } from '../../platform/paths.js';
import { checkoutCode, type CheckoutCode, type CodeForm } from './checkout-code.js';
import { ensureGrafbase, GRAFBASE_VERSION, grafbaseBinary, writeGrafbaseConfig } from './peers/grafbase.js';
import { spawnProgram, type Scratch, type Service } from './services.js';
import { nodeRuntime } from './node-runtime.js';

export const GATEWAY_IDS = ['ours', 'apollo', 'hive', 'hive-jit', 'hive-router', 'grafbase', 'ours-baseline'] as const;
export type GatewayId = (typeof GATEWAY_IDS)[number];
/** What a bare `npm run bench` compares: every peer, not the baseline (it needs a second checkout). */
export const DEFAULT_GATEWAY_IDS = GATEWAY_IDS.filter((id) => id !== 'ours-baseline');

/**
 * BENCH_BASELINE_ROOT=<a checkout of another commit, with its node_modules>:
 * `ours-baseline` runs that checkout's gateway beside today's, same flags and
 * environment, so that a change is measured A/B in one run on one machine.
 */
const baselineRoot = () => {
  const root = process.env.BENCH_BASELINE_ROOT;
  if (!root) throw new Error('ours-baseline needs BENCH_BASELINE_ROOT, a checkout of the commit to compare with (git worktree add <dir> <commit>, then npm ci there)');
  return path.resolve(root);
};
const baselineCommit = () => {
  try {
    return execFileSync('git', ['-C', baselineRoot(), 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown commit';
  }
};

export interface GatewaySpec {
  id: GatewayId;
  label: string;
  /** How it is configured, for the report. */
  notes: string;
  /** Work before the first start (installing a peer's binary, compiling ours), with progress printed. */
  prepare?: (print: (line: string) => void, form: CodeForm) => Promise<void>;
  start: (options: GatewayStartOptions) => Service | Promise<Service>;
}

const require = createRequire(import.meta.url);
const hiveBin = () => require.resolve('@graphql-hive/gateway/package.json').replace(/package\.json$/, 'dist/bin.js');

/** BENCH_CPU_PROFILE_DIR=<dir>: our gateway writes a V8 CPU profile there when it stops (for `node --cpu-prof`). */
const profileFlags = () => (process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE_DIR] : []);

const flagList = (value: string) => value.split(/\s+/).filter(Boolean);

/** Our gateway is launched as in production (its checkout's gateway/node-flags.ts); BENCH_OUR_NODE_FLAGS="" (or other flags) replaces those. */
const ourNodeFlags = (production: readonly string[] = GATEWAY_NODE_FLAGS) =>
  process.env.BENCH_OUR_NODE_FLAGS === undefined ? [...production] : flagList(process.env.BENCH_OUR_NODE_FLAGS);

/** BENCH_PEER_NODE_FLAGS="--max-semi-space-size=64": the same V8 flags for every peer, to compare like with like (default: none). */
const peerNodeFlags = () => flagList(process.env.BENCH_PEER_NODE_FLAGS ?? '');

/** The V8 flags each side runs with, for the report. */
export const nodeFlags = () => ({ ours: ourNodeFlags(), peers: peerNodeFlags() });

const QUIET = { LOG_LEVEL: 'warn' };

/** Node peers run on the Node ours runs on (the image's unless --node says otherwise): like with like. */
const PEER_NODE = 'on the same Node.js release as ours';

/** Spawns a Node peer on that release (installed by ours' preparation, or here on first use). */
async function spawnPeer(scratch: Scratch, name: string, args: string[], env: Record<string, string>): Promise<Service> {
  const node = await nodeRuntime(process.env.BENCH_NODE, () => {});
  return spawnProgram(scratch, name, node.binary, args, env);
}

function hive(id: GatewayId, label: string, flags: string[], env: Record<string, string>, notes: string): GatewaySpec {
  return {
    id,
    label,
    notes: `${notes}; ${PEER_NODE}`,
    start: ({ scratch, port, processes, supergraphPath, env: production }) =>
      spawnPeer(
        scratch,
        `gateway-${id}`,
        [
          ...peerNodeFlags(),
          hiveBin(),
          'supergraph',
          supergraphPath,
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--fork',
          String(processes),
          '-c',
          'bench/gateway/peers/hive.config.ts',
          ...flags,
        ],
        { ...production, ...QUIET, ...env },
      ),
  };
}

/** What every start of a gateway is given. */
export interface GatewayStartOptions {
  scratch: Scratch;
  port: number;
  processes: number;
  subgraphUrls: Record<SubgraphName, string>;
  supergraphPath: string;
  databaseUrl: string;
  /** Production's environment (NODE_ENV, the Passport double's JWKS, secrets: bench/gateway/production-env.ts), for every gateway alike. */
  env: Record<string, string>;
  /** Our gateway's form: compiled as production runs it (`dist`), or `tsx` (bench/gateway/checkout-code.ts). */
  form: CodeForm;
}

/** Our gateway of `code`'s checkout, as production launches it (its own node flags, unless BENCH_OUR_NODE_FLAGS). */
export function startOurGateway(
  code: CheckoutCode,
  name: string,
  { scratch, port, processes, subgraphUrls, databaseUrl, env, cpuProfileDir }: Omit<GatewayStartOptions, 'form'> & { cpuProfileDir?: string },
  extraEnv: Record<string, string> = {},
): Service {
  const profile = cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : profileFlags();
  return spawnProgram(
    scratch,
    name,
    code.node.binary,
    [...ourNodeFlags(code.gatewayNodeFlags), ...profile, ...code.gatewayEntry(processes)],
    {
      ...env,
      ...extraEnv,
      ...QUIET,
      BENCH_PROCESSES: String(processes),
      HOST: '127.0.0.1',
      GATEWAY_PORT: String(port),
      DATABASE_URL: databaseUrl,
      GATEWAY_RATE_LIMIT_STORE: 'off',
      GATEWAY_INTROSPECTION: 'false',
      GATEWAY_FIELD_SUGGESTIONS: 'false',
      ...Object.fromEntries(Object.entries(subgraphUrls).map(([subgraph, url]) => [`${subgraph.toUpperCase()}_URL`, url])),
    },
    code.root,
  );
}

/** Checkouts before 2026-12-05 demanded a dev-token secret in production even when verifying by JWKS. */
export const OTHER_CHECKOUT_ENV = () => ({ AUTH_DEV_SECRET: randomBytes(32).toString('base64url') });

/** The spec of our gateway from the checkout at `root` (this one, or the baseline's). */
const ours = (name: string, root: () => string, extraEnv: () => Record<string, string> = () => ({})): Pick<GatewaySpec, 'prepare' | 'start'> => ({
  prepare: async (print, form) => {
    const code = await checkoutCode(root(), form, print);
    print(`  ${path.basename(code.root)} runs ${code.description}`);
  },
  start: async (options) => startOurGateway(await checkoutCode(root(), options.form, () => {}), name, options, extraEnv()),
});

const OURS_NOTES =
  'gateway/main.ts compiled as `npm run build` does (unless --form tsx), with the production V8 flags (gateway/node-flags.ts); rate limiter off (GATEWAY_RATE_LIMIT_STORE=off), introspection and suggestions off; signs an identity per subgraph fetch';

export const GATEWAYS: Record<GatewayId, GatewaySpec> = {
  ours: { id: 'ours', label: 'ours (Bheem gateway)', notes: OURS_NOTES, ...ours('gateway-ours', () => REPO_ROOT) },
  'ours-baseline': {
    id: 'ours-baseline',
    get label() {
      return `ours at ${baselineCommit()}`;
    },
    get notes() {
      return `${OURS_NOTES}; the checkout at BENCH_BASELINE_ROOT (${process.env.BENCH_BASELINE_ROOT ?? 'unset'}), its own supergraph file`;
    },
    ...ours('gateway-ours-baseline', baselineRoot, OTHER_CHECKOUT_ENV),
  },
  apollo: {
    id: 'apollo',
    label: '@apollo/gateway (Apollo Server)',
    notes: `default settings (startStandaloneServer); forwards Authorization; node:cluster for more than one process; ${PEER_NODE}`,
    start: ({ scratch, port, processes, supergraphPath, env }) =>
      spawnPeer(scratch, 'gateway-apollo', [...peerNodeFlags(), '--import', 'tsx', 'bench/gateway/peers/apollo-gateway.ts'], {
        ...env,
        ...QUIET,
        PORT: String(port),
        BENCH_PROCESSES: String(processes),
        BENCH_SUPERGRAPH: supergraphPath,
      }),
  },
  hive: hive('hive', 'Hive Gateway', [], {}, 'hive-gateway CLI defaults; propagateHeaders forwards Authorization; --fork for processes'),
  'hive-jit': hive('hive-jit', 'Hive Gateway --jit', ['--jit'], {}, 'as Hive Gateway, with --jit'),
  'hive-router': hive(
    'hive-router',
    'Hive Gateway + router-runtime',
    [],
    { BENCH_HIVE_ROUTER: 'true' },
    'as Hive Gateway, with unifiedGraphHandler of @graphql-hive/router-runtime (Rust query planner)',
  ),
  grafbase: {
    id: 'grafbase',
    label: 'Grafbase (Rust)',
    notes: `grafbase dev ${GRAFBASE_VERSION} (its CLI's embedded gateway, multi-threaded; --processes does not apply) with a generated grafbase.toml: subgraph URLs and SDL files, Authorization forwarded; dev mode also serves its UI and watches files`,
    prepare: ensureGrafbase,
    start: ({ scratch, port, subgraphUrls }) =>
      spawnProgram(scratch, 'gateway-grafbase', grafbaseBinary(), ['dev', '-c', writeGrafbaseConfig(scratch.dir, subgraphUrls), '--listen-address', `127.0.0.1:${port}`], {
        RUST_LOG: 'warn',
      }),
  },
};
