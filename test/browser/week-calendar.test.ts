/**
 * The week calendar in a browser whose zone is not UTC, around the end of
 * summer time in Europe (25 October 2026, 03:00 CEST → 02:00 CET): weeks
 * are calendar weeks on either side of the change, all-day events (dates,
 * not instants) sit on their own day, timed events spanning midnight sit on
 * both days and one ending at midnight on its own, and a weekly series keeps
 * its wall time across the change and leaves out its exception.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser-session.js';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();
const BERLIN = { viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin', locale: 'en-US' };
const stamp = Date.now();
const titles = {
  allDay: `Field trip ${stamp}`,
  overnight: `Night observation ${stamp}`,
  untilMidnight: `Late lab ${stamp}`,
  weekly: `Weekly seminar ${stamp}`,
};

async function create(input: Record<string, unknown>): Promise<void> {
  const created = await stack.platform.query('tara.teacher', 'mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }', { input });
  expect(created.errors).toBeUndefined();
}

beforeAll(async () => {
  // A date: Tuesday 27 October, whatever the reader's zone.
  await create({ title: titles.allDay, allDay: true, start: '2026-10-27T00:00:00Z', end: '2026-10-28T00:00:00Z' });
  // Wednesday 23:30 to Thursday 00:30 in Berlin (CET, UTC+1).
  await create({ title: titles.overnight, start: '2026-10-28T22:30:00Z', end: '2026-10-28T23:30:00Z', timezone: 'Europe/Berlin' });
  // Thursday 23:00 to Friday 00:00 in Berlin: Thursday only (the end is exclusive).
  await create({ title: titles.untilMidnight, start: '2026-10-29T22:00:00Z', end: '2026-10-29T23:00:00Z', timezone: 'Europe/Berlin' });
  // Mondays 10:00 Berlin time from 19 October (CEST) for four weeks, but not on 26 October.
  await create({
    title: titles.weekly,
    start: '2026-10-19T08:00:00Z',
    end: '2026-10-19T09:00:00Z',
    timezone: 'Europe/Berlin',
    recurrenceRule: 'FREQ=WEEKLY;COUNT=4',
    exdates: ['2026-10-26T09:00:00Z'],
  });
});

const day = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const range = (page: Page) => page.getByTestId('week-range').innerText();

describe('the week calendar in Europe/Berlin', { timeout: 120_000 }, () => {
  it('moves by calendar weeks across the end of summer time and places dates, overnight events and series on their days', async () => {
    const context = await stack.newContext(BERLIN);
    // The reader's clock in the week before the change (the API's is the real one).
    await context.clock.setFixedTime(new Date('2026-10-21T12:00:00+02:00'));
    const page = await context.newPage();
    await stack.signIn(page, 'tara.teacher', '/app/week');
    await page.getByRole('heading', { name: 'My week' }).waitFor();
    await expect.poll(() => range(page)).toBe('Oct 19, 2026 – Oct 25, 2026');
    await day(page, 'Monday, October 19').getByText(titles.weekly).waitFor({ timeout: 30_000 });
    expect(await day(page, 'Monday, October 19').innerText()).toContain('10:00');

    await page.getByRole('button', { name: 'Next week →' }).click();
    await expect.poll(() => range(page)).toBe('Oct 26, 2026 – Nov 1, 2026');
    expect(await page.locator('section.day').first().getAttribute('aria-label')).toBe('Monday, October 26');
    await day(page, 'Tuesday, October 27').getByText(titles.allDay).waitFor({ timeout: 30_000 });
    await screenshot(page, 'week-berlin-after-dst');
    expect(await day(page, 'Tuesday, October 27').innerText()).toContain('all day');
    expect(await day(page, 'Monday, October 26').innerText()).not.toContain(titles.allDay);
    expect(await day(page, 'Wednesday, October 28').innerText()).not.toContain(titles.allDay);
    expect(await day(page, 'Wednesday, October 28').innerText()).toContain(titles.overnight);
    expect(await day(page, 'Thursday, October 29').innerText()).toContain(titles.overnight);
    expect(await day(page, 'Thursday, October 29').innerText()).toContain(titles.untilMidnight);
    expect(await day(page, 'Friday, October 30').innerText()).not.toContain(titles.untilMidnight);
    // The exception: no seminar on 26 October.
    expect(await day(page, 'Monday, October 26').innerText()).not.toContain(titles.weekly);

    // The series keeps 10:00 local after the change (09:00 UTC now).
    await page.getByRole('button', { name: 'Next week →' }).click();
    await expect.poll(() => range(page)).toBe('Nov 2, 2026 – Nov 8, 2026');
    await day(page, 'Monday, November 2').getByText(titles.weekly).waitFor({ timeout: 30_000 });
    expect(await day(page, 'Monday, November 2').innerText()).toContain('10:00');

    // And back across the change: the week starts on Monday 19 October at midnight again.
    for (const expected of ['Oct 26, 2026 – Nov 1, 2026', 'Oct 19, 2026 – Oct 25, 2026']) {
      await page.getByRole('button', { name: '← Previous week' }).click();
      await expect.poll(() => range(page)).toBe(expected);
    }
    await day(page, 'Monday, October 19').getByText(titles.weekly).waitFor({ timeout: 30_000 });
  });
});
