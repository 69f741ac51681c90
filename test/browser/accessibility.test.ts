/**
 * Keyboard use, names and narrow screens, checked by hand-written rules
 * (no axe dependency): every visible form control has a label, every button
 * and link a name; no page scrolls sideways on a 320 px screen; focus is not
 * lost when a teacher's inline form closes; the Leave page's Approve, Reject
 * and Cancel are reached by Tab, named by person and days, and work by Enter.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './browser-session.js';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();
const NARROW = { viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** What the rules find wrong on the page as it is now, one line each. */
function problemsOf(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const visible = (element: Element) => (element as HTMLElement).offsetParent !== null || element.getClientRects().length > 0;
    const describe = (element: Element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${(element.textContent ?? '').trim().slice(0, 40)}"`;
    for (const control of document.querySelectorAll('input:not([type=hidden]), textarea, select')) {
      if (!visible(control)) continue;
      const named = (control as HTMLInputElement).labels?.length || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
      if (!named) problems.push(`form control without a label: ${describe(control)}`);
    }
    for (const element of document.querySelectorAll('button, a[href]')) {
      if (!visible(element)) continue;
      if (!(element.textContent ?? '').trim() && !element.getAttribute('aria-label'))
        problems.push(`${element.tagName.toLowerCase()} without a name: ${element.outerHTML.slice(0, 80)}`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth)
      problems.push(`scrolls sideways: ${document.documentElement.scrollWidth} px wide on a ${window.innerWidth} px screen`);
    return problems;
  });
}

async function scheduleClass(title: string): Promise<string> {
  const scheduled = await stack.platform.query('tara.teacher', 'mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id } }', {
    input: { courseId: '101', title, scheduledAt: new Date(Date.now() + 3 * 3600_000).toISOString() },
  });
  expect(scheduled.errors).toBeUndefined();
  return scheduled.data.scheduleLiveClass.id;
}

/** Presses Tab until the focus is on the element named `name` (its aria-label or text); false after `most` presses. */
async function tabTo(page: Page, name: string, most = 40): Promise<boolean> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? '');
    if (at === name) return true;
  }
  return false;
}

const focused = (page: Page) => page.evaluate(() => `${document.activeElement?.tagName.toLowerCase()} ${document.activeElement?.textContent?.trim() ?? ''}`.trim());

describe('accessibility and narrow screens', { timeout: 180_000 }, () => {
  it("names every control and fits a 320 px screen on the teacher's pages", async () => {
    await scheduleClass(`A class with a rather long title that has to wrap on a narrow phone screen ${Date.now()}`);
    const page = await (await stack.newContext(NARROW)).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/');
    await page.getByRole('link', { name: 'Physics 101: Mechanics' }).waitFor();
    expect(await problemsOf(page), 'courses').toEqual([]);
    await page.goto(`${stack.origin}/app/courses/101`);
    await page.getByRole('heading', { name: 'Schedule a class' }).waitFor();
    // Checked once the course's documents show (the demo syllabus at least): their rows have controls too.
    await page.getByTestId('documents').locator('li').first().waitFor();
    expect(await problemsOf(page), 'course').toEqual([]);
    await page.getByTestId('live-classes').getByRole('button', { name: 'Reschedule' }).first().click();
    expect(await problemsOf(page), 'course, rescheduling').toEqual([]);
    await screenshot(page, 'course-teacher-320');
    await page.goto(`${stack.origin}/app/week`);
    await page.getByRole('heading', { name: 'My week' }).waitFor();
    // Checked once the week's days are filled in: checking the bare heading would say nothing of them.
    await page.locator('.week[aria-busy="false"]').waitFor();
    expect(await page.locator('.week li').count(), 'events on the week checked').toBeGreaterThan(0);
    expect(await problemsOf(page), 'week').toEqual([]);
    await page.goto(`${stack.origin}/app/sign-in`);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await problemsOf(page), 'sign-in').toEqual([]);
  });

  it('keeps the focus where the user was when the reschedule form closes, by keyboard', async () => {
    const title = `Keyboard class ${Date.now()}`;
    const id = await scheduleClass(title);
    const page = await (await stack.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const item = page.locator(`li[data-class-id="${id}"]`);
    const reschedule = item.getByRole('button', { name: 'Reschedule' });
    await reschedule.focus();
    await page.keyboard.press('Enter');
    await item.getByLabel('New start').waitFor();
    // Into the form it opened...
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`when-${id}`);
    await item.getByRole('button', { name: 'Close' }).focus();
    await page.keyboard.press('Enter');
    await item.getByLabel('New start').waitFor({ state: 'detached' });
    // ...and back to the button that opened it, not to the top of the page.
    await expect.poll(() => focused(page)).toBe('button Reschedule');
  });

  it('names and reaches by keyboard the Leave page’s Approve, Reject and Cancel, on a 320 px screen too', async () => {
    const day = '2031-10-06';
    const DAYS = 'Mon, Oct 6, 2031';
    const requested = await stack.platform.query('emil.employee', 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }', {
      input: { startDate: `${day}T00:00:00+05:30`, endDate: '2031-10-07T00:00:00+05:30' },
    });
    expect(requested.errors).toBeUndefined();
    const reader = { timezoneId: 'UTC', locale: 'en-US' };

    const maya = await (await stack.newContext({ ...NARROW, ...reader })).newPage();
    await stack.signIn(maya, 'maya.manager', '/app/leave');
    const toDecide = maya.getByRole('region', { name: 'Requests to decide' });
    const decision = toDecide.getByRole('group', { name: `Emil Nair: ${DAYS}`, exact: true });
    await decision.waitFor({ timeout: 30_000 });
    expect(await problemsOf(maya), 'leave, manager').toEqual([]);
    // What a screen reader reads of one decision: its heading, a labelled comment box, two buttons named by person and days.
    const spoken = await decision.ariaSnapshot();
    expect(spoken).toContain(`heading "Emil Nair: ${DAYS}" [level=3]`);
    expect(spoken).toContain(`textbox "Comment to Emil Nair on ${DAYS} (optional)"`);
    expect(spoken).toContain(`button "Approve Emil Nair's leave ${DAYS}"`);
    expect(spoken).toContain(`button "Reject Emil Nair's leave ${DAYS}"`);
    for (const name of ['Request leave', 'My requests', 'Requests to decide']) expect(await maya.getByRole('region', { name, exact: true }).count(), name).toBe(1);
    // By keyboard alone: from the comment, Tab reaches Approve, then Reject, which Enter works.
    await decision.getByRole('textbox').focus();
    await maya.keyboard.type('Audit week');
    expect(await tabTo(maya, `Approve Emil Nair's leave ${DAYS}`, 1)).toBe(true);
    expect(await tabTo(maya, `Reject Emil Nair's leave ${DAYS}`, 1)).toBe(true);
    await maya.keyboard.press('Enter');
    await decision.waitFor({ state: 'detached', timeout: 30_000 });
    await screenshot(maya, 'leave-manager-320');

    const again = await stack.platform.query('emil.employee', 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }', {
      input: { startDate: '2031-10-13T00:00:00+05:30', endDate: '2031-10-14T00:00:00+05:30' },
    });
    expect(again.errors).toBeUndefined();
    const emil = await (await stack.newContext({ ...NARROW, ...reader })).newPage();
    await stack.signIn(emil, 'emil.employee', '/app/leave');
    const mine = emil.getByRole('region', { name: 'My requests' });
    await mine.getByRole('button', { name: 'Cancel request Mon, Oct 13, 2031', exact: true }).waitFor({ timeout: 30_000 });
    expect(await problemsOf(emil), 'leave, employee').toEqual([]);
    // The rejected request has no Cancel; the pending one's is reached from the page's top by Tab.
    expect(await mine.getByRole('listitem').filter({ hasText: DAYS }).getByRole('button').count()).toBe(0);
    await emil.getByRole('heading', { name: 'Leave', level: 1 }).focus();
    expect(await tabTo(emil, 'Cancel request Mon, Oct 13, 2031')).toBe(true);
    emil.once('dialog', (dialog) => void dialog.accept());
    await emil.keyboard.press('Enter');
    await mine.getByRole('listitem').filter({ hasText: 'Oct 13, 2031' }).getByText('Cancelled', { exact: true }).waitFor({ timeout: 30_000 });
  });

  it('fits a 320 px screen with a long file name, its Share form and its share links open', async () => {
    const page = await (await stack.newContext(NARROW)).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const filename = `lecture-notes-week-one-kinematics-and-projectile-motion-final-revised-${Date.now()}.pdf`;
    await page.getByLabel('File to upload').setInputFiles({ name: filename, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n') });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const doc = page.getByTestId('documents').locator('li', { hasText: filename }).first();
    await doc.waitFor({ timeout: 60_000 });
    await doc.getByRole('button', { name: `Share ${filename}`, exact: true }).click();
    await doc.getByRole('button', { name: 'Create link' }).click();
    await doc.getByTestId('share-url').waitFor();
    await doc.getByRole('button', { name: `Share ${filename}`, exact: true }).click();
    await doc.getByRole('button', { name: /^Share links/ }).click();
    await doc.locator('[data-share-link-id]').first().waitFor();
    await screenshot(page, 'course-share-links-320');
    expect(await problemsOf(page), 'course, sharing').toEqual([]);
  });
});
