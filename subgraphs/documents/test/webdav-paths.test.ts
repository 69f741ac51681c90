/**
 * On WebDAV (Nextcloud), uploads land where a person browsing expects them:
 * <root>/<company>/<record>/<file name>, numbered when the name is taken (by
 * an earlier upload, a version, or a file someone put there by hand); purging
 * the last document of a record removes its folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { createLogger } from '../../../platform/logger.js';
import { startWebDavServer, storageEnv, type StorageServer } from '../../../test/storage/storage-servers.js';
import { purgeTrash } from '../jobs/purge-trash.js';
import { DocumentRepository } from '../repositories/document-repository.js';
import { createStorageBackends } from '../storage/storage-backends.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
let webdav: StorageServer;
beforeAll(async () => {
  webdav = await startWebDavServer();
  docs = await startDocumentsPlatform({ ...storageEnv({ webdav }), DOCUMENTS_STORAGE_BACKEND: 'webdav' });
});
afterAll(async () => {
  await docs?.stop();
  await webdav?.stop();
  await webdav?.remove();
});

const PROJECT = DEMO_ERP.projects[1].id;
const folder = () => path.join(webdav.directory, 'bheem', DEMO_COMPANIES.bheem.id, `project-${PROJECT}`);

async function upload(filename: string, text: string, entity: { entityType: string; entityId: string } = { entityType: 'project', entityId: PROJECT }) {
  const document = await docs.uploadAs('maya.manager', { ...entity, filename }, text, 'id storageBackend');
  expect(document.storageBackend).toBe('webdav');
  return document.id as string;
}

describe('readable WebDAV paths', () => {
  it('stores files under company / record / name, numbering names that are taken', async () => {
    const first = await upload('Budget 2026.csv', 'one');
    // Someone browsing Nextcloud drops a file of the next name into the folder: it is never overwritten.
    const byHand = `${webdav.url}/bheem/${DEMO_COMPANIES.bheem.id}/project-${PROJECT}/${encodeURIComponent('Budget 2026 (2).csv')}`;
    expect((await fetch(byHand, { method: 'PUT', body: 'hand-made' })).status).toBeLessThan(300);
    const second = await upload('../Budget 2026.csv', 'two');
    expect(readdirSync(folder()).sort()).toEqual(['Budget 2026 (2).csv', 'Budget 2026 (3).csv', 'Budget 2026.csv']);
    expect(readFileSync(path.join(folder(), 'Budget 2026.csv'), 'utf8')).toBe('one');
    expect(readFileSync(path.join(folder(), 'Budget 2026 (2).csv'), 'utf8')).toBe('hand-made');
    expect(readFileSync(path.join(folder(), 'Budget 2026 (3).csv'), 'utf8')).toBe('two');
    // Nothing was written outside the company's folder.
    expect(readdirSync(path.join(webdav.directory, 'bheem'))).toEqual([DEMO_COMPANIES.bheem.id]);

    // Purging both documents removes what is ours and leaves the folder to the file someone else put there.
    const { db } = docs;
    for (const id of [first, second]) await docs.call('maya.manager', `mutation { deleteDocument(id: "${id}") { id } }`);
    const retention = docs.platform.config.documents.trashRetentionDays;
    await db
      .updateTable('documents.documents')
      .set({ deleted_at: new Date(Date.now() - (retention + 1) * 86_400_000) })
      .where('id', 'in', [first, second])
      .execute();
    const backends = await createStorageBackends(docs.platform.config.documents);
    expect((await purgeTrash(new DocumentRepository(db), backends, retention, createLogger('test'))).purged).toBe(2);
    expect(readdirSync(folder())).toEqual(['Budget 2026 (2).csv']);
  });

  it('removes the record\u2019s folder when its last document is purged', async () => {
    const lonely = DEMO_ERP.tasks[2].id;
    const id = await upload('only.txt', 'only', { entityType: 'task', entityId: lonely });
    const taskFolder = path.join(webdav.directory, 'bheem', DEMO_COMPANIES.bheem.id, `task-${lonely}`);
    expect(readdirSync(taskFolder)).toEqual(['only.txt']);
    await docs.call('maya.manager', `mutation { deleteDocument(id: "${id}") { id } }`);
    const { db } = docs;
    const retention = docs.platform.config.documents.trashRetentionDays;
    await db
      .updateTable('documents.documents')
      .set({ deleted_at: new Date(Date.now() - (retention + 1) * 86_400_000) })
      .where('id', '=', id)
      .execute();
    await purgeTrash(new DocumentRepository(db), await createStorageBackends(docs.platform.config.documents), retention, createLogger('test'));
    expect(existsSync(taskFolder)).toBe(false);
    expect(existsSync(folder())).toBe(true); // another record's folder, still holding a file
    mkdirSync(taskFolder, { recursive: true }); // (a folder made again later is fine)
  });
});
