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
import path from 'node:path';
import { REPO_ROOT } from '../../platform/paths.js';

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

/** npm in web/, asynchronously: `npm start` starts PostgreSQL and loads the services meanwhile. */
function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd: WEB, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`npm ${args.join(' ')} (in web/) failed (${signal ?? `exit ${code}`})`))));
  });
}

/** For tests: the build must be there (test/global-setup.ts made it); never build from inside a test file. */
export function assertWebBuilt(): void {
  const reason = webBuildNeeded();
  if (reason) throw new Error(`${reason}: run npm run --prefix web build (the test run's global setup builds it)`);
}

export async function ensureWebBuild(log: (message: string) => void = console.log): Promise<void> {
  const reason = webBuildNeeded();
  if (!reason) return;
  if (!existsSync(path.join(WEB, 'node_modules', '.bin', 'vite'))) {
    log("Installing the web client's dependencies (npm ci in web/, once)...");
    await run(['ci', '--no-audit', '--no-fund']);
  }
  const since = Date.now();
  log(`Building the explorer and the web client (${reason})...`);
  await run(['run', 'build', '--silent', '--', '--logLevel', 'warn']);
  log(`built (${Date.now() - since} ms)`);
}
