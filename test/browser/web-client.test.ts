/**
 * The explorer and the web client in a real browser (Debian's Chromium)
 * against the real platform: all five subgraphs and the gateway on one
 * fresh database, meet pointed at the LiveKit double. One stack and one
 * browser for the file; each test has its own browser contexts (a student
 * on a phone-sized screen, a teacher on a desktop one). Screenshots of each
 * page go to test-artifacts/browser/.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeSubscriptions } from '../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { sendWebhook } from '../livekit/send-webhook.js';
import { PHONE, screenshot } from './browser-session.js';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();
const newContext: typeof stack.newContext = (...args) => stack.newContext(...args);
const signIn = (page: Page, username: string, next?: string) => stack.signIn(page, username, next);

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const classItem = (page: Page, title: string) => page.getByTestId('live-classes').locator('li', { hasText: title });

describe('the explorer', { timeout: 120_000 }, () => {
  it('loads with no network, with the README examples as tabs and the dev token, and runs queries and subscriptions', async () => {
    const context = await newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.origin}/`, { waitUntil: 'load' });
    await page.locator('.graphiql-container').waitFor();
    const tabs = page.locator('.graphiql-tab');
    await expect.poll(() => tabs.count()).toBeGreaterThanOrEqual(4);
    await expect.poll(() => page.locator('.graphiql-query-editor').innerText()).toContain('courses');

    await page.getByRole('button', { name: /execute query/i }).click();
    await expect.poll(() => page.locator('.graphiql-response').innerText(), { timeout: 30_000 }).toContain('Physics 101: Mechanics');
    await screenshot(page, 'explorer');

    // The README's subscription, run from the explorer over graphql-ws: a class scheduled elsewhere arrives.
    await tabs.last().click();
    await expect.poll(() => page.locator('.graphiql-query-editor').innerText()).toContain('liveClassStatusChanged');
    await page.getByRole('button', { name: /execute query/i }).click();
    await screenshot(page, 'explorer-subscription');
    // Once meet holds it (through the gateway), classes scheduled after it reach it.
    await expect.poll(() => activeSubscriptions('meet'), { timeout: 30_000 }).toBe(1);
    const title = `Explorer check ${Date.now()}`;
    const scheduled = await stack.platform.query('tara.teacher', 'mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id } }', {
      input: { courseId: '101', title, scheduledAt: inMinutes(120).toISOString() },
    });
    expect(scheduled.errors).toBeUndefined();
    await expect.poll(() => page.locator('.graphiql-response').innerText(), { timeout: 30_000 }).toContain(scheduled.data.scheduleLiveClass.id);
    await screenshot(page, 'explorer-subscription');
  });
});

describe('the course page', { timeout: 120_000 }, () => {
  it('opens on the demo courses, signed in as the demo administrator (npm start), until the user signs out', async () => {
    const page = await (await newContext({ viewport: { width: 1280, height: 900 } }, undefined, [], true)).newPage();
    await page.goto(`${stack.origin}/app/`);
    await page.getByRole('link', { name: 'Physics 101: Mechanics' }).waitFor();
    await page.getByRole('link', { name: 'Calculus II' }).waitFor();
    await screenshot(page, 'courses-demo-admin');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Continue as the demo administrator' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/sign-in');
  });

  it('keeps the user who signed in while the demo session was still being read', async () => {
    const context = await newContext({ viewport: { width: 1280, height: 900 } }, undefined, [], true);
    // The demo session (which offers the administrator's token) answers only after the user has signed in.
    let answer!: () => void;
    const held = new Promise<void>((resolve) => {
      answer = resolve;
    });
    await context.route('**/app/session.json', async (route) => {
      await held;
      await route.continue();
    });
    const page = await context.newPage();
    const token = await stack.platform.tokenFor('sam.student');
    await stack.signIn(page, 'sam.student', '/app/courses/101', token);
    await page.getByRole('heading', { name: 'Physics 101: Mechanics' }).waitFor();

    const answered = page.waitForResponse((response) => response.url().endsWith('/app/session.json'));
    answer();
    await (await answered).finished();
    // Before, the page then signed in as the administrator and went to the course list: give it the tasks to do so.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    expect(new URL(page.url()).pathname).toBe('/app/courses/101');
    expect(await page.evaluate(() => localStorage.getItem('bheem.token'))).toBe(token);
  });

  it("shows a class the teacher schedules, and its status going live, on the student's open page without reload", async () => {
    // Joining tries LiveKit at the double's address (an HTTP server, no media): Chromium reports the failed WebSocket itself.
    const livekitWs = stack.livekit.url.replace(/^http/, 'ws');
    const fromJoining = (text: string) => text.includes(livekitWs) || text.includes(stack.livekit.url) || text === 'Failed to load resource: net::ERR_FAILED';
    const student = await (await newContext(PHONE, fromJoining, [stack.livekit.url, livekitWs])).newPage();
    await signIn(student, 'sam.student', '/app/');
    await student.getByRole('heading', { name: 'Courses' }).waitFor();
    await student.getByRole('link', { name: 'Physics 101: Mechanics' }).waitFor();
    await screenshot(student, 'courses-phone');
    await student.getByRole('link', { name: 'Physics 101: Mechanics' }).click();
    await student.getByRole('heading', { name: 'Physics 101: Mechanics' }).waitFor();
    await student.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const teacher = await (await newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(teacher, 'tara.teacher', '/app/courses/101');
    await teacher.getByRole('heading', { name: 'Schedule a class' }).waitFor();
    const title = `Wave optics ${Date.now()}`;
    await teacher.getByLabel('Title').fill(title);
    const start = inMinutes(10);
    const local = new Date(start.getTime() - start.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await teacher.getByLabel('Starts').fill(local);
    await teacher.getByLabel('Duration (minutes)').fill('45');
    await teacher.getByRole('button', { name: 'Schedule', exact: true }).click();
    await teacher
      // Said in the page's log region, what a screen reader hears (the visible line is no live region).
      .getByRole('log')
      .filter({ hasText: `Scheduled "${title}"` })
      .waitFor({ state: 'attached' });
    await screenshot(teacher, 'course-teacher');

    // The student's page, never reloaded, shows the class.
    await classItem(student, title).waitFor({ timeout: 30_000 });
    expect(await classItem(student, title).getByTestId('status').locator('.badge').innerText()).toBe('Scheduled');

    // The teacher enters the room (LiveKit reports it by webhook): the class goes LIVE on the student's page.
    const classId = await classItem(student, title).getAttribute('data-class-id');
    const join = await stack.platform.query('tara.teacher', 'mutation($id: ID!) { joinLiveClass(id: $id) { roomName } }', { id: classId });
    expect(join.errors).toBeUndefined();
    await stack.livekit.webhooksSettled();
    const joined = await sendWebhook(`${stack.origin}/webhooks/livekit`, 'participant_joined', {
      room: { sid: 'RM_browser', name: join.data.joinLiveClass.roomName },
      participant: { sid: 'PA_browser', identity: '3', state: 'ACTIVE', joinedAt: String(Math.floor(Date.now() / 1000)) },
    });
    expect(joined.status).toBe(200);
    await expect.poll(() => classItem(student, title).getByTestId('status').locator('.badge').innerText(), { timeout: 30_000 }).toBe('Live now');
    expect(await student.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await screenshot(student, 'course-student-live-phone');

    // Join Now: the API gives a seat; the double is no LiveKit media server, and the page says so.
    await classItem(student, title).getByRole('button', { name: 'Join Now' }).click();
    await student.getByText('No LiveKit server answers').waitFor({ timeout: 60_000 });
    await screenshot(student, 'course-student-join-phone');
  });

  it('uploads a file from the page with progress, lists it, and downloads the same bytes', async () => {
    const teacher = await (await newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(teacher, 'tara.teacher', '/app/courses/101');
    await teacher.getByRole('heading', { name: 'Documents' }).waitFor();
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(256 * 1024, 7)]);
    const filename = `syllabus-${Date.now()}.pdf`;
    await teacher.getByLabel('File to upload').setInputFiles({ name: filename, mimeType: 'application/pdf', buffer: bytes });
    await teacher.getByRole('button', { name: 'Upload', exact: true }).click();
    await teacher
      .getByRole('log')
      .filter({ hasText: `Uploaded ${filename}` })
      .waitFor({ state: 'attached', timeout: 60_000 });
    const link = teacher.getByTestId('documents').getByRole('link', { name: filename });
    await link.waitFor();
    await screenshot(teacher, 'course-documents');

    const [download] = await Promise.all([teacher.waitForEvent('download'), link.click()]);
    const saved = readFileSync((await download.path())!);
    expect(createHash('sha256').update(saved).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('makes a password share link from the page that serves the file only with the password', async () => {
    const teacher = await (await newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(teacher, 'tara.teacher', '/app/courses/101');
    const documents = teacher.getByTestId('documents');
    const first = documents.locator('li').first();
    await first.waitFor();
    const filename = await first.getByRole('link').first().innerText();
    await first.getByRole('button', { name: `Share ${filename}`, exact: true }).click();
    await teacher.getByLabel(/^Password/).fill('correct horse battery');
    await teacher.getByRole('button', { name: 'Create link' }).click();
    const url = await teacher.getByTestId('share-url').innerText();
    expect(url.startsWith(`${stack.origin}/files/share/`)).toBe(true);
    await screenshot(teacher, 'course-share-link');
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { 'x-share-password': 'correct horse battery' } })).status).toBe(200);
  });

  it('opens a password share link in the browser: it asks for the password, then the file downloads', async () => {
    const teacher = await (await newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(teacher, 'tara.teacher', '/app/courses/101');
    const first = teacher.getByTestId('documents').locator('li').first();
    await first.waitFor();
    const filename = await first.getByRole('link').first().innerText();
    await first.getByRole('button', { name: `Share ${filename}`, exact: true }).click();
    await teacher.getByLabel(/^Password/).fill('correct horse battery');
    await teacher.getByRole('button', { name: 'Create link' }).click();
    const url = await teacher.getByTestId('share-url').innerText();

    // Chromium logs the 401 and 403 answers of the page itself; they are the page's message, not a fault.
    const visitor = await (await newContext(PHONE, (text) => /status of 40[13]/.test(text))).newPage();
    await visitor.goto(url);
    await visitor.getByRole('heading', { name: 'Password required' }).waitFor();
    await screenshot(visitor, 'share-password-phone');
    await visitor.getByLabel('Password').fill('not the password');
    await visitor.getByRole('button', { name: 'Open' }).click();
    await visitor.getByRole('heading', { name: 'Wrong password' }).waitFor();
    await visitor.getByLabel('Password').fill('correct horse battery');
    const [download] = await Promise.all([visitor.waitForEvent('download'), visitor.getByRole('button', { name: 'Open' }).click()]);
    expect(download.suggestedFilename()).toBe(filename);
  });
});

describe('the week calendar', { timeout: 120_000 }, () => {
  it('shows the week of the unified calendar and makes a feed URL', async () => {
    const page = await (await newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, 'tara.teacher', '/app/week');
    await page.getByRole('heading', { name: 'My week' }).waitFor();
    await page.getByRole('button', { name: 'Get my feed URL' }).click();
    const feed = await page.getByLabel('Feed URL (keep it secret)').inputValue();
    expect(feed).toMatch(/\/calendar\/feed\//);
    await screenshot(page, 'week');
    const response = await fetch(feed.replace(/^https?:\/\/[^/]+/, stack.origin));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('BEGIN:VCALENDAR');
  });

  it('shows API errors in words', async () => {
    const page = await (await newContext(PHONE, (text) => /status of 401/.test(text))).newPage();
    await page.goto(`${stack.origin}/app/sign-in`);
    await screenshot(page, 'sign-in-phone');
    await signIn(page, 'sam.student', '/app/courses/999999');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/No such course/);
    await screenshot(page, 'course-missing-phone');
  });
});
