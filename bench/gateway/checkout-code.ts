/**
 * The code a bench runs, as production runs it: the services compiled to
 * JavaScript (as `npm run build`'s dist/: the Dockerfile's and deploy/'s `node
 * dist/gateway/main.js` with gateway/node-flags.ts's flags, `node
 * dist/scripts/start-subgraph.js <name>` with none), NODE_ENV=production
 * (bench/gateway/production-env.ts). `tsx` is the other form: the TypeScript
 * sources transpiled in the process, as `npm run start:gateway` does in
 * development.
 *
 * Each checkout is compiled by its own `npm start` cache (its
 * scripts/lib/compiled-cache.mjs: its own compiler, once per version of its
 * sources, into its node_modules/.cache/bheem-start/<hash>/, where its
 * node_modules resolve and whence it reads its schema/): the same code as its
 * dist/, and nothing of the checkout but that cache is written. A checkout
 * with no compiled-cache.mjs (before 2026-12-05 04:51) runs through tsx, and
 * the bench says so.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../platform/paths.js';
import { assertFlagsKnown, nodeRuntime, type NodeRuntime } from './node-runtime.js';

export const CODE_FORMS = ['dist', 'tsx'] as const;
export type CodeForm = (typeof CODE_FORMS)[number];

/** How one checkout's services are started. */
export interface CheckoutCode {
  root: string;
  /** What runs: `dist` (compiled) or `tsx`. */
  form: CodeForm;
  /** One line for the report: which form, and why when it is not the one asked for. */
  description: string;
  /** The Node.js that runs its gateway and subgraphs (the side's own or BENCH_NODE, else the image's). */
  node: NodeRuntime;
  /** The checkout's own production V8 flags of the gateway (its gateway/node-flags.ts). */
  gatewayNodeFlags: readonly string[];
  /** Its subgraphs' (platform/subgraph/node-flags.ts), part of subgraphEntry's arguments. */
  subgraphNodeFlags: readonly string[];
  /** Node arguments after the flags: the gateway's entry, or `processes` of it under node:cluster. */
  gatewayEntry: (processes: number) => string[];
  /** Node arguments: the checkout's subgraph V8 flags (platform/subgraph/node-flags.ts), then one subgraph's entry. */
  subgraphEntry: (name: string) => string[];
}

type CompiledCache = typeof import('../../scripts/lib/compiled-cache.mjs');

const OUR_GATEWAY = 'bench/gateway/peers/our-gateway.ts';
const CLUSTER = path.join(REPO_ROOT, 'bench/gateway/peers/cluster.mjs');

const prepared = new Map<string, Promise<Omit<CheckoutCode, 'node'>>>();

/**
 * The code of the checkout at `root` in the form asked for (`dist` unless told), compiled now
 * if its sources changed since the last bench: at most one build per checkout and bench run.
 * `nodeVersion`: the exact Node.js release to run it under (bench/gateway/node-runtime.ts),
 * by default BENCH_NODE's, else the image's (the Dockerfile's; `machine`: the machine's).
 */
export async function checkoutCode(root: string, form: CodeForm, print: (line: string) => void, nodeVersion = process.env.BENCH_NODE): Promise<CheckoutCode> {
  const key = `${path.resolve(root)}\0${form}`;
  let built = prepared.get(key);
  if (!built) {
    built = form === 'dist' ? compiled(path.resolve(root), print) : transpiled(path.resolve(root), 'tsx, as asked');
    prepared.set(key, built);
  }
  const [code, node] = await Promise.all([built, nodeRuntime(nodeVersion, print)]);
  await Promise.all([assertFlagsKnown(node, code.gatewayNodeFlags), assertFlagsKnown(node, code.subgraphNodeFlags)]);
  const where = node.binary === process.execPath ? '' : `, ${path.relative(process.cwd(), node.binary)}`;
  return { ...code, node, description: `${code.description}, on Node.js ${node.version} (${node.chosen}${where})` };
}

/** `--form dist|tsx` (default dist). */
export function parseForm(value: string | undefined, flag = '--form'): CodeForm {
  if (value === undefined) return 'dist';
  if (!(CODE_FORMS as readonly string[]).includes(value)) throw new Error(`${flag}: "${value}" is not one of ${CODE_FORMS.join(', ')}`);
  return value as CodeForm;
}

/** A checkout's V8 flags exported as `name` from `file` (gateway/node-flags.ts; platform/subgraph/node-flags.ts, none before 2026-12-06). */
async function nodeFlagsOf(file: string, name: 'GATEWAY_NODE_FLAGS' | 'SUBGRAPH_NODE_FLAGS'): Promise<readonly string[]> {
  if (!existsSync(file)) return [];
  const module = (await import(pathToFileURL(file).href)) as Record<string, readonly string[] | undefined>;
  return module[name] ?? [];
}

async function transpiled(root: string, why: string): Promise<Omit<CheckoutCode, 'node'>> {
  const flags = await nodeFlagsOf(path.join(root, 'gateway/node-flags.ts'), 'GATEWAY_NODE_FLAGS');
  const subgraphFlags = await nodeFlagsOf(path.join(root, 'platform/subgraph/node-flags.ts'), 'SUBGRAPH_NODE_FLAGS');
  return {
    root,
    form: 'tsx',
    description: `tsx (${why}): TypeScript sources transpiled in each process`,
    gatewayNodeFlags: flags,
    subgraphNodeFlags: subgraphFlags,
    // The checkout's wrapper runs gateway/main.ts, or several under node:cluster (BENCH_PROCESSES).
    gatewayEntry: () => ['--import', 'tsx', path.join(root, existsSync(path.join(root, OUR_GATEWAY)) ? OUR_GATEWAY : 'gateway/main.ts')],
    subgraphEntry: (name) => [...subgraphFlags, '--import', 'tsx', path.join(root, 'scripts/start-subgraph.ts'), name],
  };
}

/**
 * The checkout's own compiled cache. Not with this checkout's: a checkout from
 * before it (build script of 2026-12-04, no compiled-cache.mjs) has no
 * COMPILED_FROM_CHECKOUT in platform/paths.ts, so its compiled copy would not
 * find its schema/; such a checkout is a few hours of history, tsx is enough.
 */
async function compiledCacheOf(root: string): Promise<CompiledCache | undefined> {
  const own = path.join(root, 'scripts/lib/compiled-cache.mjs');
  return existsSync(own) ? ((await import(pathToFileURL(own).href)) as CompiledCache) : undefined;
}

async function compiled(root: string, print: (line: string) => void): Promise<Omit<CheckoutCode, 'node'>> {
  const cache = await compiledCacheOf(root);
  if (!cache) return transpiled(root, `${root} has no compiled cache (scripts/lib/compiled-cache.mjs)`);
  const { outDir, built } = await cache.compiledServices(root, (line) => print(`bench: ${root}: ${line}`));
  const name = path.relative(process.cwd(), outDir);
  if (!built) print(`bench: compiled build of ${root} is up to date (${name})`);
  const flags = await nodeFlagsOf(path.join(outDir, 'gateway/node-flags.js'), 'GATEWAY_NODE_FLAGS');
  const subgraphFlags = await nodeFlagsOf(path.join(outDir, 'platform/subgraph/node-flags.js'), 'SUBGRAPH_NODE_FLAGS');
  return {
    root,
    form: 'dist',
    description: `compiled (${name}, the code of \`npm run build\`'s dist/), run by node as the image runs it`,
    gatewayNodeFlags: flags,
    subgraphNodeFlags: subgraphFlags,
    // Alone, main.js as the image runs it; several under node:cluster (BENCH_PROCESSES) through a wrapper in plain JavaScript.
    gatewayEntry: (processes) => [...(processes > 1 ? [CLUSTER] : []), path.join(outDir, 'gateway/main.js')],
    subgraphEntry: (subgraph) => [...subgraphFlags, path.join(outDir, 'scripts/start-subgraph.js'), subgraph],
  };
}
