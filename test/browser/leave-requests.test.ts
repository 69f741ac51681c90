/**
 * The Leave page beyond request and decide, as its users work it: Maya tells
 * two pending requests of one person apart by their buttons' names; Emil
 * cancels a pending request and an approved one still to come, and the
 * approved one leaves his week, then approved leave already under way (the
 * question saying the days taken go too), but finds no Cancel on approved
 * leave that is over (the API refuses it: LEAVE_ENDED); Maya's requests to
 * decide follow Emil's filing and cancelling live, and a change heard while
 * a list loads wins over the list's older answer; Tara and Maya page through lists
 * longer than a page, Tara's coming leave first and her past, latest first,
 * on request, Maya's pages full though her own requests are among the
 * pending. Requests are made through the API (as their employees);
 * what is checked is what the pages show and say. The company's days are
 * Asia/Kolkata's while the browsers read UTC.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeSubscriptions } from '../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { focusedText, said, screenshot } from './browser-session.js';
import { useWebClientStack } from './web-client-stack.js';

// The calendar mirrors approved leave only when asked to under tests.
const stack = useWebClientStack({ CALENDAR_CONSUME_EVENTS: 'true' });
const READER = { viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-US' };
// Tuesday 17 November 2026 on the readers' clocks (never later than the API's, which signs the tokens):
// every request below is still to come for them.
const NOW = new Date('2026-11-17T12:00:00Z');
const PAGE_SIZE = 10; // web/src/app/paged-list.ts
// Cancelling asks the API's clock whether leave is over: those tests read the clock of the run's start, days counted from it.
const TODAY = new Date();
const COMPANY_ZONE = 'Asia/Kolkata';

/** Midnight starting a day (YYYY-MM-DD) in the company's zone. */
const midnight = (day: string) => new Date(`${day}T00:00:00+05:30`).toISOString();
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
/** The day (YYYY-MM-DD) `offset` days from TODAY's in the company's zone. */
const companyDay = (offset: number) => new Date(TODAY.getTime() + 5.5 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const dayFormat = new Intl.DateTimeFormat('en-US', { timeZone: COMPANY_ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
/** The days first..last as the page writes them ("Thu, Nov 19, 2026 – Fri, Nov 20, 2026"). */
const shown = (first: string, last = first) =>
  [first, last]
    .map((day) => dayFormat.format(new Date(midnight(day))))
    .filter((text, index, all) => all.indexOf(text) === index)
    .join(' – ');
/** The week page's name for a day's region ("Thursday, November 19"), the browsers reading UTC. */
const dayRegion = (day: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });
/** Monday of a day's week (UTC), as the week page counts weeks. */
const mondayOf = (date: Date) => Math.floor(date.getTime() / 86_400_000) - ((date.getUTCDay() + 6) % 7);

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

/** Emil's leave in the calendar over the days first..last, as the API gives it. */
async function leaveInCalendar(first: string, last: string): Promise<string[]> {
  const result = await stack.platform.query(
    'emil.employee',
    'query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to, types: [LEAVE]) { start event { title } } }',
    { from: `${first}T00:00:00Z`, to: `${dayAfter(last)}T00:00:00Z` },
  );
  expect(result.errors).toBeUndefined();
  return result.data.calendarEvents.map((item: { start: string; event: { title: string } }) => `${item.event.title} ${new Date(item.start).toISOString()}`);
}

const open = (username: string, path: string): Promise<Page> => stack.signedInAt(NOW, username, path, READER);
const openToday = (username: string, path: string): Promise<Page> => stack.signedInAt(TODAY, username, path, READER);

async function cancelLeave(username: string, id: string): Promise<void> {
  const cancelled = await stack.platform.query(username, 'mutation($id: ID!) { cancelLeave(id: $id) { status } }', { id });
  expect(cancelled.errors).toBeUndefined();
}

/**
 * `username`'s page at `path` (at TODAY), whose first answer to `operation` the test holds: read from the API
 * at once (`read` resolves then), handed to the page only on `release()`. `frames()`: what its sockets handed
 * the page's own code (the messages its WebSocket dispatched), not what reached the browser: the page has
 * heard a change only once it has had the message.
 */
async function withHeldAnswer(username: string, path: string, operation: string) {
  const context = await stack.newContext(READER);
  await context.clock.setFixedTime(TODAY);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let answerRead!: () => void;
  const read = new Promise<void>((resolve) => (answerRead = resolve));
  let held = false;
  await context.route('**/graphql', async (route) => {
    if (held || !route.request().postData()?.includes(`query ${operation}(`)) return route.fallback();
    held = true;
    const response = await route.fetch();
    answerRead();
    await released;
    await route.fulfill({ response });
  });
  await context.addInitScript(() => {
    const page = window as unknown as { framesHeard: string[] };
    page.framesHeard = [];
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        // Registered before the page's own handler: it has run on the message when the test reads this.
        this.addEventListener('message', (event) => void page.framesHeard.push(String(event.data)));
      }
    };
  });
  const page = await context.newPage();
  const frames = () => page.evaluate(() => (window as unknown as { framesHeard?: string[] }).framesHeard ?? []).catch(() => [] as string[]);
  const signedIn = stack.signIn(page, username, path);
  return { page, frames, read, release, signedIn };
}

/** Whether a page's socket has brought a change of the request `id` to `status`. */
const heard = async (frames: () => Promise<string[]>, id: string, status: string) => (await frames()).some((frame) => frame.includes(id) && frame.includes(`"status":"${status}"`));

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
    // The rejection's answer is held until its live update has taken the request off the list (the order a busy
    // network gives at random): the decision is said all the same.
    const lateGroup = toDecide.getByRole('group', { name: `Emil Nair: ${LATE}` });
    let goneBeforeAnswer = false;
    await maya.route('**/graphql', async (route) => {
      if (!route.request().postData()?.includes('mutation RejectLeave(')) return route.fallback();
      const response = await route.fetch();
      goneBeforeAnswer = await lateGroup.waitFor({ state: 'detached', timeout: 30_000 }).then(
        () => true,
        () => false,
      );
      await route.fulfill({ response });
    });
    // Found by its name alone, outside its group, the later request's Reject rejects that one only.
    await toDecide.getByLabel(`Comment to Emil Nair on ${LATE} (optional)`, { exact: true }).fill('Audit week');
    await toDecide.getByRole('button', { name: `Reject Emil Nair's leave ${LATE}`, exact: true }).click();
    await expect.poll(() => said(maya), { timeout: 60_000 }).toContain(`Rejected Emil Nair's leave for ${LATE}.`);
    expect(goneBeforeAnswer).toBe(true);
    expect(await statusOf(late)).toBe('REJECTED');
    expect(await statusOf(early)).toBe('PENDING');
    await toDecide.getByRole('button', { name: `Approve Emil Nair's leave ${EARLY}`, exact: true }).waitFor();
    await screenshot(maya, 'leave-requests-named');
  });

  it('lets Emil cancel a pending request, and an approved one, which leaves his week', async () => {
    // Tomorrow and the day after in the company's zone: still to come on every clock.
    const [first, last, pendingDay] = [companyDay(1), companyDay(2), companyDay(8)];
    const approved = await requestLeave('emil.employee', first, last);
    const pending = await requestLeave('emil.employee', pendingDay);
    const APPROVED = shown(first, last);
    const PENDING = shown(pendingDay);
    const decided = await stack.platform.query('maya.manager', 'mutation($id: ID!) { approveLeave(id: $id) { status } }', { id: approved });
    expect(decided.errors).toBeUndefined();
    // The approval has reached the calendar before Emil cancels: its going away is then the cancellation's doing.
    await expect.poll(() => leaveInCalendar(first, last), { timeout: 60_000 }).toEqual([`Emil Nair on leave ${first}T00:00:00.000Z`]);

    const emil = await openToday('emil.employee', '/app/week');
    await emil.getByRole('region', { name: dayRegion(TODAY.toISOString().slice(0, 10)), exact: true }).waitFor({ timeout: 30_000 });
    // Late in the week, tomorrow is the next week's.
    if (mondayOf(new Date(`${first}T12:00:00Z`)) > mondayOf(TODAY)) await emil.getByRole('button', { name: 'Next week →' }).click();
    const thursday = emil.getByRole('region', { name: dayRegion(first), exact: true });
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
    await expect.poll(() => leaveInCalendar(first, last), { timeout: 60_000 }).toEqual([]);
    await thursday.getByText('Nothing this day').waitFor({ timeout: 60_000 });
  });

  it('lets Emil cancel approved leave already under way, saying the days taken are cancelled too', async () => {
    // Yesterday to tomorrow in the company's zone: begun, not over, approved, on the calendar.
    const [first, last] = [companyDay(-1), companyDay(1)];
    const underWay = await requestLeave('emil.employee', first, last);
    const UNDER_WAY = shown(first, last);
    const decided = await stack.platform.query('maya.manager', 'mutation($id: ID!) { approveLeave(id: $id) { status } }', { id: underWay });
    expect(decided.errors).toBeUndefined();
    await expect.poll(() => leaveInCalendar(first, last), { timeout: 60_000 }).toEqual([`Emil Nair on leave ${first}T00:00:00.000Z`]);

    const emil = await openToday('emil.employee', '/app/leave');
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
    await expect.poll(() => leaveInCalendar(first, last), { timeout: 60_000 }).toEqual([]);
  });

  it('offers no Cancel on approved leave that is over, as the API refuses it, but lets an undecided past request go', async () => {
    const [first, last, undecidedDay] = [companyDay(-10), companyDay(-9), companyDay(-20)];
    const taken = await requestLeave('emil.employee', first, last);
    await requestLeave('emil.employee', undecidedDay);
    const decided = await stack.platform.query('maya.manager', 'mutation($id: ID!) { approveLeave(id: $id) { status } }', { id: taken });
    expect(decided.errors).toBeUndefined();
    const refused = await stack.platform.query('emil.employee', 'mutation($id: ID!) { cancelLeave(id: $id) { status } }', { id: taken });
    expect(refused.errors?.[0]?.extensions?.code).toBe('LEAVE_ENDED');

    const emil = await openToday('emil.employee', '/app/leave');
    await emil.getByRole('button', { name: 'Show past requests' }).click();
    const past = emil.getByRole('region', { name: 'Past requests' });
    const takenItem = past.getByRole('listitem').filter({ hasText: shown(first, last) });
    await takenItem.getByText('Approved', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await takenItem.getByRole('button').count()).toBe(0);
    await past.getByRole('button', { name: `Cancel request ${shown(undecidedDay)}`, exact: true }).waitFor();
    expect(await statusOf(taken)).toBe('APPROVED');
  });

  it('keeps Maya’s requests to decide live, a change heard while the list loads winning over its older answer', async () => {
    const withdrawn = await requestLeave('emil.employee', companyDay(40));
    await expect.poll(() => activeSubscriptions('erp'), { timeout: 30_000 }).toBe(0);
    const maya = await withHeldAnswer('maya.manager', '/app/leave', 'PendingLeave');
    // The list is read with the request pending; its answer waits while Emil files one and cancels that one.
    await maya.read;
    await expect.poll(() => activeSubscriptions('erp'), { timeout: 30_000 }).toBe(1);
    const filed = await requestLeave('emil.employee', companyDay(41));
    await expect.poll(() => heard(maya.frames, filed, 'PENDING'), { timeout: 30_000 }).toBe(true);
    await cancelLeave('emil.employee', withdrawn);
    await expect.poll(() => heard(maya.frames, withdrawn, 'CANCELLED'), { timeout: 30_000 }).toBe(true);
    maya.release();
    await maya.signedIn;
    const toDecide = maya.page.getByRole('region', { name: 'Requests to decide' });
    const group = (day: string) => toDecide.getByRole('group', { name: `Emil Nair: ${shown(day)}`, exact: true });
    await group(companyDay(41)).waitFor({ timeout: 30_000 });
    expect(await group(companyDay(40)).count()).toBe(0);

    // Open, without reloading: what Emil files shows and is said, what he cancels goes and is said.
    const more = await requestLeave('emil.employee', companyDay(42));
    await group(companyDay(42)).waitFor({ timeout: 30_000 });
    await expect.poll(() => said(maya.page), { timeout: 30_000 }).toContain(`Emil Nair requested leave for ${shown(companyDay(42))}: it waits for your decision.`);
    await cancelLeave('emil.employee', more);
    await group(companyDay(42)).waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => said(maya.page), { timeout: 30_000 }).toContain(`Emil Nair cancelled their leave request for ${shown(companyDay(42))}.`);
    await cancelLeave('emil.employee', filed);
    await group(companyDay(41)).waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('shows Emil a decision heard while his list loads, not the older answer', async () => {
    const decidedDay = companyDay(50);
    const decided = await requestLeave('emil.employee', decidedDay);
    await expect.poll(() => activeSubscriptions('erp'), { timeout: 30_000 }).toBe(0);
    const emil = await withHeldAnswer('emil.employee', '/app/leave', 'MyLeave');
    await emil.read;
    await expect.poll(() => activeSubscriptions('erp'), { timeout: 30_000 }).toBe(1);
    const approved = await stack.platform.query('maya.manager', 'mutation($id: ID!) { approveLeave(id: $id) { status } }', { id: decided });
    expect(approved.errors).toBeUndefined();
    await expect.poll(() => heard(emil.frames, decided, 'APPROVED'), { timeout: 30_000 }).toBe(true);
    emil.release();
    await emil.signedIn;
    const item = emil.page
      .getByRole('region', { name: 'My requests' })
      .getByRole('listitem')
      .filter({ hasText: shown(decidedDay) });
    await item.getByText('Approved by Maya Pillai').waitFor({ timeout: 30_000 });
    expect(await item.getByText('Approved', { exact: true }).count()).toBe(1);
    await cancelLeave('emil.employee', decided);
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
