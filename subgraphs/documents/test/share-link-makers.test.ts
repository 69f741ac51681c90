/**
 * A share link names its maker as a User (`createdBy`, resolved by academy
 * through federation): links made now store the maker's Moodle id; links made
 * before get it from the activity entry that recorded them, and stay without
 * one (null, still listed) where the log has none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../platform/demo/demo-ids.js';
import { DEMO_DOCUMENTS } from '../demo-documents.js';
import { backfillShareLinkMakers } from '../migrations/share-link-makers.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
let db: DocumentsPlatform['db'];
beforeAll(async () => {
  docs = await startDocumentsPlatform();
  db = docs.db;
});
afterAll(() => docs?.stop());

const BUDGET = DEMO_DOCUMENTS.find((document) => document.filename === 'equipment-budget.csv')!;
const MAYA = DEMO_USERS.find((user) => user.username === 'maya.manager')!;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const SHARE = 'mutation($id: ID!, $at: DateTime!) { createShareLink(documentId: $id, expiresAt: $at) { id createdBy { id } } }';
const LINKS = `{ document(id: "${BUDGET.id}") { shareLinks { id createdBy { id } } } }`;

async function makers(): Promise<Record<string, string | null>> {
  const listed = await docs.call('maya.manager', LINKS);
  expect(listed.body.errors).toBeUndefined();
  return Object.fromEntries(listed.body.data.document.shareLinks.map((link: { id: string; createdBy: { id: string } | null }) => [link.id, link.createdBy?.id ?? null]));
}

describe('share link makers', () => {
  it('names the maker of a new link by the User id', async () => {
    const created = await docs.call('maya.manager', SHARE, { id: BUDGET.id, at: inDays(2) });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createShareLink.createdBy).toEqual({ id: MAYA.id });
    expect((await makers())[created.body.data.createShareLink.id]).toBe(MAYA.id);
  });

  it('finds the maker of a link made before from its activity entry, and leaves one the log never named unknown', async () => {
    const recorded = (await docs.call('maya.manager', SHARE, { id: BUDGET.id, at: inDays(3) })).body.data.createShareLink.id;
    const unrecorded = (await docs.call('maya.manager', SHARE, { id: BUDGET.id, at: inDays(4) })).body.data.createShareLink.id;
    // As the migration found them: no maker on the link; only the first named in the activity log.
    await db.updateTable('documents.share_links').set({ created_by_user: null }).where('id', 'in', [recorded, unrecorded]).execute();
    await db
      .deleteFrom('documents.document_activity')
      .where('action', '=', 'shared')
      .where(({ eb, ref }) => eb(ref('details', '->>').key('shareLinkId'), '=', unrecorded))
      .execute();
    expect(await makers()).toMatchObject({ [recorded]: null, [unrecorded]: null });

    await backfillShareLinkMakers(db);
    expect(await makers()).toMatchObject({ [recorded]: MAYA.id, [unrecorded]: null });
  });

  it("lists another company's links for no one", async () => {
    const created = (await docs.call('maya.manager', SHARE, { id: BUDGET.id, at: inDays(1) })).body.data.createShareLink.id;
    const outsider = await docs.call('globex.admin', LINKS);
    expect(JSON.stringify(outsider.body)).not.toContain(created);
  });
});
