/**
 * A document's share links on the course page, as the teacher who owns the
 * document manages them: links made earlier (by anyone who may change it) are
 * listed with their expiry, maker and downloads; one is copied and revoked,
 * and the revoked link stops working on the real share route. Made with the
 * keyboard, the Share form gives the focus back to its button when it closes.
 * A link whose document moved out of its maker's reach is marked as not
 * working, apart from revoked and expired ones. Only working links are
 * counted; the rest are listed apart, each with its own reason (an older
 * link pinned to a record is not its maker's access). With academy really
 * stopped, a link it must judge says its state cannot be told right now.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createKysely } from '../../platform/database/connection.js';
import { DEMO_ERP } from '../../platform/demo/demo-ids.js';
import type { DocumentsDatabase } from '../../subgraphs/documents/database.js';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();
const SYLLABUS = 'PHY101 syllabus.pdf';

async function syllabusId(): Promise<string> {
  const result = await stack.platform.query('tara.teacher', '{ course(id: "101") { documents { id filename } } }');
  const found = result.data.course.documents.find((doc: { filename: string }) => doc.filename === SYLLABUS);
  expect(found, 'the demo syllabus of course 101').toBeTruthy();
  return found.id;
}

async function createLink(username: string, documentId: string, days: number): Promise<{ id: string; url: string; expiresAt: string }> {
  const created = await stack.platform.query(
    username,
    'mutation($documentId: ID!, $expiresAt: DateTime!) { createShareLink(documentId: $documentId, expiresAt: $expiresAt) { id url expiresAt } }',
    { documentId, expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() },
  );
  expect(created.errors).toBeUndefined();
  return created.data.createShareLink;
}

/** A new document on a demo task (Maya's upload), which an employee like Emil may read and share. */
async function taskDocument(filename: string): Promise<string> {
  const bytes = Buffer.from('task notes');
  const requested = await stack.platform.query('maya.manager', 'mutation($input: RequestDocumentUploadInput!) { requestDocumentUpload(input: $input) { uploadId uploadUrl } }', {
    input: { entityType: 'task', entityId: DEMO_ERP.tasks[1].id, filename, size: bytes.length },
  });
  expect(requested.errors).toBeUndefined();
  const ticket = requested.data.requestDocumentUpload;
  expect((await fetch(new URL(ticket.uploadUrl, stack.origin), { method: 'PUT', body: bytes })).status).toBe(200);
  const completed = await stack.platform.query('maya.manager', 'mutation($id: ID!) { completeDocumentUpload(uploadId: $id) { id } }', { id: ticket.uploadId });
  expect(completed.errors).toBeUndefined();
  return completed.data.completeDocumentUpload.id;
}

const focused = (page: Page) => page.evaluate(() => `${document.activeElement?.tagName.toLowerCase()} ${document.activeElement?.textContent?.trim() ?? ''}`.trim());

describe('share links of a course document', { timeout: 180_000 }, () => {
  it('lists the links made earlier, copies one and revokes it, after which the link answers 410', async () => {
    const documentId = await syllabusId();
    const link = await createLink('admin', documentId, 3);
    expect((await fetch(link.url)).status).toBe(200); // one download through the link

    const context = await stack.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.origin });
    const page = await context.newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const doc = page.getByTestId('documents').locator('li', { hasText: SYLLABUS }).first();
    await doc.getByRole('button', { name: /^Share links/ }).click();
    const row = doc.locator(`[data-share-link-id="${link.id}"]`);
    await row.waitFor();
    await expect.poll(() => row.innerText()).toContain('Asha Rao');
    expect(await row.innerText()).toContain('1 download');
    expect(await row.locator('time').first().getAttribute('datetime')).toBe(new Date(link.expiresAt).toISOString());

    await row.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(link.url);
    await expect.poll(() => row.innerText()).toContain('Copied');

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.innerText()).toContain('Revoked');
    expect(await row.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Copy link' }).count()).toBe(0);
    expect((await fetch(link.url)).status).toBe(410);
  });

  it('creates a link with the keyboard, lists it, and gives the focus back to Share when the form closes', async () => {
    await syllabusId();
    const page = await (await stack.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const doc = page.getByTestId('documents').locator('li', { hasText: SYLLABUS }).first();
    await doc.getByRole('button', { name: `Share ${SYLLABUS}`, exact: true }).focus();
    await page.keyboard.press('Enter');
    // Into the form it opened...
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent)).toBe('Expires in (days)');
    await page.keyboard.press('Enter');
    const url = await doc.getByTestId('share-url').innerText();
    expect((await fetch(url)).status).toBe(200);
    // ...and back to the button that opened it when it closes on success.
    await expect.poll(() => focused(page)).toBe('button Share');

    // Closed without making a link (Escape): the focus is back on Share as well.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent)).toBe('Expires in (days)');
    await page.keyboard.press('Escape');
    await doc.getByLabel('Expires in (days)').waitFor({ state: 'detached' });
    await expect.poll(() => focused(page)).toBe('button Share');

    // The new link is in the list, made by the teacher.
    await doc.getByRole('button', { name: /^Share links/ }).click();
    const row = doc.locator('[data-share-link-id]', { hasText: 'Tara Iyer' }).first();
    await row.waitFor();
    expect(await row.innerText()).toContain('1 download'); // the fetch above
  });

  it("reads each link's maker with the link, and says so when an old link's maker was never recorded", async () => {
    const documentId = await syllabusId();
    const named = await createLink('admin', documentId, 5);
    const old = await createLink('admin', documentId, 6);
    // A link from before makers were kept, whose activity entry is gone.
    // (The platform's own pool for this database: not to be ended here.)
    await createKysely<DocumentsDatabase>(stack.platform.database.url).updateTable('documents.share_links').set({ created_by_user: null }).where('id', '=', old.id).execute();

    const context = await stack.newContext({ viewport: { width: 1280, height: 900 } });
    const queries: string[] = [];
    context.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql' && request.method() === 'POST') queries.push(request.postData() ?? '');
    });
    const page = await context.newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const doc = page.getByTestId('documents').locator('li', { hasText: SYLLABUS }).first();
    await doc.getByRole('button', { name: /^Share links/ }).waitFor();
    const before = queries.length;
    await doc.getByRole('button', { name: /^Share links/ }).click();
    const oldRow = doc.locator(`[data-share-link-id="${old.id}"]`);
    await oldRow.waitFor();
    expect(await doc.locator(`[data-share-link-id="${named.id}"]`).innerText()).toContain('by Asha Rao');
    expect(await oldRow.innerText()).toContain('(maker not recorded)');
    // One request, which does not page through the document's activity.
    const opened = queries.slice(before);
    expect(opened).toHaveLength(1);
    expect(opened[0]).not.toContain('activity');
  });

  it("marks a link whose document moved out of its maker's reach as not working, apart from revoked and expired", async () => {
    const filename = `moved-notes-${Date.now()}.txt`;
    const documentId = await taskDocument(filename);
    const emils = await createLink('emil.employee', documentId, 4);
    const admins = await createLink('admin', documentId, 4);
    // Into PHY101, whose documents Emil (not in the course) may not read: his link stops, the admin's goes on.
    const moved = await stack.platform.query('admin', 'mutation($id: ID!) { moveDocument(id: $id, entityType: "course", entityId: "101") { id } }', { id: documentId });
    expect(moved.errors).toBeUndefined();
    expect((await fetch(emils.url)).status).toBe(410);

    const page = await (await stack.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const doc = page.getByTestId('documents').locator('li', { hasText: filename }).first();
    await doc.getByRole('button', { name: /^Share links/ }).click();
    const emilsRow = doc.locator(`[data-share-link-id="${emils.id}"]`);
    await emilsRow.waitFor();
    await expect.poll(() => emilsRow.innerText()).toContain('Its maker can no longer see this document here.');
    expect(await emilsRow.locator('.badge').innerText()).toBe('Not working');
    expect(await emilsRow.innerText()).not.toMatch(/Revoked|Expired/);
    const adminsRow = doc.locator(`[data-share-link-id="${admins.id}"]`);
    expect(await adminsRow.innerText()).toContain('Until');
    expect(await adminsRow.innerText()).not.toContain('Not working');
  });

  it('counts only working links, and shows the others apart, each with its true reason', async () => {
    const filename = `reasons-${Date.now()}.txt`;
    const documentId = await taskDocument(filename);
    const emils = await createLink('emil.employee', documentId, 4);
    const working = await createLink('admin', documentId, 4);
    const revoked = await createLink('admin', documentId, 4);
    const expired = await createLink('admin', documentId, 4);
    const pinned = await createLink('emil.employee', documentId, 4);
    const revokedNow = await stack.platform.query('admin', 'mutation($id: ID!) { revokeShareLink(id: $id) { id } }', { id: revoked.id });
    expect(revokedNow.errors).toBeUndefined();
    // (The platform's own pool for this database: not to be ended here.)
    const db = createKysely<DocumentsDatabase>(stack.platform.database.url);
    await db
      .updateTable('documents.share_links')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('id', '=', expired.id)
      .execute();
    // A link from before makers were kept: pinned to the task the document is on, as the migration pins them.
    await db
      .updateTable('documents.share_links')
      .set({ created_by_roles: null, legacy_attachment: `task:${DEMO_ERP.tasks[1].id}` })
      .where('id', '=', pinned.id)
      .execute();
    const moved = await stack.platform.query('admin', 'mutation($id: ID!) { moveDocument(id: $id, entityType: "course", entityId: "101") { id } }', { id: documentId });
    expect(moved.errors).toBeUndefined();

    const page = await (await stack.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const doc = page.getByTestId('documents').locator('li', { hasText: filename }).first();
    const button = doc.getByRole('button', { name: /^Share links/ });
    // One link of five works: the count says one, and the rest are told apart by why.
    await expect.poll(() => button.innerText()).toBe('Share links (1)');
    const apart = doc.getByTestId('share-links-not-working');
    expect(await apart.innerText()).toBe('1 revoked · 1 expired · 2 not working');

    await button.click();
    const workingList = doc.getByRole('list', { name: `Working share links of ${filename}` });
    await workingList.waitFor();
    expect(await workingList.locator('[data-share-link-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-share-link-id')))).toEqual([working.id]);
    const otherList = doc.getByRole('list', { name: `Share links of ${filename} that no longer work` });
    expect(await otherList.locator('[data-share-link-id]').count()).toBe(4);
    const row = (link: { id: string }) => otherList.locator(`[data-share-link-id="${link.id}"]`);
    expect(await row(revoked).innerText()).toContain('Revoked');
    expect(await row(expired).innerText()).toContain('Expired');
    expect(await row(emils).innerText()).toContain('Its maker can no longer see this document here.');
    // The older link's own reason, not its maker's access (which was never recorded).
    expect(await row(pinned).innerText()).toContain('An older link: it opens the document only where it was when it was made, and the document has moved since.');
    expect(await row(pinned).innerText()).not.toContain('Its maker');
  });

  it('shows a student neither Share nor Upload', async () => {
    const page = await (await stack.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await stack.signIn(page, 'sam.student', '/app/courses/101');
    const doc = page.getByTestId('documents').locator('li', { hasText: SYLLABUS }).first();
    await doc.waitFor();
    expect(await doc.getByRole('button', { name: /^Share/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Upload', exact: true }).count()).toBe(0);
  });

  // The last test: academy is stopped in it, and started again after.
  it("says a link's state cannot be told while academy, which knows its maker's course role, is down", async () => {
    const filename = `outage-${Date.now()}.txt`;
    const documentId = await taskDocument(filename);
    const moved = await stack.platform.query('admin', 'mutation($id: ID!) { moveDocument(id: $id, entityType: "course", entityId: "101") { id } }', { id: documentId });
    expect(moved.errors).toBeUndefined();
    const taras = await createLink('tara.teacher', documentId, 4);

    // The administrator needs no academy to see the document; Tara's link needs it to be judged.
    const page = await (await stack.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await stack.signIn(page, 'admin', '/app/courses/101');
    const doc = page.getByTestId('documents').locator('li', { hasText: filename }).first();
    await doc.getByRole('button', { name: /^Share links/ }).waitFor();
    await stack.platform.stopSubgraph('academy');
    try {
      expect((await fetch(taras.url)).status).toBe(503);
      await doc.getByRole('button', { name: /^Share links/ }).click();
      const row = doc.locator(`[data-share-link-id="${taras.id}"]`);
      await row.waitFor();
      expect(await row.locator('.badge').innerText()).toBe('Cannot tell right now');
      expect(await row.innerText()).toContain('whether it works: part of the service is not answering.');
      expect(await row.innerText()).not.toMatch(/Not working|Revoked|Expired/);
      // Nor counted as working, nor as not: told apart. Her name, which academy gives, cannot be read now either.
      expect(await doc.getByRole('list', { name: `Working share links of ${filename}` }).count()).toBe(0);
      expect(await row.innerText()).toContain("(its maker's name cannot be read right now)");
    } finally {
      await stack.platform.restartSubgraph('academy');
    }
  });
});
