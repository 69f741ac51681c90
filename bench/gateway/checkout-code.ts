/**
 * The code a bench runs, as production runs it: the services compiled to
 * JavaScript (`npm run build`'s dist/: the Dockerfile's and deploy/'s `node
 * dist/gateway/main.js` with gateway/node-flags.ts's flags, `node
 * dist/scripts/start-subgraph.js <name>` with none), NODE_ENV=production
 * (bench/gateway/production-env.ts). `tsx` is the other form: the TypeScript
 * sources transpiled in the process, as `npm run start:gateway` does in
 * development.
 *
 * Each checkout is compiled by its own compiler (its scripts/lib/compile-services.mjs,
 * what its `npm run build` runs), once per version of its sources, into
 * .data/bench-cache/compiled/<hash>/ of *this* checkout: the other checkout
 * (/work/wt/base, say) is read, never written. Beside the output: its schema/
 * (as `npm run build` copies it), a package.json marking ES modules (as the
 * image's /app/package.json does) and a node_modules link to the checkout's
 * own dependencies. A checkout with no build script (before 2026-12-04) runs
 * through tsx, and the bench says so.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../platform/paths.js';

export const CODE_FORMS = ['dist', 'tsx'] as const;
export type CodeForm = (typeof CODE_FORMS)[number];

/** How one checkout's services are started. */
export interface CheckoutCode {
  root: string;
  /** What runs: `dist` (compiled) or `tsx`. */
  form: CodeForm;
  /** One line for the report: which form, and why when it is not the one asked for. */
  description: string;
  /** The checkout's own production V8 flags of the gateway (its gateway/node-flags.ts). */
  gatewayNodeFlags: readonly string[];
  /** Node arguments after the flags: the gateway's entry, or `processes` of it under node:cluster. */
  gatewayEntry: (processes: number) => string[];
  /** Node arguments after the flags: one subgraph's entry. */
  subgraphEntry: (name: string) => string[];
}

/** Builds kept besides the ones of this run (other checkouts, other versions). */
const KEPT_BUILDS = 4;
const CACHE_DIR = path.join(REPO_ROOT, '.data', 'bench-cache', 'compiled');

type Compiler = {
  shippedSources: (repoRoot: string) => string[];
  compileServices: (options: { repoRoot: string; outDir: string; entryPoints: string[] }) => Promise<void>;
};

const OUR_GATEWAY = 'bench/gateway/peers/our-gateway.ts';
const CLUSTER = path.join(REPO_ROOT, 'bench/gateway/peers/cluster.mjs');

const prepared = new Map<string, Promise<CheckoutCode>>();

/**
 * The code of the checkout at `root` in the form asked for (`dist` unless told), compiled now
 * if its sources changed since the last bench: at most one build per checkout and bench run.
 */
export function checkoutCode(root: string, form: CodeForm, print: (line: string) => void): Promise<CheckoutCode> {
  const key = `${path.resolve(root)}\0${form}`;
  let code = prepared.get(key);
  if (!code) {
    code = form === 'dist' ? compiled(path.resolve(root), print) : Promise.resolve(transpiled(path.resolve(root), 'tsx, as asked'));
    prepared.set(key, code);
  }
  return code;
}

/** `--form dist|tsx` (default dist). */
export function parseForm(value: string | undefined, flag = '--form'): CodeForm {
  if (value === undefined) return 'dist';
  if (!(CODE_FORMS as readonly string[]).includes(value)) throw new Error(`${flag}: "${value}" is not one of ${CODE_FORMS.join(', ')}`);
  return value as CodeForm;
}

async function nodeFlagsOf(file: string): Promise<readonly string[]> {
  if (!existsSync(file)) return [];
  const module = (await import(pathToFileURL(file).href)) as { GATEWAY_NODE_FLAGS?: readonly string[] };
  return module.GATEWAY_NODE_FLAGS ?? [];
}

async function transpiled(root: string, why: string): Promise<CheckoutCode> {
  const flags = await nodeFlagsOf(path.join(root, 'gateway/node-flags.ts'));
  return {
    root,
    form: 'tsx',
    description: `tsx (${why}): TypeScript sources transpiled in each process`,
    gatewayNodeFlags: flags,
    // The checkout's wrapper runs gateway/main.ts, or several under node:cluster (BENCH_PROCESSES).
    gatewayEntry: () => ['--import', 'tsx', path.join(root, existsSync(path.join(root, OUR_GATEWAY)) ? OUR_GATEWAY : 'gateway/main.ts')],
    subgraphEntry: (name) => ['--import', 'tsx', path.join(root, 'scripts/start-subgraph.ts'), name],
  };
}

/** The checkout's own compiler; a checkout with scripts/build.ts but no compile-services.mjs (2026-12-04) compiled as its build did, with this one's. */
async function compilerOf(root: string): Promise<Compiler | undefined> {
  const own = path.join(root, 'scripts/lib/compile-services.mjs');
  if (existsSync(own)) return (await import(pathToFileURL(own).href)) as Compiler;
  if (existsSync(path.join(root, 'scripts/build.ts'))) return (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts/lib/compile-services.mjs')).href)) as Compiler;
  return undefined;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** What a build depends on: the checkout's path, its compiler, its shipped sources and its schema/. */
function buildHash(root: string, sources: string[]): string {
  const hash = createHash('sha256');
  hash.update(`${root}\0`);
  const compiler = path.join(root, 'scripts/lib/compile-services.mjs');
  for (const file of [...(existsSync(compiler) ? [compiler] : []), ...sources, ...filesUnder(path.join(root, 'schema')).sort()]) {
    hash.update(`${path.relative(root, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

function pruneOldBuilds(keep: string) {
  const others = readdirSync(CACHE_DIR)
    .filter((name) => name !== keep && !name.includes('.tmp-'))
    .map((name) => ({ name, at: statSync(path.join(CACHE_DIR, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { name } of others.slice(KEPT_BUILDS)) rmSync(path.join(CACHE_DIR, name), { recursive: true, force: true });
}

async function compiled(root: string, print: (line: string) => void): Promise<CheckoutCode> {
  const compiler = await compilerOf(root);
  if (!compiler) return transpiled(root, `${root} has no build script (scripts/build.ts)`);
  const sources = compiler.shippedSources(root);
  const hash = buildHash(root, sources);
  const outDir = path.join(CACHE_DIR, hash);
  const name = path.relative(process.cwd(), outDir);
  if (existsSync(path.join(outDir, 'package.json'))) {
    print(`bench: compiled build of ${root} is up to date (${name})`);
  } else {
    const started = Date.now();
    print(`bench: compiling ${sources.length} files of ${root} with its own compiler, as \`npm run build\` does, into ${name}...`);
    mkdirSync(CACHE_DIR, { recursive: true });
    const staging = `${outDir}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    await compiler.compileServices({ repoRoot: root, outDir: staging, entryPoints: sources });
    cpSync(path.join(root, 'schema'), path.join(staging, 'schema'), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
    // Written last: it marks a whole build (as the image's /app/package.json, it makes the files ES modules).
    writeFileSync(path.join(staging, 'package.json'), '{ "type": "module" }\n');
    try {
      renameSync(staging, outDir);
    } catch (error) {
      // Another bench renamed its build of the same sources first: use that one.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(path.join(outDir, 'package.json'))) throw error;
    }
    print(`bench: compiled in ${Date.now() - started} ms`);
  }
  pruneOldBuilds(hash);
  const flags = await nodeFlagsOf(path.join(outDir, 'gateway/node-flags.js'));
  return {
    root,
    form: 'dist',
    description: `compiled (${name}, as dist/ of \`npm run build\`), run by node as the image runs it`,
    gatewayNodeFlags: flags,
    // Alone, main.js as the image runs it; several under node:cluster (BENCH_PROCESSES) through a wrapper in plain JavaScript.
    gatewayEntry: (processes) => [...(processes > 1 ? [CLUSTER] : []), path.join(outDir, 'gateway/main.js')],
    subgraphEntry: (subgraph) => [path.join(outDir, 'scripts/start-subgraph.js'), subgraph],
  };
}
