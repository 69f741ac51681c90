import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/logger.js';
import { DEMO_COMPANIES, DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { cleanupAbandonedUploads } from '../jobs/cleanup-uploads.js';
import { UploadSessionRepository } from '../repositories/upload-session-repository.js';
import { createStorageBackends } from '../storage/storage-backends.js';
import { sha256, startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

const MAX = 64 * 1024;
let docs: DocumentsPlatform;
let db: DocumentsPlatform['db'];
beforeAll(async () => {
  docs = await startDocumentsPlatform({ DOCUMENTS_MAX_UPLOAD_BYTES: String(MAX) });
  db = docs.db;
});
afterAll(() => docs?.stop());

const TASK = DEMO_ERP.tasks[1].id;
// A real 1x1 PNG: its magic number decides its type, whatever the client claims.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const TICKET = 'uploadId uploadUrl expiresAt maxBytes';
const FIELDS = 'id filename originalFilename mimeType size checksum version entityType entityId category tags uploadedBy { id } downloadUrl versions { version checksum }';

const requestUpload = async (username: string, input: Record<string, unknown>) =>
  (await docs.requestUpload(username, { entityType: 'task', entityId: TASK, ...input }, TICKET)).body;
const upload = (username: string, bytes: Buffer, input: Record<string, unknown> = {}) =>
  docs.uploadAs(username, { entityType: 'task', entityId: TASK, filename: 'file.bin', ...input }, bytes, FIELDS);

const documentCount = () => docs.rowCount('documents.documents');

describe('uploads through signed URLs', () => {
  it('stores the bytes, computes the checksum, sniffs the type and sanitizes the name', async () => {
    // A NUL in the name is refused before the service sees it (test/strict-inputs.test.ts).
    const document = await upload('maya.manager', PNG, {
      filename: '../../etc/evil\u202Egnp.html',
      mimeType: 'text/html',
      category: 'design',
      tags: ['logo', ' logo ', 'brand'],
      checksum: sha256(PNG),
    });
    expect(document).toMatchObject({
      filename: 'evilgnp.html',
      originalFilename: '../../etc/evilgnp.html',
      mimeType: 'image/png',
      size: PNG.length,
      checksum: sha256(PNG),
      version: 1,
      entityType: 'task',
      entityId: TASK,
      category: 'design',
      tags: ['logo', 'brand'],
      uploadedBy: { id: '8' },
    });
    expect(document.versions).toEqual([{ version: 1, checksum: sha256(PNG) }]);
    const download = await fetch(docs.onService(document.downloadUrl));
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
    expect(download.headers.get('content-type')).toBe('image/png');
    const listed = await docs.call('emil.employee', `{ documents(entityType: "task", entityId: "${TASK}") { id } }`);
    expect(listed.body.data.documents).toEqual([{ id: document.id }]);
  });

  it('types HTML claimed as an image as plain text, and unknown binary as octet-stream', async () => {
    const html = await upload('maya.manager', Buffer.from('<html><script>alert(1)</script></html>'), { filename: 'x.png', mimeType: 'image/png' });
    expect(html.mimeType).toBe('text/plain');
    const binary = await upload('maya.manager', Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]), { filename: 'blob' });
    expect(binary.mimeType).toBe('application/octet-stream');
    const csv = await upload('maya.manager', Buffer.from('a,b\n1,2\n'), { filename: 'numbers.csv' });
    expect(csv.mimeType).toBe('text/csv');
  });

  it('creates no document before completion, and none for a ticket without bytes', async () => {
    const before = await documentCount();
    const ticket = (await requestUpload('maya.manager', { filename: 'a.txt', size: 3 })).data.requestDocumentUpload;
    const early = await docs.completeAs('maya.manager', ticket.uploadId, FIELDS);
    expect(early.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await docs.putBytes(ticket.uploadUrl, Buffer.from('abc'))).status).toBe(200);
    expect(await documentCount()).toBe(before);
    expect((await docs.putBytes(ticket.uploadUrl, Buffer.from('abc'))).status).toBe(409);
    const someoneElse = await docs.completeAs('emil.employee', ticket.uploadId, FIELDS);
    expect(someoneElse.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const done = await docs.completeAs('maya.manager', ticket.uploadId, FIELDS);
    const again = await docs.completeAs('maya.manager', ticket.uploadId, FIELDS);
    expect(again.body.data.completeDocumentUpload.id).toBe(done.body.data.completeDocumentUpload.id);
    expect(await documentCount()).toBe(before + 1);
  });

  it('enforces the declared size, the global limit and the company limit while streaming', async () => {
    const tooBig = await requestUpload('maya.manager', { filename: 'big.bin', size: MAX + 1 });
    expect(tooBig.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await db.insertInto('documents.company_storage').values({ company_id: DEMO_COMPANIES.globex.id, backend: 'local', max_file_bytes: 1000 }).execute();
    const overCompany = await docs.requestUpload('globex.admin', { entityType: 'task', entityId: DEMO_ERP.tasks[3].id, filename: 'x', size: 1001 }, TICKET);
    expect(overCompany.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const ticket = (await requestUpload('maya.manager', { filename: 'a.bin', size: 10 })).data.requestDocumentUpload;
    // A body without Content-Length (streamed) that runs past the declared size is cut off.
    const overflow = await docs.putBytes(ticket.uploadUrl, Readable.from([Buffer.alloc(8), Buffer.alloc(8)]));
    expect(overflow.status).toBe(413);
    const short = await docs.putBytes(ticket.uploadUrl, Readable.from([Buffer.alloc(4)]));
    expect(short.status).toBe(400);
    const [session] = await db.selectFrom('documents.upload_sessions').select(['status', 'storage_key']).where('id', '=', ticket.uploadId).execute();
    expect(session!.status).toBe('pending');
    const backends = await createStorageBackends(docs.platform.config.documents);
    expect(await backends.get('local').exists(session!.storage_key)).toBe(false);
    expect((await docs.putBytes(ticket.uploadUrl, Buffer.alloc(10, 1))).status).toBe(200);
  });

  it('refuses bytes that do not match the declared checksum', async () => {
    const ticket = (await requestUpload('maya.manager', { filename: 'a.txt', size: 3, checksum: sha256(Buffer.from('abc')) })).data.requestDocumentUpload;
    const wrong = await docs.putBytes(ticket.uploadUrl, Buffer.from('abd'));
    expect(wrong.status).toBe(400);
    expect((await docs.putBytes(ticket.uploadUrl, Buffer.from('abc'))).status).toBe(200);
  });

  it('refuses bytes in a content coding it does not decode (415), storing nothing, and keeps the ticket', async () => {
    const gzipped = gzipSync(Buffer.from('report'));
    const ticket = (await requestUpload('maya.manager', { filename: 'report.txt', size: gzipped.length })).data.requestDocumentUpload;
    for (const coding of ['gzip', 'br, gzip', 'x-unknown']) {
      const refused = await docs.putBytes(ticket.uploadUrl, gzipped, { 'content-encoding': coding });
      expect(refused.status, coding).toBe(415);
      expect(refused.headers.get('accept-encoding')).toBe('identity');
      expect((await refused.json()).error).toContain('Content-Encoding');
    }
    const stored = await docs.platform.db.selectFrom('documents.upload_sessions').select(['status', 'received_size']).where('id', '=', ticket.uploadId).executeTakeFirstOrThrow();
    expect(stored.status).toBe('pending');
    expect((await docs.putBytes(ticket.uploadUrl, gzipped, { 'content-encoding': 'identity' })).status).toBe(200);
  });

  it('refuses tampered and expired upload URLs', async () => {
    const ticket = (await requestUpload('maya.manager', { filename: 'a.txt', size: 3 })).data.requestDocumentUpload;
    const tampered = new URL(ticket.uploadUrl);
    tampered.pathname = tampered.pathname.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect((await docs.putBytes(tampered.toString(), Buffer.from('abc'))).status).toBe(403);
    const expired = new URL(ticket.uploadUrl);
    expired.searchParams.set('expires', '1000');
    expect((await docs.putBytes(expired.toString(), Buffer.from('abc'))).status).toBe(403);
  });

  it('lets only writers ask for tickets', async () => {
    const student = await requestUpload('sam.student', { filename: 'a.txt', size: 1 });
    expect(student.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const courseStudent = await docs.requestUpload('sam.student', { entityType: 'course', entityId: '101', filename: 'a.txt', size: 1 }, TICKET);
    expect(courseStudent.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const teacher = await docs.requestUpload('tara.teacher', { entityType: 'course', entityId: '101', filename: 'a.txt', size: 1 }, TICKET);
    expect(teacher.body.errors).toBeUndefined();
    const otherCompany = await docs.requestUpload('globex.admin', { entityType: 'course', entityId: '101', filename: 'a.txt', size: 1 }, TICKET);
    expect(otherCompany.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const employeeFile = await docs.requestUpload('emil.employee', { entityType: 'employee', entityId: '9', filename: 'a.txt', size: 1 }, TICKET);
    expect(employeeFile.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const badId = await requestUpload('maya.manager', { entityId: '42', filename: 'a.txt', size: 1 });
    expect(badId.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const emptyName = await requestUpload('maya.manager', { filename: '/../..', size: 1 });
    expect(emptyName.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('versions', () => {
  it('adds versions with their own objects and checksums, and restores an old one as a new version', async () => {
    const first = Buffer.from('version one');
    const second = Buffer.from('version two, longer');
    const document = await upload('maya.manager', first, { filename: 'plan.txt' });
    const ticket = (await docs.requestUpload('emil.employee', { documentId: document.id, size: second.length, filename: 'plan v2.txt' })).body.data.requestDocumentVersionUpload;
    expect((await docs.putBytes(ticket.uploadUrl, second)).status).toBe(200);
    const updated = (await docs.completeAs('emil.employee', ticket.uploadId, FIELDS)).body.data.completeDocumentUpload;
    expect(updated).toMatchObject({ id: document.id, version: 2, filename: 'plan v2.txt', checksum: sha256(second), size: second.length, uploadedBy: { id: '9' } });
    expect(updated.versions).toEqual([
      { version: 2, checksum: sha256(second) },
      { version: 1, checksum: sha256(first) },
    ]);

    const restore = await docs.call(
      'maya.manager',
      `mutation { restoreDocumentVersion(documentId: "${document.id}", version: 1) { version checksum filename downloadUrl versions { version } } }`,
    );
    const restored = restore.body.data.restoreDocumentVersion;
    expect(restored).toMatchObject({ version: 3, checksum: sha256(first), filename: 'plan.txt' });
    expect(restored.versions.map((v: any) => v.version)).toEqual([3, 2, 1]);
    expect(Buffer.from(await (await fetch(docs.onService(restored.downloadUrl))).arrayBuffer())).toEqual(first);
    const missing = await docs.call('maya.manager', `mutation { restoreDocumentVersion(documentId: "${document.id}", version: 9) { version } }`);
    expect(missing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const forbidden = await docs.requestUpload('sam.student', { documentId: document.id, size: 1 });
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('abandoned uploads', () => {
  it('are removed with their bytes by the cleanup job', async () => {
    const ticket = (await requestUpload('maya.manager', { filename: 'left.txt', size: 4 })).data.requestDocumentUpload;
    expect((await docs.putBytes(ticket.uploadUrl, Buffer.from('left'))).status).toBe(200);
    const [session] = await db.selectFrom('documents.upload_sessions').select('storage_key').where('id', '=', ticket.uploadId).execute();
    const backends = await createStorageBackends(docs.platform.config.documents);
    expect(await backends.get('local').exists(session!.storage_key)).toBe(true);
    const sessions = new UploadSessionRepository(db);
    const log = createLogger('test');
    expect((await cleanupAbandonedUploads(sessions, backends, log)).removed).toBe(0);
    const later = new Date(Date.now() + 2 * docs.platform.config.documents.uploadTtlSeconds * 1000);
    expect((await cleanupAbandonedUploads(sessions, backends, log, { now: later })).removed).toBeGreaterThanOrEqual(1);
    expect(await backends.get('local').exists(session!.storage_key)).toBe(false);
    const completed = await docs.completeAs('maya.manager', ticket.uploadId, FIELDS);
    expect(completed.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
