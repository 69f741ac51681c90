/**
 * `npm start` as a new user runs it, on a new DATA_DIR: the query it prints
 * answers with the demo data, and Ctrl-C (SIGINT) stops every process of the
 * stack and exits 0. The subgraphs run in the start process, each on an Apollo
 * Server that, outside NODE_ENV=test, adds signal handlers of its own: they
 * stopped their server and sent the signal again, which the start took for a
 * second Ctrl-C and exited 1 mid-stop. Waits follow the start's output.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES } from '../../platform/config.js';
import { freePort } from '../../platform/database/embedded-postgres.js';
import { REPO_ROOT } from '../../platform/paths.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'npm-start-'));
// As root, the embedded PostgreSQL runs as the postgres user, which must reach its data.
chmodSync(dataDir, 0o755);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Processes whose command line names `text`. */
function processesNaming(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('npm start on a new DATA_DIR', () => {
  it('prints a query that answers with data, and Ctrl-C stops everything with exit code 0', async () => {
    const ports: Record<string, string> = { GATEWAY_PORT: String(await freePort()) };
    for (const name of SUBGRAPH_NAMES) ports[`${name.toUpperCase()}_PORT`] = String(await freePort());
    const { NODE_ENV: _test, DATABASE_URL: _database, ...env } = process.env;
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      // The explorer and the web client stay out: their build is not what this checks.
      env: { ...env, ...ports, DATA_DIR: dataDir, GATEWAY_EXPLORER: 'false', GATEWAY_WEB_APP: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const started = new Promise<void>((resolve) => {
      const hear = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops everything')) resolve();
      };
      child.stdout.on('data', hear);
      child.stderr.on('data', hear);
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await Promise.race([started, exited]);
    expect(output).toContain('Ctrl-C stops everything');

    const token = /demo administrator[^\n]*\n(\S+)\n/.exec(output)?.[1];
    const query = /-d '(\{"query".*\})'/.exec(output)?.[1];
    const answer = await fetch(`http://localhost:${ports.GATEWAY_PORT}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: query,
    }).then((response) => response.json() as Promise<{ data?: { courses: { fullname: string; liveClasses: unknown[] }[] }; errors?: unknown }>);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.courses.length).toBeGreaterThan(0);
    expect(answer.data!.courses.some((course) => course.liveClasses.length > 0)).toBe(true);

    child.kill('SIGINT');
    const [code, signal] = await exited;
    expect({ code, signal, output: output.slice(output.indexOf('Stopping')) }).toEqual({ code: 0, signal: null, output: 'Stopping Bheem Federation...\n' });
    // The gateway and PostgreSQL (whose command lines name DATA_DIR or the compiled gateway of this start) are gone.
    expect(processesNaming(dataDir)).toEqual([]);
  }, 900_000);
});
