/**
 * The web client as a keyboard and screen-reader user meets it: where the
 * focus goes after a navigation and after a control that disappears (Join
 * Now, Leave, Cancel class, Revoke), what the page says in its log region
 * (a class's new status, an upload's progress, saving), what it shows while
 * a slow answer is on its way, and how the API's error codes read. Classes
 * are scheduled relative to now, so nothing depends on the hour or the date.
 */
import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { said } from './browser-session.js';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const COURSE = 'Physics 101: Mechanics';

async function scheduleClass(title: string, inMinutes: number): Promise<string> {
  const scheduled = await stack.platform.query('tara.teacher', 'mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id } }', {
    input: { courseId: '101', title, scheduledAt: new Date(Date.now() + inMinutes * 60_000).toISOString() },
  });
  expect(scheduled.errors).toBeUndefined();
  return scheduled.data.scheduleLiveClass.id;
}

/** The focused element: its tag, and its accessible text or name. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return `${element?.tagName.toLowerCase()} ${element?.getAttribute('aria-label') ?? element?.textContent?.trim().slice(0, 60) ?? ''}`;
  });

/** What the page's log region has said (the latest few lines). */

/** Presses Enter on a control, as a keyboard user does. */
async function press(page: Page, locator: ReturnType<Page['locator']>) {
  await locator.focus();
  await page.keyboard.press('Enter');
}

/** The operation a request to /graphql runs, by name (`query Week(`…). */
const runs = (route: Route, operation: string) => (route.request().postData() ?? '').includes(`${operation}(`) || (route.request().postData() ?? '').includes(`${operation} {`);

describe('keyboard and screen reader', { timeout: 180_000 }, () => {
  it('moves the focus to the new page’s heading after each navigation, and names the tab after it', async () => {
    const page = await (await stack.newContext(DESKTOP)).newPage();
    // Sign-in (keyboard only) ends in a navigation to the courses.
    await stack.signIn(page, 'tara.teacher', '/app/');
    await expect.poll(() => focused(page)).toBe('h1 Courses');
    await press(page, page.getByRole('link', { name: COURSE }));
    // The course's heading waits for its data; the focus goes to it once it shows.
    await expect.poll(() => focused(page), { timeout: 30_000 }).toBe(`h1 ${COURSE}`);
    expect(await page.title()).toBe(`${COURSE} · Bheem Academy`);
    await press(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My week' }));
    await expect.poll(() => focused(page)).toBe('h1 My week');
  });

  it('keeps the focus on the class when Join Now, Leave or Cancel class disappear under it', async () => {
    const title = `Focus class ${Date.now()}`;
    // Within a teacher's join window (60 min ahead), whatever the hour.
    const id = await scheduleClass(title, 30);
    // The LiveKit double is no media server: joining fails there, as the page says; only focus is tested here.
    const livekitWs = stack.livekit.url.replace(/^http/, 'ws');
    const fromJoining = (text: string) => text.includes(livekitWs) || text.includes(stack.livekit.url) || /ERR_FAILED|ERR_INTERNET_DISCONNECTED/.test(text);
    const page = await (await stack.newContext(DESKTOP, fromJoining, [stack.livekit.url, livekitWs])).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const item = page.locator(`[data-testid=live-classes] li[data-class-id="${id}"]`);
    await press(page, item.getByRole('button', { name: 'Join Now' }));
    await expect.poll(() => focused(page)).toBe(`div Room of ${title}`);
    await press(page, item.getByRole('button', { name: 'Leave' }));
    await expect.poll(() => focused(page)).toBe('button Join Now');

    page.once('dialog', (dialog) => void dialog.accept());
    await press(page, item.getByRole('button', { name: 'Cancel class' }));
    const recent = page.locator(`li[data-class-id="${id}"]`);
    await recent.getByText('Cancelled').first().waitFor({ timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-class-id'))).toBe(id);
    await expect.poll(() => said(page)).toContain(`${title}: Cancelled.`);
  });

  it('names each class’s repeated buttons after the class, so a list of them does not read "Reschedule, Reschedule"', async () => {
    const titles = [`Named class A ${Date.now()}`, `Named class B ${Date.now()}`];
    for (const title of titles) await scheduleClass(title, 120);
    const page = await (await stack.newContext(DESKTOP)).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const classes = page.getByTestId('live-classes');
    for (const title of titles) {
      for (const action of ['Reschedule', 'Cancel class']) {
        // Exactly one button of that name: the action and the class it acts on, the visible word first.
        await expect.poll(() => classes.getByRole('button', { name: `${action} ${title}`, exact: true }).count(), { timeout: 30_000 }).toBe(1);
      }
    }
    const names = await classes.getByRole('button', { name: /^Reschedule/ }).evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
    expect(new Set(names).size).toBe(names.length);
  });

  it('names each document’s Share button after the document, so a list of them does not read "Share, Share"', async () => {
    const page = await (await stack.newContext(DESKTOP)).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const documents = page.getByTestId('documents');
    await documents.locator('li').first().waitFor({ timeout: 30_000 });
    const filenames = await documents.locator('li a[download]').evaluateAll((links) => links.map((link) => link.textContent?.trim() ?? ''));
    expect(filenames.length).toBeGreaterThan(0);
    for (const filename of filenames) {
      // The visible words first (label-in-name), then the file they act on.
      expect(await documents.getByRole('button', { name: `Share ${filename}`, exact: true }).count()).toBe(1);
      const links = await documents.getByRole('button', { name: /^Share links/ }).evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
      expect(links.filter((name) => name?.endsWith(` of ${filename}`))).toHaveLength(1);
    }
  });

  it("says a class's new status in a log region, and its list does not read every countdown tick", async () => {
    const title = `Announced class ${Date.now()}`;
    const id = await scheduleClass(title, 180);
    const page = await (await stack.newContext(DESKTOP)).newPage();
    await stack.signIn(page, 'sam.student', '/app/courses/101');
    await page.locator(`li[data-class-id="${id}"]`).waitFor({ timeout: 30_000 });
    // "starts in 2 h 59 min" changes every minute: no live region around it.
    expect(await page.getByTestId('live-classes').evaluate((list) => list.closest('[aria-live]') === null)).toBe(true);
    const cancel = await stack.platform.query('tara.teacher', 'mutation($id: ID!) { cancelLiveClass(id: $id) { status } }', { id });
    expect(cancel.errors).toBeUndefined();
    await expect.poll(() => said(page), { timeout: 30_000 }).toContain(`${title}: Cancelled.`);
  });

  it('says an upload’s progress and end, saving, and keeps the focus on a revoked link', async () => {
    const page = await (await stack.newContext(DESKTOP)).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const filename = `spoken-${Date.now()}.pdf`;
    await page.getByLabel('File to upload').setInputFiles({ name: filename, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n') });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await expect.poll(() => said(page), { timeout: 60_000 }).toContain(`Uploaded ${filename}.`);
    expect(await said(page)).toContain(`Uploading ${filename}…`);

    const title = `Said when saved ${Date.now()}`;
    await page.getByLabel('Title').fill(title);
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await expect.poll(() => said(page), { timeout: 30_000 }).toContain(`Scheduled "${title}".`);

    const doc = page.getByTestId('documents').locator('li', { hasText: filename }).first();
    await doc.getByRole('button', { name: `Share ${filename}`, exact: true }).click();
    await doc.getByRole('button', { name: 'Create link' }).click();
    await expect.poll(() => said(page), { timeout: 30_000 }).toContain(`Share link made for ${filename}`);
    await doc.getByRole('button', { name: /^Share links/ }).click();
    const link = doc.locator('[data-share-link-id]').first();
    page.once('dialog', (dialog) => void dialog.accept());
    await press(page, link.getByRole('button', { name: 'Revoke' }));
    await link.getByText('Revoked').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => document.activeElement?.hasAttribute('data-share-link-id'))).toBe(true);
    expect(await said(page)).toContain('Link revoked');
  });

  it('shows the week as loading, not as empty, while its answer is on its way', async () => {
    const page = await (await stack.newContext(DESKTOP)).newPage();
    await stack.signIn(page, 'sam.student', '/app/');
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/graphql', async (route) => {
      if (!runs(route, 'query Week')) return route.fallback();
      await released;
      return route.fallback();
    });
    await press(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My week' }));
    await page.getByRole('heading', { name: 'My week' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Loading the week…' }).waitFor();
    const week = page.locator('.week');
    expect(await week.getAttribute('aria-busy')).toBe('true');
    expect(await week.innerText()).not.toMatch(/—|Nothing this day/);
    release();
    await expect.poll(() => week.getAttribute('aria-busy'), { timeout: 30_000 }).toBe('false');
    expect(await page.getByRole('status').filter({ hasText: 'Loading' }).count()).toBe(0);
  });

  it("reads the API's error codes as sentences saying what to do, with Try again where it may pass", async () => {
    const context = await stack.newContext(DESKTOP, (text) => /status of 429/.test(text));
    const page = await context.newPage();
    await stack.signIn(page, 'sam.student', '/app/');
    await page.getByRole('link', { name: COURSE }).waitFor();
    let answer: { status: number; headers?: Record<string, string>; body: unknown } | null = null;
    await page.route('**/graphql', (route) =>
      answer && runs(route, 'query MyCourses')
        ? route.fulfill({ status: answer.status, headers: answer.headers, contentType: 'application/json', body: JSON.stringify(answer.body) })
        : route.fallback(),
    );
    const cases = [
      // `shown`: the API's sentence about the user's input is kept; no other API message reaches the user.
      { code: 'FORBIDDEN', message: 'viewer 42 lacks academy:course.read on company 7', words: /not allowed to do this/, retry: false },
      { code: 'NOT_FOUND', message: 'Course:101 not found in academy', words: /no longer exists, or it is not yours to see/, retry: false },
      { code: 'INTERNAL_SERVER_ERROR', message: 'TypeError: x is undefined\n    at resolve (/srv/academy.js:1:2)', words: /went wrong on the server\. Try again/, retry: true },
      { code: 'SUBGRAPH_UNAVAILABLE', message: 'academy: connect ECONNREFUSED 10.0.0.4:4001', words: /not answering/, retry: true },
      { code: 'BAD_USER_INPUT', message: 'Course id must be a number', words: /^Check what you entered: Course id must be a number\./, retry: false, shown: true },
      { code: 'SOMETHING_NEW', message: '{"internal":true}', words: /^Something went wrong\./, retry: false },
    ];
    for (const { code, message, words, retry, shown } of cases) {
      answer = { status: 200, body: { data: null, errors: [{ message, extensions: { code } }] } };
      await page.reload();
      const alert = page.locator(`[role=alert][data-code="${code}"]`);
      await alert.waitFor({ timeout: 30_000 });
      const text = await alert.innerText();
      expect(text, code).toMatch(words);
      if (!shown) expect(text, code).not.toContain(message);
      expect(text, code).not.toMatch(/[{}]|\bat \S+ \(|\b[A-Z]+_[A-Z_]+\b/);
      expect(await alert.getByRole('button', { name: 'Try again' }).count(), code).toBe(retry ? 1 : 0);
    }

    // The gateway's rate limit: 429, with retry-after. Try again reads the courses once it passes.
    answer = { status: 429, headers: { 'retry-after': '7' }, body: { errors: [{ message: 'Too many requests: retry in 7 s', extensions: { code: 'RATE_LIMITED' } }] } };
    await page.reload();
    const limited = page.locator('[role=alert][data-code="RATE_LIMITED"]');
    await limited.waitFor({ timeout: 30_000 });
    expect(await limited.innerText()).toMatch(/Too many requests in a short time\. Wait 7 seconds, then try again\./);
    answer = null;
    await press(page, limited.getByRole('button', { name: 'Try again' }));
    await page.getByRole('link', { name: COURSE }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
