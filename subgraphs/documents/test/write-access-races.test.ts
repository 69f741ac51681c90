/**
 * Write access is judged on the record a document is attached to, then the
 * write is made: a move committed in between must not let the write land on
 * a record the caller may not change. Here the test holds the document's row
 * locked (as a moveDocument mid-transaction would), lets the caller's
 * mutation pass its access check and wait on the lock, moves the document to
 * Maya's HR record (where Emil may not write) and commits: Emil is refused,
 * and nothing of his is written.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';
import { whileRowHeld } from './held-row.js';

let docs: DocumentsPlatform;
beforeAll(async () => {
  docs = await startDocumentsPlatform();
});
afterAll(() => docs?.stop());

const TASK = DEMO_ERP.tasks[1].id;
const OTHER_TASK = DEMO_ERP.tasks[2].id;
const HR_RECORD = '8'; // Maya's employee record: managers may change its documents, employees may not
const FIELDS = 'id filename entityType entityId version isArchived';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** A task document of Maya's that Emil may change, in two versions. */
async function taskDocument(filename: string) {
  const document = await docs.uploadAs('maya.manager', { entityType: 'task', entityId: TASK, filename }, 'v1', FIELDS);
  await docs.uploadAs('maya.manager', { documentId: document.id }, 'v2', FIELDS);
  return document as { id: string };
}

const state = async (id: string) => (await docs.call('maya.manager', `{ document(id: "${id}") { ${FIELDS} deletedAt shareLinks { id } } }`)).body.data.document;

/** Runs `mutation` while the test holds the document's row; once it waits on the lock, moves the document to the HR record. */
async function racedByMove(id: string, mutation: () => Promise<{ body: { errors?: any[] } }>) {
  const answer = await whileRowHeld(docs.db, id, mutation, async (trx) => {
    await sql`update documents.documents set entity_type = 'employee', entity_id = ${HR_RECORD} where id = ${id}`.execute(trx);
  });
  return answer.body.errors?.[0]?.extensions?.code;
}

const REFUSED = ['CONFLICT', 'NOT_FOUND'];

it.each([
  ['updateDocument', (id: string) => `mutation { updateDocument(id: "${id}", input: { filename: "emil.txt" }) { id } }`],
  ['moveDocument', (id: string) => `mutation { moveDocument(id: "${id}", entityType: "task", entityId: "${OTHER_TASK}") { id } }`],
  ['archiveDocument', (id: string) => `mutation { archiveDocument(id: "${id}") { id } }`],
  ['deleteDocument', (id: string) => `mutation { deleteDocument(id: "${id}") { id } }`],
  ['createShareLink', (id: string) => `mutation { createShareLink(documentId: "${id}", expiresAt: "${inDays(3)}") { id } }`],
  ['restoreDocumentVersion', (id: string) => `mutation { restoreDocumentVersion(documentId: "${id}", version: 1) { id } }`],
])('%s: a move to where the caller may not write, between the check and the write, refuses the write', async (name, mutation) => {
  const document = await taskDocument(`${name}.txt`);
  const before = await state(document.id);
  const code = await racedByMove(document.id, () => docs.call('emil.employee', mutation(document.id)));
  expect(REFUSED).toContain(code);
  expect(await state(document.id)).toEqual({ ...before, entityType: 'employee', entityId: HR_RECORD });
});

it('restoreDocument: a move of the trashed document between the check and the write refuses the restore', async () => {
  const document = await taskDocument('restore.txt');
  expect((await docs.call('maya.manager', `mutation { deleteDocument(id: "${document.id}") { id } }`)).body.errors).toBeUndefined();
  const code = await racedByMove(document.id, () => docs.call('emil.employee', `mutation { restoreDocument(id: "${document.id}") { id } }`));
  expect(REFUSED).toContain(code);
  const [row] = (
    await sql<{ deleted: boolean; entity_type: string }>`select deleted_at is not null as deleted, entity_type from documents.documents where id = ${document.id}`.execute(docs.db)
  ).rows;
  expect(row).toEqual({ deleted: true, entity_type: 'employee' });
});
