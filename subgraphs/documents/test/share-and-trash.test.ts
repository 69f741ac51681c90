import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { createLogger } from '../../../platform/logger.js';
import { purgeTrash } from '../jobs/purge-trash.js';
import { DocumentRepository } from '../repositories/document-repository.js';
import { createStorageBackends } from '../storage/storage-backends.js';
import { DEMO_DOCUMENTS } from '../demo-documents.js';
import { sha256, startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
let db: DocumentsPlatform['db'];
beforeAll(async () => {
  docs = await startDocumentsPlatform();
  db = docs.db;
});
afterAll(() => docs?.stop());

const BUDGET = DEMO_DOCUMENTS.find((document) => document.filename === 'equipment-budget.csv')!;
const CONTRACT = DEMO_DOCUMENTS.find((document) => document.entityType === 'employee')!;
const SYLLABUS = DEMO_DOCUMENTS.find((document) => document.filename === 'PHY101 syllabus.pdf')!;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const SHARE = `mutation($id: ID!, $expiresAt: DateTime!, $password: String) {
  createShareLink(documentId: $id, expiresAt: $expiresAt, password: $password) { id url expiresAt hasPassword revokedAt downloadCount }
}`;

const uploadText = (username: string, text: string, filename: string) =>
  docs.uploadAs(username, { entityType: 'task', entityId: DEMO_ERP.tasks[1].id, filename }, text, 'id storageBackend');

describe('share links', () => {
  it('serve that one file to anyone with the link, counted, until revoked', async () => {
    const created = await docs.call('maya.manager', SHARE, { id: BUDGET.id, expiresAt: inDays(7) });
    expect(created.body.errors).toBeUndefined();
    const link = created.body.data.createShareLink;
    expect(link).toMatchObject({ hasPassword: false, revokedAt: null, downloadCount: 0 });
    const response = await fetch(docs.onService(link.url));
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.toString()).toBe(BUDGET.versions[0]!.content);
    expect(response.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    const rest = await fetch(docs.onService(link.url), { headers: { range: 'bytes=10-' } });
    expect(rest.status).toBe(206);

    const listed = await docs.call('maya.manager', `{ document(id: "${BUDGET.id}") { shareLinks { id url downloadCount } } }`);
    expect(listed.body.data.document.shareLinks).toEqual([{ id: link.id, url: link.url, downloadCount: 1 }]);
    const colleague = await docs.call('tara.teacher', `{ document(id: "${BUDGET.id}") { shareLinks { id } } }`);
    expect(colleague.body.data.document.shareLinks).toEqual([{ id: link.id }]);
    // Employees read their own HR file but do not manage it: no links for them.
    await docs.call('maya.manager', SHARE, { id: CONTRACT.id, expiresAt: inDays(1) });
    const ownFile = await docs.call('emil.employee', `{ document(id: "${CONTRACT.id}") { id shareLinks { id } } }`);
    expect(ownFile.body.data.document).toEqual({ id: CONTRACT.id, shareLinks: [] });

    const revoked = await docs.call('maya.manager', `mutation { revokeShareLink(id: "${link.id}") { revokedAt } }`);
    expect(revoked.body.data.revokeShareLink.revokedAt).not.toBeNull();
    expect((await fetch(docs.onService(link.url))).status).toBe(410);
    const tampered = link.url.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(docs.onService(tampered))).status).toBe(404);
  });

  it('ask for the password, by header or form, and never accept a wrong one', async () => {
    const link = (await docs.call('maya.manager', SHARE, { id: BUDGET.id, expiresAt: inDays(1), password: 'correct horse' })).body.data.createShareLink;
    expect(link.hasPassword).toBe(true);
    const stored = await db.selectFrom('documents.share_links').select('password_hash').where('id', '=', link.id).executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain('correct horse');
    const url = docs.onService(link.url);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { 'x-share-password': 'wrong horse' } })).status).toBe(403);
    const byHeader = await fetch(url, { headers: { 'x-share-password': 'correct horse' } });
    expect(byHeader.status).toBe(200);
    expect(Buffer.from(await byHeader.arrayBuffer()).toString()).toBe(BUDGET.versions[0]!.content);
    const byForm = await fetch(url, { method: 'POST', body: new URLSearchParams({ password: 'correct horse' }) });
    expect(byForm.status).toBe(200);
    await byForm.arrayBuffer();
  });

  // Some sixty scrypt checks (slow by design): on a busy machine this takes minutes, not seconds.
  it('answer 429 with Retry-After to a client, then to everyone, after too many wrong passwords', { timeout: 300_000 }, async () => {
    const link = (await docs.call('maya.manager', SHARE, { id: BUDGET.id, expiresAt: inDays(1), password: 'correct horse' })).body.data.createShareLink;
    const url = docs.onService(link.url);
    const attempt = (client: string, password: string) => fetch(url, { headers: { 'x-share-password': password, 'x-forwarded-for': client } });
    for (let i = 0; i < 5; i += 1) expect((await attempt('203.0.113.7', `guess number ${i}`)).status).toBe(403);
    const refused = await attempt('203.0.113.7', 'guess number 5');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Refused before the password is even checked: the right one does not get through either.
    expect((await attempt('203.0.113.7', 'correct horse')).status).toBe(429);
    const other = await attempt('198.51.100.1', 'correct horse');
    expect(other.status).toBe(200);
    await other.arrayBuffer();

    // Forty-five more guesses from fifteen addresses reach the link's own cap of fifty: now everyone waits.
    for (let n = 0; n < 15; n += 1) for (let i = 0; i < 3; i += 1) expect((await attempt(`192.0.2.${n}`, `guess ${n}.${i}`)).status).toBe(403);
    expect((await attempt('198.51.100.2', 'correct horse')).status).toBe(429);

    // Once the window is over, the right password works again.
    await db
      .updateTable('documents.share_password_failures')
      .set({ window_start: new Date(Date.now() - 16 * 60_000) })
      .where('share_id', '=', link.id)
      .execute();
    const later = await attempt('203.0.113.7', 'correct horse');
    expect(later.status).toBe(200);
    await later.arrayBuffer();
  });

  it('need an expiry within 30 days and a writer', async () => {
    const past = await docs.call('maya.manager', SHARE, { id: BUDGET.id, expiresAt: inDays(-1) });
    expect(past.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const far = await docs.call('maya.manager', SHARE, { id: BUDGET.id, expiresAt: inDays(31) });
    expect(far.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const short = await docs.call('maya.manager', SHARE, { id: BUDGET.id, expiresAt: inDays(1), password: 'short' });
    expect(short.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const student = await docs.call('sam.student', SHARE, { id: SYLLABUS.id, expiresAt: inDays(1) });
    expect(student.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherCompany = await docs.call('globex.admin', SHARE, { id: BUDGET.id, expiresAt: inDays(1) });
    expect(otherCompany.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('archive, trash and purge', () => {
  it('archives out of the default lists, trashes out of every path, and restores', async () => {
    const document = await uploadText('maya.manager', 'to be archived', 'archive-me.txt');
    const listed = async () => (await docs.call('maya.manager', `{ documents(search: "archive-me") { id isArchived } }`)).body.data.documents;
    await docs.call('maya.manager', `mutation { archiveDocument(id: "${document.id}") { isArchived } }`);
    expect(await listed()).toEqual([]);
    expect((await docs.call('maya.manager', `{ documents(search: "archive-me", includeArchived: true) { isArchived } }`)).body.data.documents).toEqual([{ isArchived: true }]);
    await docs.call('maya.manager', `mutation { unarchiveDocument(id: "${document.id}") { isArchived } }`);
    expect(await listed()).toEqual([{ id: document.id, isArchived: false }]);

    const downloadUrl = docs.onService((await docs.call('maya.manager', `{ document(id: "${document.id}") { downloadUrl } }`)).body.data.document.downloadUrl);
    const link = (await docs.call('maya.manager', SHARE, { id: document.id, expiresAt: inDays(1) })).body.data.createShareLink;
    const trashed = await docs.call('maya.manager', `mutation { deleteDocument(id: "${document.id}") { deletedAt } }`);
    expect(trashed.body.data.deleteDocument.deletedAt).not.toBeNull();
    expect(await listed()).toEqual([]);
    expect((await docs.call('maya.manager', `{ document(id: "${document.id}") { id } }`)).body.data.document).toBeNull();
    expect((await fetch(downloadUrl)).status).toBe(404);
    expect((await fetch(docs.onService(link.url))).status).toBe(404);
    const trash = await docs.call('maya.manager', '{ trashedDocuments { id } }');
    expect(trash.body.data.trashedDocuments.map((d: any) => d.id)).toContain(document.id);
    expect((await docs.call('sam.student', '{ trashedDocuments { id } }')).body.data.trashedDocuments).toEqual([]);

    const restored = await docs.call('maya.manager', `mutation { restoreDocument(id: "${document.id}") { deletedAt } }`);
    expect(restored.body.data.restoreDocument.deletedAt).toBeNull();
    expect((await fetch(downloadUrl)).status).toBe(200);
    const again = await docs.call('maya.manager', `mutation { restoreDocument(id: "${document.id}") { id } }`);
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('purges documents past the retention period with every stored version', async () => {
    const document = await uploadText('maya.manager', 'short-lived', 'purge-me.txt');
    const keeper = await uploadText('maya.manager', 'stays', 'keep-me.txt');
    await docs.call('maya.manager', `mutation { deleteDocument(id: "${document.id}") { id } }`);
    await docs.call('maya.manager', `mutation { deleteDocument(id: "${keeper.id}") { id } }`);
    const key = (await db.selectFrom('documents.documents').select('storage_key').where('id', '=', document.id).executeTakeFirstOrThrow()).storage_key;
    const backends = await createStorageBackends(docs.platform.config.documents);
    const repository = new DocumentRepository(db);
    const retention = docs.platform.config.documents.trashRetentionDays;
    const log = createLogger('test');

    expect((await purgeTrash(repository, backends, retention, log)).purged).toBe(0);
    // Only the first document has been in the trash long enough.
    await db
      .updateTable('documents.documents')
      .set({ deleted_at: new Date(Date.now() - (retention + 1) * 86_400_000) })
      .where('id', '=', document.id)
      .execute();
    expect((await purgeTrash(repository, backends, retention, log)).purged).toBe(1);
    expect(await backends.get('local').exists(key)).toBe(false);
    expect(await db.selectFrom('documents.document_versions').select('id').where('document_id', '=', document.id).execute()).toEqual([]);
    const kept = await docs.call('maya.manager', `mutation { restoreDocument(id: "${keeper.id}") { id } }`);
    expect(kept.body.data.restoreDocument.id).toBe(keeper.id);
  });

  it('lets only writers archive or delete', async () => {
    const student = await docs.call('sam.student', `mutation { deleteDocument(id: "${SYLLABUS.id}") { id } }`);
    expect(student.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherCompany = await docs.call('globex.admin', `mutation { archiveDocument(id: "${BUDGET.id}") { id } }`);
    expect(otherCompany.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
