/**
 * `npm start` while another process holds the gateway's port (often a start still running): the start used to
 * take that process's readiness answer for its own gateway's (which had died on EADDRINUSE) and print its banner
 * for a stack without a gateway. Now it stops at once, naming the variable and the port.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUBGRAPH_NAMES } from '../../platform/config.js';
import { freePort } from '../../platform/database/embedded-postgres.js';
import { REPO_ROOT } from '../../platform/paths.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'npm-start-port-taken-'));
// As root, the embedded PostgreSQL runs as the postgres user, which must reach its data.
chmodSync(dataDir, 0o755);
// Answers everything with 200, /health/ready included, as a running gateway would.
const squatter = http.createServer((_request, response) => response.end('{"status":"ready"}'));
let stopChild = () => {};
afterAll(async () => {
  stopChild();
  await new Promise((resolve) => squatter.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start with the gateway port taken', () => {
  it('stops at once naming GATEWAY_PORT', async () => {
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    const ports: Record<string, string> = { GATEWAY_PORT: String(taken) };
    for (const name of SUBGRAPH_NAMES) ports[`${name.toUpperCase()}_PORT`] = String(await freePort());
    const { NODE_ENV: _test, DATABASE_URL: _database, ...env } = process.env;
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      env: { ...env, ...ports, DATA_DIR: dataDir, GATEWAY_EXPLORER: 'false', GATEWAY_WEB_APP: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stopChild = () => child.kill('SIGINT');
    let output = '';
    // Ends with the process, or with the banner of a start that took the squatter for its gateway.
    const bannered = new Promise<void>((resolve) => {
      const hear = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops everything')) resolve();
      };
      child.stdout.on('data', hear);
      child.stderr.on('data', hear);
    });
    const exited = once(child, 'exit').then(([code]) => code as number | null);
    const code = await Promise.race([exited, bannered.then(() => 'printed its banner')]);
    expect({ code, output: output.slice(output.indexOf('Start-up failed')) }).toEqual({
      code: 1,
      output: `Start-up failed: GATEWAY_PORT=${taken} is in use by another process (another npm start still running?): stop that process or choose another port\n`,
    });
  }, 300_000);
});
