/**
 * Companies store on the backend their configuration names, documents
 * remember theirs, and a backend that is down fails uploads clearly without
 * leaving a Document behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../../platform/database/connection.js';
import { DEMO_COMPANIES, DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startS3Server, startWebDavServer, storageEnv, type StorageServer } from '../../../test/storage/storage-servers.js';
import type { DocumentsDatabase } from '../database.js';
import { sha256, startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
let webdav: StorageServer;
let s3: StorageServer;
let db: ReturnType<typeof createKysely<DocumentsDatabase>>;

beforeAll(async () => {
  [webdav, s3] = await Promise.all([startWebDavServer(), startS3Server('documents')]);
  docs = await startDocumentsPlatform(storageEnv({ webdav, s3, bucket: 'documents' }));
  db = createKysely<DocumentsDatabase>(docs.platform.database.url);
  await db
    .insertInto('documents.company_storage')
    .values([
      { company_id: DEMO_COMPANIES.bheem.id, backend: 'webdav', max_file_bytes: null },
      { company_id: DEMO_COMPANIES.globex.id, backend: 's3', max_file_bytes: null },
    ])
    .execute();
});
afterAll(async () => {
  await docs?.stop();
  for (const server of [webdav, s3]) {
    await server?.stop();
    await server?.remove();
  }
});

const REQUEST = `mutation($input: RequestDocumentUploadInput!) { requestDocumentUpload(input: $input) { uploadId uploadUrl } }`;
const COMPLETE = `mutation($id: ID!) { completeDocumentUpload(uploadId: $id) { id storageBackend checksum mimeType downloadUrl } }`;

async function ticket(username: string, taskIndex: number, size: number) {
  const { body } = await docs.call(username, REQUEST, { input: { entityType: 'task', entityId: DEMO_ERP.tasks[taskIndex]!.id, filename: 'report.csv', size } });
  expect(body.errors).toBeUndefined();
  return body.data.requestDocumentUpload;
}

async function roundTrip(username: string, taskIndex: number) {
  const bytes = Buffer.from('region,revenue\nnorth,100\nsouth,250\n');
  const { uploadId, uploadUrl } = await ticket(username, taskIndex, bytes.length);
  expect((await fetch(docs.onService(uploadUrl), { method: 'PUT', body: bytes })).status).toBe(200);
  const { body } = await docs.call(username, COMPLETE, { id: uploadId });
  expect(body.errors).toBeUndefined();
  const document = body.data.completeDocumentUpload;
  const download = await fetch(docs.onService(document.downloadUrl), { headers: { range: 'bytes=7-' } });
  expect(download.status).toBe(206);
  expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes.subarray(7));
  expect(document).toMatchObject({ checksum: sha256(bytes), mimeType: 'text/csv' });
  return document;
}

const documentCount = async () => Number((await db.selectFrom('documents.documents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('per-company storage backends', () => {
  it('stores each company\u2019s files on its own backend and reads them back from it', async () => {
    expect((await roundTrip('maya.manager', 0)).storageBackend).toBe('webdav');
    expect((await roundTrip('globex.admin', 3)).storageBackend).toBe('s3');
    // The demo files stay on the backend they were written to.
    const demo = await docs.call('maya.manager', '{ documents(category: "budget") { storageBackend downloadUrl } }');
    expect(demo.body.data.documents[0].storageBackend).toBe('local');
    expect((await fetch(docs.onService(demo.body.data.documents[0].downloadUrl))).status).toBe(200);
  });

  it('answers a clear error when the backend is down, and creates no document', async () => {
    const existing = await roundTrip('maya.manager', 1);
    await webdav.stop();
    const before = await documentCount();
    const { uploadId, uploadUrl } = await ticket('maya.manager', 1, 5);
    const put = await fetch(docs.onService(uploadUrl), { method: 'PUT', body: Buffer.from('hello') });
    expect(put.status).toBe(503);
    expect((await put.json()).error).toMatch(/webdav storage backend is unavailable/);
    const complete = await docs.call('maya.manager', COMPLETE, { id: uploadId });
    expect(complete.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await documentCount()).toBe(before);
    const download = await fetch(docs.onService(existing.downloadUrl));
    expect(download.status).toBe(503);
    const session = await db.selectFrom('documents.upload_sessions').select('status').where('id', '=', uploadId).executeTakeFirstOrThrow();
    expect(session.status).toBe('pending');
  });
});
