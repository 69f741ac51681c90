/**
 * A real Radicale CalDAV server for tests: a temporary config, storage and
 * plain-text htpasswd file, a free loopback port, started as a child process
 * and awaited until it answers; `stop()` ends it and removes its files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RadicaleUser {
  username: string;
  password: string;
}

export interface RunningRadicale {
  /** Server root, e.g. http://127.0.0.1:41234/ */
  url: string;
  /** A user's calendar home, e.g. http://127.0.0.1:41234/tara/ */
  homeUrl: (username: string) => string;
  /** Radicale's filesystem storage: a collection at /user/name/ is the folder collection-root/user/name in it. */
  storageFolder: string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`Radicale exited with code ${exited}:\n${output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(500) });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`Radicale did not answer on ${url} within ${timeoutMs} ms:\n${output()}`);
}

export async function startRadicale(users: RadicaleUser[]): Promise<RunningRadicale> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bheem-radicale-'));
  const port = await freePort();
  await writeFile(path.join(dir, 'users'), users.map((user) => `${user.username}:${user.password}`).join('\n') + '\n');
  await writeFile(
    path.join(dir, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${path.join(dir, 'users')}`,
      'htpasswd_encryption = plain',
      'delay = 0',
      '[storage]',
      `filesystem_folder = ${path.join(dir, 'collections')}`,
      '[rights]',
      'type = owner_only',
      '[web]',
      'type = none',
      '[logging]',
      'level = warning',
    ].join('\n') + '\n',
  );
  let log = '';
  const child = spawn('radicale', ['--config', path.join(dir, 'config')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitUntilAnswering(url, child, () => log, 15_000);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    homeUrl: (username) => `${url}${encodeURIComponent(username)}/`,
    storageFolder: path.join(dir, 'collections'),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
