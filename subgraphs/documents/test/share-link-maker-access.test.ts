/**
 * A share link is its maker's authority: it serves only while its maker
 * could still read the document where it is now. An employee's link on a
 * task document stops serving (410, as a revoked one) once the document is
 * moved to an HR record only managers and that employee may read, whether by
 * moveDocument or by any other change of its record, and serves again if it
 * comes back. Course documents are judged by the maker's role in the course,
 * asked of academy. Links made before the maker's roles were kept serve only
 * while their document stays on the record it was on at the migration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { pinLegacyShareLinks } from '../migrations/share-link-maker-roles.js';
import { ShareTokens } from '../services/share-tokens.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
let db: DocumentsPlatform['db'];
beforeAll(async () => {
  docs = await startDocumentsPlatform();
  db = docs.db;
});
afterAll(() => docs?.stop());

const TASK = DEMO_ERP.tasks[1].id;
const OTHER_TASK = DEMO_ERP.tasks[2].id;
const MAYAS_HR_RECORD = '8'; // admins, managers and Maya herself may read its documents
const EMILS_HR_RECORD = '9';
const PHY101 = '101'; // taught by Tara
const MAT201 = '102'; // Ravi's; Tara is not enrolled
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function taskDocument(text: string): Promise<string> {
  return (await docs.uploadAs('maya.manager', { entityType: 'task', entityId: TASK, filename: 'notes.txt' }, text, 'id')).id;
}

async function share(who: string, documentId: string): Promise<string> {
  const { body } = await docs.call(who, `mutation($id: ID!, $at: DateTime!) { createShareLink(documentId: $id, expiresAt: $at) { url } }`, { id: documentId, at: inDays(2) });
  expect(body.errors).toBeUndefined();
  return docs.onService(body.data.createShareLink.url);
}

async function move(documentId: string, type: string, entity: string) {
  const { body } = await docs.call('admin', `mutation($id: ID!, $type: String!, $entity: ID!) { moveDocument(id: $id, entityType: $type, entityId: $entity) { id } }`, {
    id: documentId,
    type,
    entity,
  });
  expect(body.errors).toBeUndefined();
}

/** Whether the document's links serve now, as its page lists them (ShareLink.servesNow), in the order they were made. */
async function listedServing(documentId: string): Promise<Array<boolean | null>> {
  const { body } = await docs.call('admin', `query($id: ID!) { document(id: $id) { shareLinks { createdAt servesNow } } }`, { id: documentId });
  expect(body.errors).toBeUndefined();
  const links: Array<{ createdAt: string; servesNow: boolean | null }> = body.data.document.shareLinks;
  return links.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((link) => link.servesNow);
}

/** Each link's status code (ShareLink.status), in the order the links were made. */
async function listedStatus(documentId: string): Promise<string[]> {
  const { body } = await docs.call('admin', `query($id: ID!) { document(id: $id) { shareLinks { createdAt status } } }`, { id: documentId });
  expect(body.errors).toBeUndefined();
  const links: Array<{ createdAt: string; status: string }> = body.data.document.shareLinks;
  return links.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((link) => link.status);
}

const opened = async (url: string, accept = 'application/json') => {
  const response = await fetch(url, { headers: { accept } });
  return { status: response.status, text: await response.text() };
};

describe('a share link is its maker’s authority', () => {
  it('stops serving once the document moves where its maker may not read, and serves again when it comes back', async () => {
    const documentId = await taskDocument('task notes');
    const emils = await share('emil.employee', documentId);
    const mayas = await share('maya.manager', documentId);
    expect(await opened(emils)).toEqual({ status: 200, text: 'task notes' });

    await move(documentId, 'employee', MAYAS_HR_RECORD);
    expect(await opened(emils)).toEqual({
      status: 410,
      text: JSON.stringify({ error: 'Whoever made this share link may no longer read the document where it is now', code: 'MAKER_LOST_ACCESS' }),
    });
    const page = await opened(emils, 'text/html');
    expect(page.status).toBe(410);
    expect(page.text).toContain('Link no longer valid');
    expect(page.text).not.toContain('task notes');
    // Maya may read her own HR record (and is a manager): her link still serves.
    expect(await opened(mayas)).toEqual({ status: 200, text: 'task notes' });
    // The document's page says so: Emil's link (made first) does not serve there, Maya's does.
    expect(await listedServing(documentId)).toEqual([false, true]);

    // Emil may read his own HR record.
    await move(documentId, 'employee', EMILS_HR_RECORD);
    expect((await opened(emils)).status).toBe(200);
    await move(documentId, 'task', TASK);
    expect((await opened(emils)).status).toBe(200);
    expect(await listedServing(documentId)).toEqual([true, true]);
  });

  it('holds however the document moved, not only through moveDocument', async () => {
    const documentId = await taskDocument('moved behind our back');
    const emils = await share('emil.employee', documentId);
    await db.updateTable('documents.documents').set({ entity_type: 'employee', entity_id: MAYAS_HR_RECORD }).where('id', '=', documentId).execute();
    expect((await opened(emils)).status).toBe(410);
  });

  it('judges a course document by the maker’s role in that course, asked of academy', async () => {
    const documentId = await taskDocument('lab safety');
    const taras = await share('tara.teacher', documentId);
    const emils = await share('emil.employee', documentId);
    await move(documentId, 'course', PHY101);
    expect(await opened(taras)).toEqual({ status: 200, text: 'lab safety' });
    expect((await opened(emils)).status).toBe(410);
    await move(documentId, 'course', MAT201);
    expect((await opened(taras)).status).toBe(410);
  });

  it('keeps a link made before its maker’s roles were kept serving only where its document was', async () => {
    const documentId = await taskDocument('older link');
    const url = await share('emil.employee', documentId);
    // As links made before the roles were kept: none recorded, then pinned by the migration's own step.
    await db.updateTable('documents.share_links').set({ created_by_roles: null }).where('document_id', '=', documentId).execute();
    await pinLegacyShareLinks(db);
    expect(await opened(url)).toEqual({ status: 200, text: 'older link' });

    // Moved even where its maker could read (another task): the maker cannot be judged, so it stops.
    await move(documentId, 'task', OTHER_TASK);
    expect((await opened(url)).status).toBe(410);
    expect(JSON.parse((await opened(url)).text).code).toBe('LEFT_PINNED_RECORD');
    await move(documentId, 'employee', MAYAS_HR_RECORD);
    expect((await opened(url)).status).toBe(410);
    await move(documentId, 'task', TASK);
    expect(await opened(url)).toEqual({ status: 200, text: 'older link' });
  });

  it('says why each link does not serve, one stable code each', async () => {
    const documentId = await taskDocument('reasons');
    await share('emil.employee', documentId); // his access is lost with the move below
    await share('maya.manager', documentId); // hers is not
    const revoked = await share('admin', documentId);
    const expired = await share('admin', documentId);
    const pinned = await share('emil.employee', documentId);
    const idOf = async (url: string) =>
      (
        await db
          .selectFrom('documents.share_links')
          .select('id')
          .where('token_hash', '=', ShareTokens.hash(url.split('/').pop()!))
          .executeTakeFirstOrThrow()
      ).id;
    const revokedId = await idOf(revoked);
    const { body } = await docs.call('admin', 'mutation($id: ID!) { revokeShareLink(id: $id) { id } }', { id: revokedId });
    expect(body.errors).toBeUndefined();
    await db
      .updateTable('documents.share_links')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('id', '=', await idOf(expired))
      .execute();
    // As a link made before the roles were kept, pinned by the migration to the task.
    await db
      .updateTable('documents.share_links')
      .set({ created_by_roles: null })
      .where('id', '=', await idOf(pinned))
      .execute();
    await pinLegacyShareLinks(db);
    expect(await listedStatus(documentId)).toEqual(['SERVING', 'SERVING', 'REVOKED', 'EXPIRED', 'SERVING']);

    await move(documentId, 'employee', MAYAS_HR_RECORD);
    expect(await listedStatus(documentId)).toEqual(['MAKER_LOST_ACCESS', 'SERVING', 'REVOKED', 'EXPIRED', 'LEFT_PINNED_RECORD']);
    expect(await listedServing(documentId)).toEqual([false, true, false, false, false]);
    // The links themselves say the same, as a stable code.
    for (const [url, code] of [
      [revoked, 'REVOKED'],
      [expired, 'EXPIRED'],
      [pinned, 'LEFT_PINNED_RECORD'],
    ]) {
      const answer = await opened(url!);
      expect([answer.status, JSON.parse(answer.text).code]).toEqual([410, code]);
    }
  });

  it('asks to try again, never a server error, when academy cannot say whether the maker is in the course', async () => {
    const documentId = await taskDocument('course handout');
    const taras = await share('tara.teacher', documentId);
    await move(documentId, 'course', PHY101);
    await docs.platform.stopSubgraph('academy'); // the last test: academy stays down
    expect(await opened(taras)).toEqual({ status: 503, text: JSON.stringify({ error: 'This share link cannot be checked right now: try again shortly', code: 'CANNOT_TELL' }) });
    // Listed (to an admin, who needs no academy to see it): neither serving nor not, but cannot tell.
    expect(await listedStatus(documentId)).toEqual(['CANNOT_TELL']);
    expect(await listedServing(documentId)).toEqual([null]);
  });
});
