/**
 * A teacher downloads the course's attendance (Course.attendanceReport.csv:
 * one row per student and class) from the course page: the file that comes
 * down is meet's CSV, with the demo's ended class and each student's time in
 * it. Students have no such button; a failed request is said in words, and
 * the focus stays on the button throughout.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ENDED_LIVE_CLASS } from '../../platform/demo/demo-ids.js';
import { said } from './browser-session.js';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const BUTTON = 'Download attendance (CSV) of Physics 101: Mechanics';

const focusedName = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim());

describe("a course's attendance export", { timeout: 180_000 }, () => {
  it('downloads the CSV with the keyboard: each student’s time in each class, the focus kept on the button', async () => {
    const page = await (await stack.newContext(DESKTOP)).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const button = page.getByRole('button', { name: BUTTON, exact: true });
    await button.waitFor({ timeout: 30_000 });
    await button.focus();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toBe('attendance-course-101.csv');
    const lines = readFileSync((await download.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('course_id,user_id,identity,full_name,enrolled,class_id,class_title,class_scheduled_at,seconds_present,minutes_present');
    // Sam left and came back: 28 + 23 minutes in the demo's ended class.
    const sam = lines.map((line) => line.split(',')).find((cells) => cells[1] === '5' && cells[5] === DEMO_ENDED_LIVE_CLASS.id);
    expect([sam?.[3], sam?.[8], sam?.[9]]).toEqual(['Sam Dutta', '3060', '51']);
    expect(await focusedName(page)).toBe(BUTTON);
    await expect.poll(() => said(page)).toContain('Downloading the attendance of Physics 101: Mechanics.');
  });

  it('offers no export to a student', async () => {
    const page = await (await stack.newContext(DESKTOP)).newPage();
    await stack.signIn(page, 'sam.student', '/app/courses/101');
    await page.getByRole('heading', { name: 'Documents' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: /^Download attendance/ }).count()).toBe(0);
  });

  it('says in words when the link cannot be had, and downloads nothing', async () => {
    const page = await (await stack.newContext(DESKTOP, (text) => /ERR_INTERNET_DISCONNECTED/.test(text))).newPage();
    await stack.signIn(page, 'tara.teacher', '/app/courses/101');
    const button = page.getByRole('button', { name: BUTTON, exact: true });
    await button.waitFor({ timeout: 30_000 });
    await page.route('**/graphql', (route) => ((route.request().postData() ?? '').includes('query CourseAttendanceCsv') ? route.abort('internetdisconnected') : route.fallback()));
    let downloads = 0;
    page.on('download', () => downloads++);
    await button.focus();
    await page.keyboard.press('Enter');
    const alert = page.getByTestId('attendance-export').getByRole('alert');
    await expect.poll(() => alert.innerText().catch(() => '')).toMatch(/could not be reached|offline/);
    expect(await alert.innerText()).not.toMatch(/\b[A-Z]+_[A-Z0-9_]+\b/);
    expect(await focusedName(page)).toBe(BUTTON);
    expect(downloads).toBe(0);
  });
});
