/**
 * web/dist (the explorer and the web client) built and current: `npm start`
 * and the browser tests call this. It installs web/'s own dependencies
 * (web/package-lock.json) the first time and rebuilds when a source is
 * newer than the build, so a fresh clone needs only `npm ci && npm start`.
 * Kept out of the root's postinstall so that `npm ci` of the root (the
 * container image, the other tests) never pays for a browser build.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { setPriority } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../platform/paths.js';
import { reapedCpuSeconds } from '../../platform/process-stats.js';
import { clearWebBuildStatus, writeWebBuildStatus } from '../../platform/web-build-status.js';

const WEB = path.join(REPO_ROOT, 'web');
const SOURCES = ['src', 'index.html', 'explorer.html', 'vite.config.ts', 'package-lock.json'];

function newestMtime(entry: string): number {
  const info = statSync(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/** Why web/dist must be (re)built, or null when it is current. */
export function webBuildNeeded(): string | null {
  const built = path.join(WEB, 'dist', 'index.html');
  if (!existsSync(built) || !existsSync(path.join(WEB, 'dist', 'explorer.html'))) return 'web/dist is missing';
  const builtAt = statSync(built).mtimeMs;
  const newest = Math.max(
    ...SOURCES.map((name) => path.join(WEB, name))
      .filter(existsSync)
      .map(newestMtime),
  );
  return newest > builtAt ? 'web/ changed since web/dist was built' : null;
}

/** A build of web/dist that ran: how long it took, and its CPU (every process of it; undefined where /proc is not). */
export interface WebBuildRun {
  ms: number;
  cpuSeconds?: number;
}

/**
 * npm in web/, asynchronously (`npm start` starts PostgreSQL and loads the services meanwhile), through a shell
 * that reports what its children cost: once npm has been waited for, the shell's own /proc stat counts all of
 * npm's processes. `background`: at the lowest CPU priority, so that it takes the cores the rest leaves idle.
 */
function run(args: string[], options: { background: boolean; onChild: (pid: number | undefined) => void }): Promise<number | undefined> {
  const script = 'npm "$@"; status=$?; cat /proc/$$/stat >&3 2>/dev/null; exit $status';
  return new Promise((resolve, reject) => {
    // In the background, a process group of its own: the start stops it with the stack (stopWebBuild).
    const child = spawn('sh', ['-c', script, 'sh', ...args], { cwd: WEB, stdio: ['ignore', 'inherit', 'inherit', 'pipe'], detached: options.background });
    if (options.background && child.pid) {
      try {
        setPriority(child.pid, 19); // before npm starts: its children inherit it
      } catch {
        // not allowed here: it only competes with the API's start for the cores
      }
    }
    options.onChild(child.pid);
    let stat = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => (stat += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      options.onChild(undefined);
      if (code !== 0) return reject(new Error(`npm ${args.join(' ')} (in web/) failed (${signal ?? `exit ${code}`})`));
      resolve(reapedCpuSeconds(stat));
    });
  });
}

/** For tests: the build must be there (test/global-setup.ts made it); never build from inside a test file. */
export function assertWebBuilt(): void {
  const reason = webBuildNeeded();
  if (reason) throw new Error(`${reason}: run npm run --prefix web build (the test run's global setup builds it)`);
}

/** Stops a background build (its whole process group) that `onChild` named. */
export function stopWebBuild(pid: number): void {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // ended meanwhile
  }
}

export interface WebBuildOptions {
  log?: (message: string) => void;
  /** `npm start`: at low CPU priority, and said in the status file the gateway reads (platform/web-build-status.ts). */
  background?: boolean;
  /** Hears the pid of the npm process running, and undefined when it ended. */
  onChild?: (pid: number | undefined) => void;
}

/** Builds web/dist when it must be (installing web/'s dependencies first on a new clone); null when it was current. */
export async function ensureWebBuild({ log = console.log, background = false, onChild = () => {} }: WebBuildOptions = {}): Promise<WebBuildRun | null> {
  const reason = webBuildNeeded();
  if (!reason) return null;
  const since = Date.now();
  let cpuSeconds: number | undefined = 0;
  const step = (message: string, stepName: string) => {
    log(message);
    if (background) writeWebBuildStatus({ state: 'building', step: stepName, since, pid: process.pid });
  };
  const npm = async (args: string[]) => {
    const spent = await run(args, { background, onChild });
    cpuSeconds = spent === undefined || cpuSeconds === undefined ? undefined : cpuSeconds + spent;
  };
  try {
    if (!existsSync(path.join(WEB, 'node_modules', '.bin', 'vite'))) {
      step("Installing the web client's dependencies (npm ci in web/, once)...", 'installing its dependencies (npm ci in web/, once)');
      // Errors only: web/'s tools warn about engines newer than Node 20, which they run on.
      await npm(['ci', '--no-audit', '--no-fund', '--loglevel=error']);
    }
    step(`Building the explorer and the web client (${reason})...`, 'building with Vite');
    await npm(['run', 'build', '--silent', '--', '--logLevel', 'warn']);
  } catch (error) {
    if (background) writeWebBuildStatus({ state: 'failed', error: error instanceof Error ? error.message : String(error), pid: process.pid });
    throw error;
  }
  if (background) clearWebBuildStatus();
  return { ms: Date.now() - since, cpuSeconds };
}
