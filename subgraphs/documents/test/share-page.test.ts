/**
 * A share link opened in a real browser (Debian's Chromium, headless, driven
 * by playwright-core): the password page, a wrong password, the download,
 * the rate limit after wrong passwords, and the page of a revoked or expired
 * link. API clients keep their JSON answers.
 */
import { readFile } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOCUMENTS } from '../demo-documents.js';
import { startDocumentsPlatform, type DocumentsPlatform } from './documents-platform.js';

let docs: DocumentsPlatform;
let browser: Browser;
beforeAll(async () => {
  docs = await startDocumentsPlatform();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await docs?.stop();
});

const BUDGET = DEMO_DOCUMENTS.find((document) => document.filename === 'equipment-budget.csv')!;
const PASSWORD = 'correct horse battery';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function share(password: string | null) {
  const { body } = await docs.call(
    'maya.manager',
    `mutation($id: ID!, $at: DateTime!, $password: String) {
    createShareLink(documentId: $id, expiresAt: $at, password: $password) { id url }
  }`,
    { id: BUDGET.id, at: inDays(2), password },
  );
  expect(body.errors).toBeUndefined();
  return { id: body.data.createShareLink.id as string, url: docs.onService(body.data.createShareLink.url) };
}

describe('share links in a browser', () => {
  it('asks for the password, says when it is wrong, and downloads the file with the right one', async () => {
    const link = await share(PASSWORD);
    const page = await browser.newPage();
    const first = await page.goto(link.url);
    expect(first!.status()).toBe(401);
    expect(await page.locator('h1').textContent()).toBe('Password required');
    expect(first!.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(await page.textContent('body')).not.toContain(BUDGET.filename); // nothing about the file before the password

    await page.fill('#password', 'not the password');
    const [wrong] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(wrong!.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Wrong password');

    await page.fill('#password', PASSWORD);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[type=submit]')]);
    expect(download.suggestedFilename()).toBe(BUDGET.filename);
    expect((await readFile((await download.path())!)).toString()).toBe(BUDGET.versions.at(-1)!.content);
    await page.close();

    // An API client gets JSON for the same request.
    const api = await fetch(link.url);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ passwordRequired: true });
  });

  it('applies the same wrong-password limit to the page', async () => {
    const link = await share(PASSWORD);
    const page = await browser.newPage();
    await page.goto(link.url);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await page.fill('#password', `wrong ${attempt}`);
      const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      expect(response!.status()).toBe(403);
    }
    await page.fill('#password', PASSWORD); // even the right one waits now
    const [limited] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(limited!.status()).toBe(429);
    expect(await page.locator('h1').textContent()).toBe('Too many attempts');
    expect(Number(limited!.headers()['retry-after'])).toBeGreaterThan(0);
    await page.close();
  });

  it('shows revoked, expired and unknown links as such', async () => {
    const revoked = await share(null);
    await docs.call('maya.manager', `mutation { revokeShareLink(id: "${revoked.id}") { id } }`);
    const expired = await share(PASSWORD);
    const { db } = docs;
    await db
      .updateTable('documents.share_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expired.id)
      .execute();
    const page = await browser.newPage();
    for (const [url, heading] of [
      [revoked.url, 'Link revoked'],
      [expired.url, 'Link expired'],
    ]) {
      const response = await page.goto(url!);
      expect(response!.status()).toBe(410);
      expect(await page.locator('h1').textContent()).toBe(heading);
      expect(await page.locator('form').count()).toBe(0);
    }
    const unknown = await page.goto(`${revoked.url.slice(0, -10)}AAAAAAAAAA`);
    expect(unknown!.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Link not found');
    await page.close();
  });
});
