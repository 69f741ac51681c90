/**
 * What an earlier start can leave in DATA_DIR, and the embedded PostgreSQL starting anyway: a half cluster
 * from a start killed during initdb (initdb refused the folder: "not empty"); a postmaster.pid whose pid is now
 * another process's (PostgreSQL refused: "lock file already exists"); a server still running from a start killed
 * before it wrote postgres.json (a second postmaster was refused); and a postgres.json naming a port where
 * another checkout's server now answers (its database was taken for this one's).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startEmbeddedPostgres } from '../../platform/database/embedded-postgres.js';

const dirs: string[] = [];
const servers: EmbeddedServer[] = [];
const stops: (() => void)[] = [];
afterAll(async () => {
  for (const stop of stops) stop();
  for (const server of servers.reverse()) await server.stop().catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedded-leftovers-'));
  // As root, the embedded PostgreSQL runs as the postgres user, which must reach its data.
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}

async function start(dir: string): Promise<EmbeddedServer> {
  const server = await startEmbeddedPostgres(dir);
  servers.push(server);
  return server;
}

/** As root, the embedded PostgreSQL runs as the `postgres` system user (the package creates it): its uid or gid. */
const postgresUser = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());

async function dataDirectoryOf(server: EmbeddedServer): Promise<string> {
  const client = new pg.Client({ connectionString: server.url('postgres') });
  await client.connect();
  try {
    return (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
  } finally {
    await client.end();
  }
}

/** A server left running, shared by the tests that need one (started once). */
let shared: Promise<{ dir: string; server: EmbeddedServer }> | undefined;
const runningServer = () => {
  shared ??= (async () => {
    const dir = dataDir();
    return { dir, server: await start(dir) };
  })();
  return shared;
};

describe('the embedded PostgreSQL after an earlier start left things behind', () => {
  it('initialises over a half cluster of a start killed during initdb', async () => {
    const dir = dataDir();
    mkdirSync(path.join(dir, 'postgres', 'base'), { recursive: true });
    writeFileSync(path.join(dir, 'postgres', 'postgresql.conf'), '# half written\n');
    const server = await start(dir);
    expect(await dataDirectoryOf(server)).toBe(path.join(dir, 'postgres'));
  }, 300_000);

  it('starts over a postmaster.pid whose pid is now another process', async () => {
    const dir = dataDir();
    await (await startEmbeddedPostgres(dir)).stop();
    // A live process of PostgreSQL's user holds the pid now (one of another user's PostgreSQL takes for gone).
    const holder = spawn('sleep', ['300'], process.getuid?.() === 0 ? { uid: postgresUser('-u'), gid: postgresUser('-g') } : {});
    stops.push(() => holder.kill());
    writeFileSync(path.join(dir, 'postgres', 'postmaster.pid'), `${holder.pid}\n${path.join(dir, 'postgres')}\n1700000000\n5432\n`);
    const server = await start(dir);
    expect(await dataDirectoryOf(server)).toBe(path.join(dir, 'postgres'));
  }, 300_000);

  it('uses the server still running from a start killed before it wrote postgres.json', async () => {
    const { dir, server } = await runningServer();
    const stateFile = path.join(dir, 'postgres.json');
    const state = readFileSync(stateFile);
    rmSync(stateFile);
    try {
      expect((await startEmbeddedPostgres(dir)).port).toBe(server.port);
    } finally {
      writeFileSync(stateFile, state);
    }
  }, 300_000);

  it('starts its own server when postgres.json names a port where another checkout server answers', async () => {
    const { server: another } = await runningServer();
    const dir = dataDir();
    writeFileSync(path.join(dir, 'postgres.json'), JSON.stringify({ port: another.port }));
    const own = await start(dir);
    expect(own.port).not.toBe(another.port);
    expect(await dataDirectoryOf(own)).toBe(path.join(dir, 'postgres'));
  }, 300_000);
});
