/**
 * documents.* events in the outbox: written by each change in its own
 * transaction, with company, document, attached entity and actor; nothing
 * when the change rolls back or fails.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { createLogger } from '../../../platform/logger.js';
import { purgeTrash } from '../jobs/purge-trash.js';
import { DocumentRepository } from '../repositories/document-repository.js';
import { publishDocumentEvent } from '../services/document-events.js';
import { LocalStorageBackend } from '../storage/local-backend.js';
import { StorageBackends } from '../storage/storage-backends.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
let db: DocumentsPlatform['db'];
beforeAll(async () => {
  docs = await startDocumentsPlatform();
  db = docs.db;
});
afterAll(async () => {
  await docs?.stop();
});

const TASK = DEMO_ERP.tasks[1].id;
const MAYA = 'maya.manager';

async function published(documentId: string): Promise<{ topic: string; company_id: string; payload: any }[]> {
  const { rows } = await sql<{ topic: string; company_id: string; payload: any }>`
    SELECT topic, company_id::text, payload FROM events.outbox WHERE topic LIKE 'documents.%' AND entity_key = ${documentId} ORDER BY position`.execute(db);
  return rows;
}

async function ok(query: string, variables?: Record<string, unknown>) {
  const { body } = await docs.call(MAYA, query, variables);
  expect(body.errors).toBeUndefined();
  return body.data;
}

const upload = (text: string, documentId?: string) =>
  docs.uploadAs(MAYA, documentId ? { documentId } : { entityType: 'task', entityId: TASK, filename: 'minutes.txt' }, text, 'id version');

describe('documents events', () => {
  it('announce every change with company, entity and actor', async () => {
    const document = await upload('first');
    await upload('second, longer', document.id);
    await ok(`mutation { restoreDocumentVersion(documentId: "${document.id}", version: 1) { version } }`);
    const link = (
      await ok(`mutation($at: DateTime!) { createShareLink(documentId: "${document.id}", expiresAt: $at, password: "long enough") { id } }`, {
        at: new Date(Date.now() + 86_400_000).toISOString(),
      })
    ).createShareLink;
    await ok(`mutation { revokeShareLink(id: "${link.id}") { id } }`);
    await ok(`mutation { revokeShareLink(id: "${link.id}") { id } }`); // a second revocation changes nothing
    await ok(`mutation { deleteDocument(id: "${document.id}") { id } }`);
    await ok(`mutation { restoreDocument(id: "${document.id}") { id } }`);

    const events = await published(document.id);
    expect(events.map((event) => event.topic)).toEqual([
      'documents.document.created',
      'documents.document.versioned',
      'documents.document.versioned',
      'documents.share.created',
      'documents.share.revoked',
      'documents.document.deleted',
      'documents.document.restored',
    ]);
    const bheem = DEMO_COMPANIES.bheem.id;
    for (const event of events) {
      expect(event.company_id).toBe(bheem);
      expect(event.payload).toMatchObject({ company_id: bheem, document_id: document.id, entity_type: 'task', entity_id: TASK, actor_id: expect.any(String) });
    }
    const actor = events[0]!.payload.actor_id;
    expect(events.every((event) => event.payload.actor_id === actor)).toBe(true);
    expect(events[0]!.payload).toMatchObject({ version: 1, size: 5, filename: 'minutes.txt', mime_type: 'text/plain', storage_backend: 'local' });
    expect(events[1]!.payload).toMatchObject({ version: 2, size: 14, restored_from: null });
    expect(events[2]!.payload).toMatchObject({ version: 3, size: 5, restored_from: 1 });
    expect(events[3]!.payload).toMatchObject({ share_id: link.id, has_password: true, provider: 'documents' });
    expect(events[5]!.payload).toMatchObject({ purged: false });
  });

  it('announce a purge with its transaction, and nothing when the purge fails', async () => {
    const document = await upload('to purge');
    await ok(`mutation { deleteDocument(id: "${document.id}") { id } }`);
    await db
      .updateTable('documents.documents')
      .set({ deleted_at: new Date(Date.now() - 400 * 86_400_000) })
      .where('id', '=', document.id)
      .execute();
    const repository = new DocumentRepository(db);
    const log = createLogger('test');
    // A disk that cannot be reached: removing the objects fails, the purge rolls back with its event.
    const broken = new StorageBackends([new LocalStorageBackend(path.join(process.execPath, 'not-a-directory'))]);
    expect((await purgeTrash(repository, broken, 30, log)).purged).toBe(0);
    expect((await published(document.id)).map((event) => event.topic)).toEqual(['documents.document.created', 'documents.document.deleted']);
    const backends = new StorageBackends([new LocalStorageBackend(docs.platform.config.documents.storageDir)]);
    expect((await purgeTrash(repository, backends, 30, log)).purged).toBeGreaterThanOrEqual(1);
    const events = await published(document.id);
    expect(events.map((event) => event.topic)).toEqual(['documents.document.created', 'documents.document.deleted', 'documents.document.deleted']);
    expect(events[2]!.payload).toMatchObject({ purged: true, actor_id: null });
  });

  it('write nothing when the change rolls back', async () => {
    const document = await upload('rolled back');
    const repository = new DocumentRepository(db);
    await expect(
      db.transaction().execute(async (trx) => {
        const row = await repository.setState(trx, DEMO_COMPANIES.bheem.id, document.id, { deleted_at: new Date() });
        await publishDocumentEvent(trx, 'documents.document.deleted', row!, 'someone', { purged: false });
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');
    expect((await published(document.id)).map((event) => event.topic)).toEqual(['documents.document.created']);
    expect((await ok(`{ document(id: "${document.id}") { deletedAt } }`)).document.deletedAt).toBeNull();
  });
});
