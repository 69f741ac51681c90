/**
 * `npm start` (scripts/start.mjs) as the start tests run it: on a new DATA_DIR, every service on a free port
 * (unless `env` names one), without the explorer and the web client (their build is not what these check),
 * LOG_LEVEL=warn, and none of the tests' environment (NODE_ENV=test, DATABASE_URL, the suite's defaults that
 * turn event consumers and periodic jobs off): as a user runs it. Its output is collected, stdout and
 * stderr as printed; when the test ends, a start still running is stopped and DATA_DIR removed.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { onTestFinished } from 'vitest';
import { SUBGRAPH_NAMES } from '../../platform/config.js';
import { freePort } from '../../platform/database/embedded-postgres.js';
import { REPO_ROOT } from '../../platform/paths.js';
import { SUITE_OPTIONS } from '../../vitest.config.js';

/** The banner's last line: the start is up. */
export const BANNER_END = 'Ctrl-C stops everything';

export interface StartRun {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** GATEWAY_PORT and each subgraph's <NAME>_PORT, as given to the start. */
  ports: Record<string, string>;
  dataDir: string;
  /** Everything the start has printed so far. */
  output(): string;
  /** Its exit code and signal. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Whichever comes first: 'banner' once the banner is printed, or the exit code of a start that ended before. */
  bannerOrExit: Promise<'banner' | number | null>;
}

/**
 * Starts `npm start`. `detached`: in a process group of its own (as a terminal runs it), so that the test can
 * send a signal to the whole group, as Ctrl-C does. `dataDir`: a DATA_DIR an earlier start of this test made
 * (a second start, as a user's next day), left to the start that made it to remove.
 */
export async function spawnStart(env: Record<string, string> = {}, { detached = false, dataDir: reused = '' } = {}): Promise<StartRun> {
  const dataDir = reused || mkdtempSync(path.join(tmpdir(), 'npm-start-'));
  // As root, the embedded PostgreSQL runs as the postgres user, which must reach its data.
  chmodSync(dataDir, 0o755);
  const ports: Record<string, string> = {};
  for (const variable of ['GATEWAY_PORT', ...SUBGRAPH_NAMES.map((name) => `${name.toUpperCase()}_PORT`)]) {
    ports[variable] = env[variable] ?? String(await freePort());
  }
  const { NODE_ENV: _test, DATABASE_URL: _database, ...inherited } = process.env;
  for (const name of Object.keys(SUITE_OPTIONS.env)) delete inherited[name];
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: REPO_ROOT,
    env: { ...inherited, DATA_DIR: dataDir, GATEWAY_EXPLORER: 'false', GATEWAY_WEB_APP: 'false', LOG_LEVEL: 'warn', ...env, ...ports },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let output = '';
  const bannered = new Promise<'banner'>((resolve) => {
    const hear = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(BANNER_END)) resolve('banner');
    };
    child.stdout.on('data', hear);
    child.stderr.on('data', hear);
  });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await exited;
    }
    if (!reused) rmSync(dataDir, { recursive: true, force: true });
  });
  return { child, ports, dataDir, output: () => output, exited, bannerOrExit: Promise.race([bannered, exited.then(([code]) => code)]) };
}
