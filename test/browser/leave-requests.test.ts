/**
 * The Leave page beyond request and decide, as its users work it: Maya tells
 * two pending requests of one person apart by their buttons' names; Emil
 * cancels a pending request and an approved one still to come, and the
 * approved one leaves his week, then approved leave already under way (the
 * question saying the days taken go too); Tara and Maya page through lists
 * longer than a page, Tara's coming leave first and her past, latest first,
 * on request, Maya's pages full though her own requests are among the
 * pending. Requests are made through the API (as their employees);
 * what is checked is what the pages show and say. The company's days are
 * Asia/Kolkata's while the browsers read UTC.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { focusedText, said, screenshot } from './browser-session.js';
import { useWebClientStack } from './web-client-stack.js';

// The calendar mirrors approved leave only when asked to under tests.
const stack = useWebClientStack({ CALENDAR_CONSUME_EVENTS: 'true' });
const READER = { viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-US' };
// Tuesday 17 November 2026 on the readers' clocks (never later than the API's, which signs the tokens):
// every request below is still to come for them.
const NOW = new Date('2026-11-17T12:00:00Z');
const PAGE_SIZE = 10; // web/src/app/paged-list.ts

/** Midnight starting a day (YYYY-MM-DD) in the company's zone. */
const midnight = (day: string) => new Date(`${day}T00:00:00+05:30`).toISOString();
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** A request from `username` for the days first..last, made through the API; its id. */
async function requestLeave(username: string, first: string, last = first): Promise<string> {
  const result = await stack.platform.query(username, 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }', {
    input: { startDate: midnight(first), endDate: midnight(dayAfter(last)), leaveType: 'ANNUAL' },
  });
  expect(result.errors).toBeUndefined();
  return result.data.requestLeave.id;
}

async function statusOf(id: string): Promise<string> {
  const result = await stack.platform.query('admin', 'query($id: ID!) { leaveRequest(id: $id) { status } }', { id });
  return result.data.leaveRequest.status;
}

/** Emil's leave in the calendar from 16 to 30 November 2026, as the API gives it. */
async function leaveInCalendar(): Promise<string[]> {
  const result = await stack.platform.query(
    'emil.employee',
    'query { calendarEvents(from: "2026-11-16T00:00:00Z", to: "2026-11-30T00:00:00Z", types: [LEAVE]) { start event { title } } }',
  );
  expect(result.errors).toBeUndefined();
  return result.data.calendarEvents.map((item: { start: string; event: { title: string } }) => `${item.event.title} ${new Date(item.start).toISOString()}`);
}

const open = (username: string, path: string): Promise<Page> => stack.signedInAt(NOW, username, path, READER);

describe('leave requests on the Leave page', { timeout: 240_000 }, () => {
  it('names each request’s Approve, Reject and comment by person and days', async () => {
    const early = await requestLeave('emil.employee', '2026-12-02', '2026-12-04');
    const late = await requestLeave('emil.employee', '2026-12-09', '2026-12-11');
    const EARLY = 'Wed, Dec 2, 2026 – Fri, Dec 4, 2026';
    const LATE = 'Wed, Dec 9, 2026 – Fri, Dec 11, 2026';

    const maya = await open('maya.manager', '/app/leave');
    const toDecide = maya.getByRole('region', { name: 'Requests to decide' });
    await toDecide.getByRole('group', { name: `Emil Nair: ${LATE}` }).waitFor({ timeout: 30_000 });
    // One control of each name: a screen reader's list of buttons tells the two requests apart.
    for (const days of [EARLY, LATE]) {
      expect(await toDecide.getByRole('button', { name: `Approve Emil Nair's leave ${days}`, exact: true }).count()).toBe(1);
      expect(await toDecide.getByRole('button', { name: `Reject Emil Nair's leave ${days}`, exact: true }).count()).toBe(1);
      expect(await toDecide.getByLabel(`Comment to Emil Nair on ${days} (optional)`, { exact: true }).count()).toBe(1);
    }
    // Found by its name alone, outside its group, the later request's Reject rejects that one only.
    await toDecide.getByLabel(`Comment to Emil Nair on ${LATE} (optional)`, { exact: true }).fill('Audit week');
    await toDecide.getByRole('button', { name: `Reject Emil Nair's leave ${LATE}`, exact: true }).click();
    await expect.poll(() => said(maya), { timeout: 30_000 }).toContain(`Rejected Emil Nair's leave for ${LATE}.`);
    expect(await statusOf(late)).toBe('REJECTED');
    expect(await statusOf(early)).toBe('PENDING');
    await toDecide.getByRole('button', { name: `Approve Emil Nair's leave ${EARLY}`, exact: true }).waitFor();
    await screenshot(maya, 'leave-requests-named');
  });

  it('lets Emil cancel a pending request, and an approved one, which leaves his week', async () => {
    const approved = await requestLeave('emil.employee', '2026-11-19', '2026-11-20');
    const pending = await requestLeave('emil.employee', '2026-11-26');
    const APPROVED = 'Thu, Nov 19, 2026 – Fri, Nov 20, 2026';
    const PENDING = 'Thu, Nov 26, 2026';
    const decided = await stack.platform.query('maya.manager', 'mutation($id: ID!) { approveLeave(id: $id) { status } }', { id: approved });
    expect(decided.errors).toBeUndefined();
    // The approval has reached the calendar before Emil cancels: its going away is then the cancellation's doing.
    await expect.poll(() => leaveInCalendar(), { timeout: 60_000 }).toEqual(['Emil Nair on leave 2026-11-19T00:00:00.000Z']);

    const emil = await open('emil.employee', '/app/week');
    const thursday = emil.getByRole('region', { name: 'Thursday, November 19', exact: true });
    await thursday.getByText('Emil Nair on leave').waitFor({ timeout: 30_000 });
    const leavePage = await emil.context().newPage();
    await leavePage.goto(`${stack.origin}/app/leave`);
    const mine = leavePage.getByRole('region', { name: 'My requests' });
    const approvedItem = mine.getByRole('listitem').filter({ hasText: APPROVED });
    await approvedItem.getByText('Approved', { exact: true }).waitFor({ timeout: 30_000 });

    // Dismissing the browser's question changes nothing.
    const questions: string[] = [];
    leavePage.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.dismiss();
    });
    await mine.getByRole('button', { name: `Cancel request ${PENDING}`, exact: true }).click();
    expect(questions).toEqual([`Cancel your leave for ${PENDING}?`]);
    expect(await statusOf(pending)).toBe('PENDING');

    leavePage.once('dialog', (dialog) => void dialog.accept());
    await mine.getByRole('button', { name: `Cancel request ${PENDING}`, exact: true }).click();
    await expect.poll(() => said(leavePage), { timeout: 30_000 }).toContain(`Cancelled your leave for ${PENDING}.`);
    // The button went under the focus: the focus stays on the request, which now says Cancelled.
    expect(await focusedText(leavePage)).toBe(`li: ${PENDING} Cancelled Annual leave`);

    leavePage.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.accept();
    });
    await mine.getByRole('button', { name: `Cancel request ${APPROVED}`, exact: true }).click();
    await expect.poll(() => said(leavePage), { timeout: 30_000 }).toContain(`Cancelled your leave for ${APPROVED}.`);
    expect(questions.at(-1)).toBe(`Cancel your leave for ${APPROVED}? It is approved: it comes off the calendar.`);
    expect(await focusedText(leavePage)).toBe(`li: ${APPROVED} Cancelled Annual leave Reviewed by Maya Pillai`);
    expect(await approvedItem.getByRole('button').count()).toBe(0);
    expect(await mine.getByRole('listitem').filter({ hasText: PENDING }).getByRole('button').count()).toBe(0);
    expect([await statusOf(approved), await statusOf(pending)]).toEqual(['CANCELLED', 'CANCELLED']);
    await screenshot(leavePage, 'leave-requests-cancelled');

    // The calendar lets the leave go, and Emil's open week shows it gone without a reload.
    await expect.poll(() => leaveInCalendar(), { timeout: 60_000 }).toEqual([]);
    await thursday.getByText('Nothing this day').waitFor({ timeout: 60_000 });
  });

  it('lets Emil cancel approved leave already under way, saying the days taken are cancelled too', async () => {
    // Monday to Wednesday of the readers' week: begun on Tuesday's clock, approved, on the calendar.
    const underWay = await requestLeave('emil.employee', '2026-11-16', '2026-11-18');
    const UNDER_WAY = 'Mon, Nov 16, 2026 – Wed, Nov 18, 2026';
    const decided = await stack.platform.query('maya.manager', 'mutation($id: ID!) { approveLeave(id: $id) { status } }', { id: underWay });
    expect(decided.errors).toBeUndefined();
    await expect.poll(() => leaveInCalendar(), { timeout: 60_000 }).toEqual(['Emil Nair on leave 2026-11-16T00:00:00.000Z']);

    const emil = await open('emil.employee', '/app/leave');
    const mine = emil.getByRole('region', { name: 'My requests' });
    const cancel = mine.getByRole('button', { name: `Cancel request ${UNDER_WAY}`, exact: true });
    await cancel.waitFor({ timeout: 30_000 });
    // The API cancels the whole request, not the days still to come: the question says so before anything happens.
    const questions: string[] = [];
    emil.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.accept();
    });
    await cancel.click();
    await expect.poll(() => said(emil), { timeout: 30_000 }).toContain(`Cancelled your leave for ${UNDER_WAY}.`);
    expect(questions).toEqual([
      `Cancel your leave for ${UNDER_WAY}? It is approved and has already begun: the whole leave is cancelled, the days already taken included, and all of it comes off the calendar.`,
    ]);
    expect(await focusedText(emil)).toBe(`li: ${UNDER_WAY} Cancelled Annual leave Reviewed by Maya Pillai`);
    expect(await statusOf(underWay)).toBe('CANCELLED');
    await expect.poll(() => leaveInCalendar(), { timeout: 60_000 }).toEqual([]);
  });

  it('pages Tara’s own requests, the coming ones first, the latest past first, and Maya’s requests to decide', async () => {
    // More requests of days gone by (for the readers' clock) than a page holds, the September ones cancelled
    // (Maya's pending list stays within two pages), then more to come than a page holds.
    const september = Array.from({ length: 12 }, (_, index) => `2026-09-${String(index + 1).padStart(2, '0')}`);
    for (const day of september) {
      const cancelled = await stack.platform.query('tara.teacher', 'mutation($id: ID!) { cancelLeave(id: $id) { status } }', { id: await requestLeave('tara.teacher', day) });
      expect(cancelled.errors).toBeUndefined();
    }
    for (const day of ['2026-10-05', '2026-10-06']) await requestLeave('tara.teacher', day);
    const days = Array.from({ length: PAGE_SIZE + 3 }, (_, index) => `2027-06-${String(index + 1).padStart(2, '0')}`);
    for (const day of days) await requestLeave('tara.teacher', day);
    const own = await stack.platform.query('tara.teacher', 'query($from: DateTime) { leaveRequests(employeeId: "3", from: $from) { id } }', { from: NOW.toISOString() });
    const total = own.data.leaveRequests.length;
    expect(total).toBeGreaterThan(PAGE_SIZE);

    const tara = await open('tara.teacher', '/app/leave');
    const mine = tara.getByRole('region', { name: 'My requests' });
    const more = mine.getByRole('button', { name: 'Show more of my requests' });
    await more.waitFor({ timeout: 30_000 });
    expect(await mine.getByRole('listitem').count()).toBe(PAGE_SIZE);
    // What is to come leads; October's days are not in the way.
    expect(await mine.getByRole('listitem').first().locator('strong').innerText()).toBe('Tue, Jun 1, 2027');
    await more.click();
    await expect.poll(() => mine.getByRole('listitem').count(), { timeout: 30_000 }).toBe(total);
    // Reading goes on from the first request of the new page; the button is gone with the last page.
    expect(await focusedText(tara)).toBe(`li: Fri, Jun 11, 2027 Pending Annual leave Cancel request`);
    expect(await more.count()).toBe(0);
    const shown = (await mine.getByRole('listitem').locator('strong').allInnerTexts()).filter((text) => text.includes('Jun'));
    expect(shown).toHaveLength(days.length);
    expect(shown.at(-1)).toBe('Sun, Jun 13, 2027');
    expect(await mine.getByText('Oct').count()).toBe(0);
    // The past is a click away, and the focus goes to it: the latest first, page after page.
    await tara.getByRole('button', { name: 'Show past requests' }).click();
    const past = tara.getByRole('region', { name: 'Past requests' });
    const pastDays = () => past.getByRole('listitem').locator('strong').allInnerTexts();
    const septemberShown = september
      .map((day) => new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }))
      .reverse();
    const latestFirst = ['Tue, Oct 6, 2026', 'Mon, Oct 5, 2026', ...septemberShown];
    await expect.poll(pastDays, { timeout: 30_000 }).toEqual(latestFirst.slice(0, PAGE_SIZE));
    expect(await focusedText(tara)).toBe('h2: Past requests');
    await past.getByRole('button', { name: 'Show more of past requests' }).click();
    await expect.poll(pastDays, { timeout: 30_000 }).toEqual(latestFirst);
    expect(await focusedText(tara)).toBe(`li: ${latestFirst[PAGE_SIZE]} Cancelled Annual leave`);

    // Maya's pending list is longer than a page too: she reads on until it ends. Her own pending requests,
    // the earliest of all, are not hers to decide: they take no room on her pages.
    for (const day of ['2026-08-03', '2026-08-04', '2026-08-05']) await requestLeave('maya.manager', day);
    const pending = await stack.platform.query('maya.manager', '{ leaveRequests(status: [PENDING]) { id employee { id } } }');
    const toDecideTotal = pending.data.leaveRequests.filter((leave: { employee: { id: string } }) => leave.employee.id !== '8').length;
    const maya = await open('maya.manager', '/app/leave');
    const toDecide = maya.getByRole('region', { name: 'Requests to decide' });
    const moreToDecide = toDecide.getByRole('button', { name: 'Show more requests to decide' });
    await moreToDecide.waitFor({ timeout: 30_000 });
    expect(await toDecide.getByRole('group').count()).toBe(PAGE_SIZE);
    await moreToDecide.click();
    await expect.poll(() => toDecide.getByRole('group').count(), { timeout: 30_000 }).toBeGreaterThan(PAGE_SIZE);
    expect(await focusedText(maya)).toMatch(/^h3: Tara Iyer: \w{3}, Jun \d+, 2027$/);
    // Two pages hold them all: the button goes with the last.
    expect(toDecideTotal).toBeLessThanOrEqual(2 * PAGE_SIZE);
    await expect.poll(() => toDecide.getByRole('group').count(), { timeout: 30_000 }).toBe(toDecideTotal);
    expect(await moreToDecide.count()).toBe(0);
    await toDecide.getByRole('group', { name: 'Tara Iyer: Sun, Jun 13, 2027' }).waitFor();
  });
});
