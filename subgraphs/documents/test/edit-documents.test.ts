/**
 * Changing documents after upload: rename, tags (case-insensitive),
 * category, description, moving to another record; new versions that name
 * the version they replace; the activity trail of all of it; share links
 * that stay revoked after the trash; and every list a page at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ERP } from '../../../platform/demo/demo-ids.js';
import { DEMO_DOCUMENTS } from '../demo-documents.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
beforeAll(async () => {
  docs = await startDocumentsPlatform();
});
afterAll(() => docs?.stop());

const TASK = DEMO_ERP.tasks[1].id;
const OTHER_TASK = DEMO_ERP.tasks[2].id;
const SYLLABUS = DEMO_DOCUMENTS.find((document) => document.filename === 'PHY101 syllabus.pdf')!;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const FIELDS = 'id filename tags category description entityType entityId version';

const put = async (url: string, text: string) => expect((await docs.putBytes(url, text)).status).toBe(200);
const complete = (who: string, uploadId: string) => docs.completeAs(who, uploadId, FIELDS);
const upload = (who: string, filename: string, text: string, extra: Record<string, unknown> = {}) =>
  docs.uploadAs(who, { entityType: 'task', entityId: TASK, filename, ...extra }, text, FIELDS);

const UPDATE = `mutation($id: ID!, $input: UpdateDocumentInput!) { updateDocument(id: $id, input: $input) { ${FIELDS} } }`;
const MOVE = `mutation($id: ID!, $type: String!, $entity: ID!) { moveDocument(id: $id, entityType: $type, entityId: $entity) { ${FIELDS} } }`;
const ACTIVITY = `query($id: ID!, $first: Int, $after: String) { document(id: $id) { activity(first: $first, after: $after) {
  edges { cursor node { action actor { id } version restoredFrom shareLinkId changes { field from to } } } pageInfo { hasNextPage endCursor }
} } }`;

describe('updateDocument and moveDocument', () => {
  it('renames, re-tags, re-categorises and describes; tags are told apart without regard to case', async () => {
    const document = await upload('maya.manager', 'draft.txt', 'first draft', { tags: ['Budget', 'budget', 'Q3'], category: 'report' });
    expect(document.tags).toEqual(['Budget', 'Q3']);
    const { body } = await docs.call('emil.employee', UPDATE, {
      id: document.id,
      input: { filename: '../final.txt', tags: ['Final', 'FINAL', 'q3'], category: null, description: 'Signed off.\nBy Emil' },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.updateDocument).toMatchObject({ filename: 'final.txt', tags: ['Final', 'q3'], category: null, description: 'Signed off.\nBy Emil', version: 1 });
    const byTag = await docs.call('maya.manager', `{ documents(tag: "fInAl") { id } }`);
    expect(byTag.body.data.documents).toEqual([{ id: document.id }]);
    // Left out: unchanged.
    const renamedOnly = await docs.call('maya.manager', UPDATE, { id: document.id, input: { filename: 'final v2.txt' } });
    expect(renamedOnly.body.data.updateDocument).toMatchObject({ filename: 'final v2.txt', tags: ['Final', 'q3'], description: 'Signed off.\nBy Emil' });
  });

  it('refuses callers who may not change the document, other companies and bad input, changing nothing', async () => {
    const document = await upload('maya.manager', 'keep.txt', 'keep me');
    const student = await docs.call('sam.student', UPDATE, { id: document.id, input: { filename: 'x.txt' } });
    expect(student.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND'); // students cannot even read task documents
    const foreign = await docs.call('globex.admin', UPDATE, { id: document.id, input: { filename: 'x.txt' } });
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const cleared = await docs.call('maya.manager', UPDATE, { id: document.id, input: { filename: null } });
    expect(cleared.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooLong = await docs.call('maya.manager', UPDATE, { id: document.id, input: { description: 'x'.repeat(2001) } });
    expect(tooLong.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const after = await docs.call('maya.manager', `{ document(id: "${document.id}") { filename description } }`);
    expect(after.body.data.document).toEqual({ filename: 'keep.txt', description: null });
  });

  it('moves a document to another record of the company, and only there', async () => {
    const document = await upload('maya.manager', 'move-me.txt', 'moving');
    const moved = await docs.call('maya.manager', MOVE, { id: document.id, type: 'project', entity: DEMO_ERP.projects[1].id });
    expect(moved.body.errors).toBeUndefined();
    expect(moved.body.data.moveDocument).toMatchObject({ entityType: 'project', entityId: DEMO_ERP.projects[1].id });
    const listed = await docs.call('maya.manager', `{ documents(entityType: "project", entityId: "${DEMO_ERP.projects[1].id}") { id } }`);
    expect(listed.body.data.documents.map((d: any) => d.id)).toContain(document.id);
    for (const [type, entity, code] of [
      ['task', DEMO_ERP.tasks[3].id, 'NOT_FOUND'], // globex's task
      ['quote', '0b0e00ff-0000-4000-8000-0000000000ff', 'NOT_FOUND'],
      ['course', '101', 'FORBIDDEN'], // a manager who does not teach the course
      ['planet', 'x', 'BAD_USER_INPUT'],
    ]) {
      const refused = await docs.call('maya.manager', MOVE, { id: document.id, type, entity });
      expect(refused.body.errors?.[0]?.extensions?.code, `${type} ${entity}`).toBe(code);
    }
    const still = await docs.call('maya.manager', `{ document(id: "${document.id}") { entityType entityId } }`);
    expect(still.body.data.document).toEqual({ entityType: 'project', entityId: DEMO_ERP.projects[1].id });
  });
});

describe('new versions name the version they replace', () => {
  it('refuses the second of two concurrent uploaders with CONFLICT, and a stale replacesVersion at once', async () => {
    const document = await upload('maya.manager', 'plan.txt', 'v1');
    const first = (await docs.requestUpload('maya.manager', { documentId: document.id, size: 2, replacesVersion: 1 })).body.data.requestDocumentVersionUpload;
    const second = (await docs.requestUpload('emil.employee', { documentId: document.id, size: 2 })).body.data.requestDocumentVersionUpload;
    await put(first.uploadUrl, 'v2');
    await put(second.uploadUrl, 'v3');
    expect((await complete('maya.manager', first.uploadId)).body.data.completeDocumentUpload.version).toBe(2);
    const lost = await complete('emil.employee', second.uploadId);
    expect(lost.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(lost.body.errors?.[0]?.message).toContain('version 2 is current');
    const stale = await docs.requestUpload('emil.employee', { documentId: document.id, size: 2, replacesVersion: 1 });
    expect(stale.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const current = await docs.requestUpload('emil.employee', { documentId: document.id, size: 2, replacesVersion: 2 });
    expect(current.body.errors).toBeUndefined();
    const versions = await docs.call('maya.manager', `{ document(id: "${document.id}") { version versions { version } } }`);
    expect(versions.body.data.document).toEqual({ version: 2, versions: [{ version: 2 }, { version: 1 }] });
  });

  it('judges a version’s uploader by where the document is at completion: moved where they may not write, refused', async () => {
    const document = await upload('maya.manager', 'payslip.txt', 'v1');
    // Emil may change task documents, so he gets a ticket; then the document moves to Maya's HR record, where he may not.
    const ticketed = (await docs.requestUpload('emil.employee', { documentId: document.id, size: 2 })).body.data.requestDocumentVersionUpload;
    await put(ticketed.uploadUrl, 'v2');
    expect((await docs.call('maya.manager', MOVE, { id: document.id, type: 'employee', entity: '8' })).body.errors).toBeUndefined();
    const direct = await docs.requestUpload('emil.employee', { documentId: document.id, size: 2 });
    expect(direct.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND'); // through GraphQL now: he cannot even see it
    const late = await complete('emil.employee', ticketed.uploadId);
    expect(late.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const after = await docs.call('maya.manager', `{ document(id: "${document.id}") { version entityType } }`);
    expect(after.body.data.document).toEqual({ version: 1, entityType: 'employee' });
  });
});

describe('activity trail and share links after the trash', () => {
  it('records who did what, newest first, for those who manage the document; restored documents keep their links revoked', async () => {
    const document = await upload('maya.manager', 'contract.txt', 'terms');
    await docs.call('emil.employee', UPDATE, { id: document.id, input: { filename: 'contract-signed.txt' } });
    await docs.call('maya.manager', UPDATE, { id: document.id, input: { tags: ['legal'] } });
    await docs.call('maya.manager', MOVE, { id: document.id, type: 'task', entity: OTHER_TASK });
    const link = (
      await docs.call('maya.manager', `mutation($id: ID!, $at: DateTime!) { createShareLink(documentId: $id, expiresAt: $at) { id url } }`, {
        id: document.id,
        at: inDays(3),
      })
    ).body.data.createShareLink;
    expect((await fetch(docs.onService(link.url))).status).toBe(200);
    await docs.call('maya.manager', `mutation { deleteDocument(id: "${document.id}") { id } }`);
    await docs.call('maya.manager', `mutation { restoreDocument(id: "${document.id}") { id } }`);

    // The link died with the trash and the restore did not revive it.
    expect((await fetch(docs.onService(link.url))).status).toBe(410);
    const links = await docs.call('maya.manager', `{ document(id: "${document.id}") { shareLinks { id revokedAt } } }`);
    expect(links.body.data.document.shareLinks[0].revokedAt).not.toBeNull();

    const { body } = await docs.call('maya.manager', ACTIVITY, { id: document.id, first: 20 });
    expect(body.errors).toBeUndefined();
    const entries = body.data.document.activity.edges.map((edge: any) => edge.node);
    const byAction = Object.fromEntries(entries.map((entry: any) => [entry.action, entry]));
    expect(entries.map((entry: any) => entry.action)).toEqual(['restored', 'trashed', 'share_revoked', 'downloaded', 'shared', 'moved', 'updated', 'renamed', 'uploaded']);
    expect(byAction.uploaded).toMatchObject({ actor: { id: '8' }, version: 1 });
    expect(byAction.renamed).toMatchObject({ actor: { id: '9' }, changes: [{ field: 'filename', from: 'contract.txt', to: 'contract-signed.txt' }] });
    expect(byAction.updated.changes).toEqual([{ field: 'tags', from: '', to: 'legal' }]);
    expect(byAction.moved.changes).toEqual([{ field: 'entity', from: `task:${TASK}`, to: `task:${OTHER_TASK}` }]);
    expect(byAction.downloaded).toMatchObject({ actor: null, shareLinkId: link.id });
    expect(byAction.shared.shareLinkId).toBe(link.id);

    // Paged: two at a time gives the same entries.
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await docs.call('maya.manager', ACTIVITY, { id: document.id, first: 2, after })).body.data.document.activity;
      paged.push(...page.edges.map((edge: any) => edge.node.action));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(entries.map((entry: any) => entry.action));
  });

  it('shows no activity to those who only read the document', async () => {
    const { body } = await docs.call('sam.student', `{ document(id: "${SYLLABUS.id}") { filename activity { edges { node { action } } } } }`);
    expect(body.data.document).toEqual({ filename: SYLLABUS.filename, activity: { edges: [] } });
  });
});

describe('cursor pagination', () => {
  const PAGE = `query($first: Int, $after: String) { documentsConnection(first: $first, after: $after, includeArchived: true) {
    edges { cursor node { id } } pageInfo { hasNextPage endCursor }
  } }`;

  it('pages through documents, versions, share links and the trash without gaps or repeats', async () => {
    const all = (await docs.call('admin', `{ documents(includeArchived: true, limit: 500) { id } }`)).body.data.documents.map((d: any) => d.id);
    expect(all.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const { body }: { body: any } = await docs.call('admin', PAGE, { first: 3, after });
      expect(body.errors).toBeUndefined();
      seen.push(...body.data.documentsConnection.edges.map((edge: any) => edge.node.id));
      after = body.data.documentsConnection.pageInfo.hasNextPage ? body.data.documentsConnection.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all);

    const document = await upload('maya.manager', 'many.txt', 'v1');
    for (const version of [1, 2, 3]) {
      const next = (await docs.requestUpload('maya.manager', { documentId: document.id, size: 2, replacesVersion: version })).body.data.requestDocumentVersionUpload;
      await put(next.uploadUrl, `v${version + 1}`);
      await complete('maya.manager', next.uploadId);
    }
    const versions = `query($id: ID!, $after: String) { document(id: $id) { versionsConnection(first: 3, after: $after) { edges { node { version } } pageInfo { hasNextPage endCursor } } } }`;
    const one = (await docs.call('maya.manager', versions, { id: document.id })).body.data.document.versionsConnection;
    expect(one.edges.map((edge: any) => edge.node.version)).toEqual([4, 3, 2]);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = (await docs.call('maya.manager', versions, { id: document.id, after: one.pageInfo.endCursor })).body.data.document.versionsConnection;
    expect(two).toEqual({ edges: [{ node: { version: 1 } }], pageInfo: { hasNextPage: false, endCursor: two.pageInfo.endCursor } });

    for (let i = 0; i < 3; i += 1) {
      await docs.call('maya.manager', `mutation($id: ID!, $at: DateTime!) { createShareLink(documentId: $id, expiresAt: $at) { id } }`, { id: document.id, at: inDays(i + 1) });
    }
    const links = `query($id: ID!, $after: String) { document(id: $id) { shareLinks { id } shareLinksConnection(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`;
    const firstLinks = (await docs.call('maya.manager', links, { id: document.id })).body.data.document;
    const restLinks = (await docs.call('maya.manager', links, { id: document.id, after: firstLinks.shareLinksConnection.pageInfo.endCursor })).body.data.document;
    expect([...firstLinks.shareLinksConnection.edges, ...restLinks.shareLinksConnection.edges].map((edge: any) => edge.node.id)).toEqual(
      firstLinks.shareLinks.map((l: any) => l.id),
    );

    const trashed = [await upload('maya.manager', 't1.txt', 'a'), await upload('maya.manager', 't2.txt', 'b'), await upload('maya.manager', 't3.txt', 'c')];
    for (const item of trashed) await docs.call('maya.manager', `mutation { deleteDocument(id: "${item.id}") { id } }`);
    const trash = `query($after: String) { trashedDocumentsConnection(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
    const t1 = (await docs.call('maya.manager', trash, {})).body.data.trashedDocumentsConnection;
    const t2 = (await docs.call('maya.manager', trash, { after: t1.pageInfo.endCursor })).body.data.trashedDocumentsConnection;
    const fullTrash = (await docs.call('maya.manager', '{ trashedDocuments { id } }')).body.data.trashedDocuments.map((d: any) => d.id);
    expect([...t1.edges, ...t2.edges].map((edge: any) => edge.node.id)).toEqual(fullTrash.slice(0, 4));
  });

  it('refuses cursors it did not make and page sizes out of range', async () => {
    for (const variables of [{ after: 'garbage' }, { after: Buffer.from('[1,2]').toString('base64url') }, { first: 0 }, { first: 501 }]) {
      const { body } = await docs.call('admin', PAGE, variables);
      expect(body.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
  });
});
