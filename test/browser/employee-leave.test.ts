/**
 * Leave, as the two people concerned see it. Emil (an employee) requests
 * two spans of days from the Leave page, lands on each new request and
 * sees it pending; Maya (a manager) sees them among the requests to decide,
 * approves one with a comment and rejects the other, the focus moving on
 * each time; Emil, whose week page is open, sees the approved leave appear
 * on its days without reloading, and his open Leave page says how each
 * request was decided, without reloading either.
 * The company's days are Asia/Kolkata's while the browsers read UTC: the
 * days chosen are the days shown, on the Leave page and on the week page.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { focusedText, said, screenshot } from './browser-session.js';
import { useWebClientStack } from './web-client-stack.js';

// The calendar mirrors other domains' records (approved leave) only when asked to under tests.
const stack = useWebClientStack({ CALENDAR_CONSUME_EVENTS: 'true' });
const READER = { viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-US' };
// Tuesday 17 November 2026 on the readers' clocks: the week page shows the week of the leave.
const NOW = new Date('2026-11-17T12:00:00Z');
const stamp = Date.now();
const wedding = `Sister's wedding ${stamp}`;
const THU_FRI = 'Thu, Nov 19, 2026 – Fri, Nov 20, 2026';
const MONDAY = 'Mon, Nov 23, 2026';

/** Emil's leave in the calendar in the weeks of the requests, as the API gives it. */
async function leaveInCalendar(): Promise<unknown[]> {
  const result = await stack.platform.query(
    'emil.employee',
    'query { calendarEvents(from: "2026-11-16T00:00:00Z", to: "2026-11-30T00:00:00Z", types: [LEAVE]) { start end event { title allDay } } }',
  );
  expect(result.errors).toBeUndefined();
  return result.data.calendarEvents.map((item: { start: string; end: string; event: { title: string; allDay: boolean } }) => ({
    title: item.event.title,
    start: new Date(item.start).toISOString(),
    end: new Date(item.end).toISOString(),
    allDay: item.event.allDay,
  }));
}

const open = (username: string, path: string): Promise<Page> => stack.signedInAt(NOW, username, path, READER);

async function requestLeave(page: Page, first: string, last: string, type: string, reason?: string): Promise<void> {
  await page.getByLabel('First day').fill(first);
  await page.getByLabel('Last day').fill(last);
  await page.getByLabel('Type').selectOption({ label: type });
  if (reason) await page.getByLabel('Reason (optional)').fill(reason);
  await page.getByRole('button', { name: 'Request leave' }).click();
}

describe('an employee’s leave, requested and decided', { timeout: 240_000 }, () => {
  it('goes from Emil’s request to Maya’s decision to Emil’s week', async () => {
    // Emil finds Leave in the navigation and asks for two spans of days.
    const emil = await open('emil.employee', '/app/');
    await emil.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leave' }).click();
    await emil.getByRole('heading', { name: 'Leave', level: 1 }).waitFor();
    const mine = emil.getByRole('region', { name: 'My requests' });
    await emil.getByLabel('First day').waitFor({ timeout: 30_000 });
    const before = await mine.getByRole('listitem').count();
    await emil.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await requestLeave(emil, '2026-11-19', '2026-11-20', 'Annual leave', wedding);
    await expect.poll(() => said(emil), { timeout: 30_000 }).toContain(`Leave requested for ${THU_FRI}: pending a manager's decision.`);
    expect(await focusedText(emil)).toBe(`li: ${THU_FRI} Pending Annual leave: ${wedding} Cancel request`);
    // Days already asked for are refused, in words that say what to do, and the form keeps them.
    await requestLeave(emil, '2026-11-20', '2026-11-20', 'Annual leave');
    const refusal = emil.getByRole('region', { name: 'Request leave' }).getByRole('alert');
    await expect
      .poll(() => refusal.innerText().catch(() => ''), { timeout: 30_000 })
      .toBe('These days overlap leave you have already requested. Choose other days, or ask for the other request to be cancelled.');
    expect(await emil.getByLabel('First day').inputValue()).toBe('2026-11-20');
    await requestLeave(emil, '2026-11-23', '2026-11-23', 'Sick leave');
    await expect.poll(() => said(emil), { timeout: 30_000 }).toContain(`Leave requested for ${MONDAY}: pending`);
    expect(await focusedText(emil)).toBe(`li: ${MONDAY} Pending Sick leave Cancel request`);
    expect(await mine.getByRole('listitem').count()).toBe(before + 2);

    // Emil keeps his week open meanwhile: nothing on Thursday yet.
    const week = await emil.context().newPage();
    await week.goto(`${stack.origin}/app/week`);
    const thursday = week.getByRole('region', { name: 'Thursday, November 19', exact: true });
    await thursday.getByText('Nothing this day').waitFor({ timeout: 30_000 });

    // Maya decides: approves the wedding with a comment, rejects the Monday.
    const maya = await open('maya.manager', '/app/leave');
    const toDecide = maya.getByRole('region', { name: 'Requests to decide' });
    const weddingRequest = toDecide.getByRole('group', { name: `Emil Nair: ${THU_FRI}` });
    await weddingRequest.waitFor({ timeout: 30_000 });
    await weddingRequest.getByText(`Annual leave: ${wedding}`).waitFor();
    await weddingRequest.getByLabel(`Comment to Emil Nair on ${THU_FRI} (optional)`).fill('Congratulations!');
    await weddingRequest.getByRole('button', { name: `Approve Emil Nair's leave ${THU_FRI}` }).click();
    await expect.poll(() => said(maya), { timeout: 30_000 }).toContain(`Approved Emil Nair's leave for ${THU_FRI}.`);
    expect(await weddingRequest.count()).toBe(0);
    // The focus went on to the next request rather than to the page's top.
    expect(await focusedText(maya)).toBe(`h3: Emil Nair: ${MONDAY}`);

    // Emil has the Monday's Cancel button focused when Maya rejects it: it goes, his focus stays on the request.
    await mine.getByRole('button', { name: `Cancel request ${MONDAY}`, exact: true }).focus();
    const monday = toDecide.getByRole('group', { name: `Emil Nair: ${MONDAY}` });
    await monday.getByRole('button', { name: `Reject Emil Nair's leave ${MONDAY}` }).click();
    await expect.poll(() => said(maya), { timeout: 30_000 }).toContain(`Rejected Emil Nair's leave for ${MONDAY}.`);
    await toDecide.getByText('No leave requests are waiting for a decision.').waitFor();
    expect(await focusedText(maya)).toBe('h2: Requests to decide');
    await screenshot(maya, 'employee-leave-decided');

    // The approval reaches the calendar as a domain event: Emil's leave, all day on its two days.
    await expect
      .poll(() => leaveInCalendar(), { timeout: 60_000 })
      .toEqual([{ title: 'Emil Nair on leave', start: '2026-11-19T00:00:00.000Z', end: '2026-11-21T00:00:00.000Z', allDay: true }]);
    // Emil's open week shows it on both its days, live; the rejected day stays empty.
    await thursday.getByText('Emil Nair on leave').waitFor({ timeout: 60_000 });
    await week.getByRole('region', { name: 'Friday, November 20', exact: true }).getByText('Emil Nair on leave').waitFor();
    expect(await week.getByRole('region', { name: 'Wednesday, November 18', exact: true }).getByText('Emil Nair on leave').count()).toBe(0);
    await screenshot(week, 'employee-leave-week');

    // And his Leave page, open all along and never reloaded, says how each request was decided, and said it.
    await mine.getByText(`Approved by Maya Pillai: “Congratulations!”`).waitFor({ timeout: 60_000 });
    await mine.getByText('Rejected by Maya Pillai').waitFor({ timeout: 60_000 });
    expect(await emil.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await expect.poll(() => focusedText(emil), { timeout: 30_000 }).toBe(`li: ${MONDAY} Rejected Sick leave Rejected by Maya Pillai`);
    const news = await said(emil);
    expect(news).toContain(`Maya Pillai approved your leave for ${THU_FRI}.`);
    expect(news).toContain(`Maya Pillai rejected your leave for ${MONDAY}.`);
    const items = await mine
      .getByRole('listitem')
      .filter({ hasText: /Nov 19|Nov 23/ })
      .allInnerTexts();
    expect(items.map((text) => text.replace(/\s+/g, ' ').trim())).toEqual([
      `${THU_FRI} Approved Annual leave: ${wedding} Approved by Maya Pillai: “Congratulations!” Cancel request`,
      `${MONDAY} Rejected Sick leave Rejected by Maya Pillai`,
    ]);
  });
});
