/** The storage contract over the three real backends: local disk, WebDAV (rclone) and S3 (s3rver). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { describeStorageContract } from '../../../test/storage/storage-contract.js';
import { startS3Server, startWebDavServer, type StorageServer } from '../../../test/storage/storage-servers.js';
import { LocalStorageBackend } from '../storage/local-backend.js';
import { S3StorageBackend } from '../storage/s3-backend.js';
import { WebDavStorageBackend } from '../storage/webdav-backend.js';

const BUCKET = 'contract';
let localRoot: string;
let webdav: StorageServer;
let s3: StorageServer;

beforeAll(async () => {
  localRoot = mkdtempSync(path.join(os.tmpdir(), 'bheem-local-'));
  [webdav, s3] = await Promise.all([startWebDavServer(), startS3Server(BUCKET)]);
});
afterAll(async () => {
  rmSync(localRoot, { recursive: true, force: true });
  for (const server of [webdav, s3]) {
    await server?.stop();
    await server?.remove();
  }
});

const s3Backend = (url: string) =>
  new S3StorageBackend({ bucket: BUCKET, endpoint: url, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });

describeStorageContract('local', {
  backend: () => new LocalStorageBackend(localRoot),
  // A root below a regular file can never be created.
  takeDown: async () => new LocalStorageBackend(path.join(process.execPath, 'not-a-directory')),
});

describeStorageContract('webdav', {
  backend: () => new WebDavStorageBackend({ url: webdav.url, root: '/contract' }),
  folderOf: (key) => path.join(webdav.directory, 'contract', ...key.split('/').slice(0, -1)),
  takeDown: async () => {
    await webdav.stop();
    return new WebDavStorageBackend({ url: webdav.url, root: '/contract' });
  },
});

describeStorageContract('s3', {
  backend: () => s3Backend(s3.url),
  takeDown: async () => {
    await s3.stop();
    return s3Backend(s3.url);
  },
});
