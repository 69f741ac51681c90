/**
 * A tus request that gives up waiting for its upload's lock: @tus/server takes
 * one request per upload at a time and answers a request that waited its lock
 * timeout out with a 500. Here the test holds the lock itself (as a request
 * stuck storing the upload's last bytes would), through the tus server's own
 * locker, so the waiting request times out every time, whatever the load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { MemoryLocker } from '@tus/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { createLogger } from '../../../platform/logger.js';
import { createTusServer } from '../http/tus-routes.js';
import { TusTokens } from '../http/tus-tokens.js';
import { UploadSessionRepository } from '../repositories/upload-session-repository.js';
import { ResumableUploadFinisher } from '../services/resumable-upload-finisher.js';
import { createStorageBackends } from '../storage/storage-backends.js';
import { createTusStaging } from '../storage/tus-staging.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
const stagingDir = mkdtempSync(path.join(os.tmpdir(), 'bheem-tus-lock-'));
beforeAll(async () => {
  docs = await startDocumentsPlatform({ DOCUMENTS_RESUMABLE_STAGING_DIR: stagingDir });
});
afterAll(async () => {
  await docs?.stop();
  rmSync(stagingDir, { recursive: true, force: true });
});

it('a request that gave up waiting for the upload’s lock is answered 423 with a message, and the upload goes on', async () => {
  const { body } = await docs.call('maya.manager', 'mutation($input: RequestDocumentUploadInput!) { createResumableUpload(input: $input) { uploadId endpoint token } }', {
    input: { entityType: 'project', entityId: DEMO_ERP.projects[0].id, filename: 'locked.bin', size: 8 },
  });
  expect(body.errors).toBeUndefined();
  const upload = body.data.createResumableUpload as { uploadId: string; endpoint: string; token: string };
  const headers = { 'tus-resumable': '1.0.0', 'upload-token': upload.token };
  const created = await fetch(docs.onService(upload.endpoint), { method: 'POST', headers: { ...headers, 'upload-length': '8' } });
  expect(created.status).toBe(201);

  // The documents service's tus server, on its staging directory and database, with a locker this test can hold.
  const { config } = docs.platform;
  const log = createLogger('test');
  const sessions = new UploadSessionRepository(docs.db);
  const staging = createTusStaging(stagingDir, config.documents.resumableUploadTtlSeconds);
  const backends = await createStorageBackends(config.documents);
  // This test never sends a last byte: nothing is stored, so no upload service is asked for.
  const finisher = new ResumableUploadFinisher({ sessions, backends, staging, uploadsFor: () => expect.fail('no upload is finished here'), log });
  const locker = new MemoryLocker({ acquireLockTimeout: 200 });
  const tus = await createTusServer({ tokens: new TusTokens(config.documents.urlSigningSecret), sessions, staging, finisher, publicUrl: config.publicUrl, log, locker });
  const server = http.createServer((request, response) => void tus.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}${new URL(upload.endpoint).pathname}/${upload.uploadId}`;
  try {
    // Held and never let go, even when a newer request asks.
    const held = locker.newLock(upload.uploadId);
    await held.lock(new AbortController().signal, async () => {});
    for (const [method, extra, body] of [
      ['HEAD', {}, undefined],
      ['PATCH', { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, new Uint8Array(8)],
      ['DELETE', {}, undefined],
    ] as const) {
      const response = await fetch(url, { method, headers: { ...headers, ...extra }, body });
      const text = await response.text();
      expect({ method, status: response.status, said: method === 'HEAD' || text.length > 0 }).toEqual({ method, status: 423, said: true });
    }
    await held.unlock();
    // Let go, the upload is as it was: nothing was lost or half-written by the refused requests.
    const head = await fetch(url, { method: 'HEAD', headers });
    expect([head.status, head.headers.get('upload-offset')]).toEqual([200, '0']);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
