/**
 * `npm start` launches the gateway before its embedded PostgreSQL is up, telling
 * it the server's URL (EMBEDDED_DATABASE_URL): a process so launched must use
 * that URL, not look for a server under DATA_DIR and start one of its own
 * (two clusters on one data directory). The port is chosen first, and the
 * server then started on it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDatabase } from '../../platform/bootstrap/resolve-database.js';
import { loadConfig } from '../../platform/config.js';
import { embeddedDatabaseUrl, embeddedPostgresPort } from '../../platform/database/embedded-postgres.js';
import { createLogger } from '../../platform/logger.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedded-url-'));
  dirs.push(dir);
  return dir;
}

describe('the embedded database of a process npm start launched', () => {
  it('is the URL it was given, with nothing started under DATA_DIR', async () => {
    const dir = dataDir();
    const port = await embeddedPostgresPort(dir);
    const url = embeddedDatabaseUrl(port);
    const config = loadConfig({ DATA_DIR: dir, EMBEDDED_DATABASE_URL: url });
    expect(config.embedded).toBe(true);

    const database = await resolveDatabase(config, createLogger('test', 'silent'));

    expect(database).toEqual({ url });
    expect(existsSync(path.join(dir, 'postgres'))).toBe(false);
  });

  it('is ignored beside DATABASE_URL, which names the server outright', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://elsewhere/db', EMBEDDED_DATABASE_URL: 'postgres://127.0.0.1:1/bheem' });
    expect(config.embeddedDatabaseUrl).toBeUndefined();
  });

  it('has its port chosen before the server starts: EMBEDDED_PG_PORT when set', async () => {
    const before = process.env.EMBEDDED_PG_PORT;
    process.env.EMBEDDED_PG_PORT = '54329';
    try {
      expect(await embeddedPostgresPort(dataDir())).toBe(54329);
    } finally {
      if (before === undefined) delete process.env.EMBEDDED_PG_PORT;
      else process.env.EMBEDDED_PG_PORT = before;
    }
  });
});
