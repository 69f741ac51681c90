/**
 * Real storage servers for tests, as child processes on ephemeral loopback
 * ports: `rclone serve webdav` and `s3rver`. Each waits for the server's own
 * "listening" line (no sleeps) and stops with its process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface StorageServer {
  url: string;
  directory: string;
  /** Stops the server; its files stay until `remove`. */
  stop: () => Promise<void>;
  remove: () => Promise<void>;
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        // Keep draining so a chatty server never blocks on a full pipe.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${what} exited with ${code}:\n${output}`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

function scratch(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A WebDAV server over a scratch directory (`rclone serve webdav`, Debian package rclone), with basic auth when given. */
export async function startWebDavServer(directory = scratch('bheem-webdav-'), auth?: { user: string; pass: string }): Promise<StorageServer> {
  const credentials = auth ? ['--user', auth.user, '--pass', auth.pass] : [];
  const child = spawn('rclone', ['serve', 'webdav', directory, '--addr', '127.0.0.1:0', '--config', '/dev/null', ...credentials], { stdio: ['ignore', 'pipe', 'pipe'] });
  const match = await waitForLine(child, /WebDav Server started on \[?(http:\/\/127\.0\.0\.1:\d+)\/?/, 'rclone serve webdav');
  child.removeAllListeners('exit');
  return { url: match[1]!, directory, stop: stopper(child), remove: async () => rmSync(directory, { recursive: true, force: true }) };
}

/** An S3-compatible server (`s3rver`) with one bucket, over a scratch directory. */
export async function startS3Server(bucket: string, directory = scratch('bheem-s3-')): Promise<StorageServer> {
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const child = spawn(process.execPath, [bin, '-d', directory, '-a', '127.0.0.1', '-p', '0', '--configure-bucket', bucket], { stdio: ['ignore', 'pipe', 'pipe'] });
  const match = await waitForLine(child, /listening on (127\.0\.0\.1:\d+)/, 's3rver');
  child.removeAllListeners('exit');
  return { url: `http://${match[1]}`, directory, stop: stopper(child), remove: async () => rmSync(directory, { recursive: true, force: true }) };
}

/** Environment that points the documents subgraph at these servers. */
export function storageEnv(servers: { webdav?: StorageServer; s3?: StorageServer; bucket?: string }): Record<string, string> {
  return {
    ...(servers.webdav && { DOCUMENTS_WEBDAV_URL: servers.webdav.url, DOCUMENTS_WEBDAV_ROOT: '/bheem' }),
    ...(servers.s3 && {
      DOCUMENTS_S3_ENDPOINT: servers.s3.url,
      DOCUMENTS_S3_BUCKET: servers.bucket ?? 'documents',
      DOCUMENTS_S3_REGION: 'us-east-1',
      // s3rver's fixed development credentials.
      DOCUMENTS_S3_ACCESS_KEY_ID: 'S3RVER',
      DOCUMENTS_S3_SECRET_ACCESS_KEY: 'S3RVER',
    }),
  };
}
