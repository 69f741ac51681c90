/**
 * A storage backend that goes away in the middle of a signed PUT: the real
 * server (rclone WebDAV, s3rver) is stopped while the bytes stream through.
 * The client must get a status and a message within a bounded time (not a
 * reset connection, not a hang), no document may appear, and the ticket must
 * be usable again.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startS3Server, startWebDavServer, storageEnv, type StorageServer } from '../../../test/storage/storage-servers.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

const MB = 1024 * 1024;
const SIZE = 24 * MB;
const CHUNK = 256 * 1024;
/** How long the client waits for an answer once the backend is gone. */
const ANSWER_WITHIN_MS = 15_000;

let docs: DocumentsPlatform;
let webdav: StorageServer;
let s3: StorageServer;
beforeAll(async () => {
  [webdav, s3] = await Promise.all([startWebDavServer(), startS3Server('documents')]);
  docs = await startDocumentsPlatform(storageEnv({ webdav, s3 }));
});
afterAll(async () => {
  await docs?.stop();
  for (const server of [webdav, s3]) {
    await server?.stop();
    await server?.remove();
  }
});

async function ok(username: string, query: string, variables?: Record<string, unknown>) {
  const { body } = await docs.call(username, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data;
}

const uploadState = async (id: string) => (await ok('maya.manager', `{ documentUpload(id: "${id}") { status receivedBytes } }`)).documentUpload;

type Outcome = { status: number; text: string; connection?: string } | { error: string } | 'no answer';

/**
 * PUTs `SIZE` bytes as curl would (the whole body, then wait for the answer,
 * taking an early answer as it comes), calling `cut` once `cutAfter` bytes
 * were written. The outcome is what the client saw within ANSWER_WITHIN_MS of the cut.
 */
function putAndCut(url: string, cutAfter: number, cut: () => Promise<void>): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = http.request(url, { method: 'PUT', headers: { 'content-length': String(SIZE) } });
    let timer: NodeJS.Timeout | undefined;
    const settle = (outcome: Outcome) => {
      clearTimeout(timer);
      resolve(outcome);
      request.destroy();
    };
    request.once('response', async (response) => {
      let text = '';
      try {
        for await (const chunk of response) text += chunk;
        settle({ status: response.statusCode ?? 0, text, connection: response.headers.connection });
      } catch (error) {
        settle({ error: `${(error as NodeJS.ErrnoException).code ?? (error as Error).message} while reading a ${response.statusCode}` });
      }
    });
    request.once('error', (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
    const chunk = Buffer.alloc(CHUNK, 7);
    let written = 0;
    let cutDone = false;
    const write = async () => {
      while (written < SIZE && !request.destroyed) {
        if (!cutDone && written >= cutAfter) {
          cutDone = true;
          await cut();
          timer = setTimeout(() => settle('no answer'), ANSWER_WITHIN_MS);
        }
        written += CHUNK;
        if (!request.write(chunk)) await new Promise((drained) => request.once('drain', drained).once('close', drained));
      }
      if (!request.destroyed) request.end();
    };
    void write();
  });
}

async function cutMidUpload(backend: 'webdav' | 's3', server: StorageServer, cutAfter: number) {
  await ok('admin', `mutation { setCompanyStorageSettings(input: { backend: "${backend}" }) { backend } }`);
  const ticket = await docs.ticketAs('maya.manager', { entityType: 'project', entityId: DEMO_ERP.projects[0].id, filename: `${backend}-cut.bin`, size: SIZE });
  const outcome = await putAndCut(docs.onService(ticket.uploadUrl), cutAfter, async () => {
    // The bytes are flowing to the backend when it goes.
    expect((await uploadState(ticket.uploadId)).status).toBe('uploading');
    await server.stop();
  });
  expect(outcome).toMatchObject({ status: 503, connection: 'close' });
  const { status, text } = outcome as { status: number; text: string };
  expect(status).toBe(503);
  expect(JSON.parse(text).error).toMatch(/stor.*may be retried/i);
  // Nothing stored, and the ticket may be used again.
  expect(await uploadState(ticket.uploadId)).toMatchObject({ status: 'pending' });
  const completed = await docs.completeAs('maya.manager', ticket.uploadId);
  expect(completed.body.errors?.length).toBeGreaterThan(0);
}

describe('a storage backend that goes away during a signed PUT', () => {
  it('WebDAV (rclone): the client gets a 503 with a message, the ticket is released', async () => {
    await cutMidUpload('webdav', webdav, 4 * MB);
  });

  it('S3 (s3rver): the client gets a 503 with a message, the ticket is released', async () => {
    // Past the first 8 MiB part, so one part request is already on its way.
    await cutMidUpload('s3', s3, 12 * MB);
  });
});

describe('a client that goes away during a signed PUT', () => {
  it('fails the transfer and releases the ticket (local disk)', async () => {
    await ok('admin', `mutation { setCompanyStorageSettings(input: { backend: "local" }) { backend } }`);
    const ticket = await docs.ticketAs('maya.manager', { entityType: 'project', entityId: DEMO_ERP.projects[0].id, filename: 'gone.bin', size: SIZE });
    const request = http.request(docs.onService(ticket.uploadUrl), { method: 'PUT', headers: { 'content-length': String(SIZE) } });
    request.on('error', () => {});
    request.write(Buffer.alloc(4 * MB, 7));
    await expect.poll(async () => (await uploadState(ticket.uploadId)).status, { timeout: 10_000 }).toBe('uploading');
    request.destroy();
    await expect.poll(async () => (await uploadState(ticket.uploadId)).status, { timeout: 10_000 }).toBe('pending');
  });
});
