/**
 * A port Node's fetch refuses (the Fetch standard's "bad ports", such as 4190) used to make `npm start` wait
 * for its 15-minute limit: the service listened, but every readiness request failed as if it were not up yet.
 * Now configuration refuses such a port, and `npm start` stops at once saying which variable and port.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { REPO_ROOT } from '../../platform/paths.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'npm-start-bad-port-'));
// As root, the embedded PostgreSQL runs as the postgres user, which must reach its data (were the port let through).
chmodSync(dataDir, 0o755);
let stopChild = () => {};
afterAll(() => {
  stopChild();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a port that fetch refuses', () => {
  it('is refused by configuration, naming the variable', () => {
    expect(() => loadConfig({ GATEWAY_PORT: '4190' })).toThrow(/GATEWAY_PORT=4190 is a port that Node's fetch and browsers refuse/);
    expect(() => loadConfig({ ERP_PORT: '6000' })).toThrow(/ERP_PORT=6000/);
    expect(() => loadConfig({ ACADEMY_URL: 'http://academy:10080/graphql' })).toThrow(/ACADEMY_URL=http:\/\/academy:10080\/graphql has a port/);
    expect(() => loadConfig({ GATEWAY_PORT: '70000' })).toThrow(/GATEWAY_PORT must be a port/);
    expect(loadConfig({ GATEWAY_PORT: '4191' }).ports.gateway).toBe(4191);
  });

  it('stops npm start at once with a message naming it', async () => {
    const { NODE_ENV: _test, DATABASE_URL: _database, ...env } = process.env;
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: REPO_ROOT,
      env: { ...env, GATEWAY_PORT: '4190', DATA_DIR: dataDir, GATEWAY_EXPLORER: 'false', GATEWAY_WEB_APP: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stopChild = () => child.kill('SIGINT');
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect({ code, output: output.slice(output.indexOf('Start-up failed')) }).toEqual({
      code: 1,
      output: `Start-up failed: GATEWAY_PORT=4190 is a port that Node's fetch and browsers refuse to connect to (the Fetch standard's "bad ports"): choose another\n`,
    });
  }, 300_000);
});
