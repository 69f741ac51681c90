/**
 * Answering an invitation from the week page, as an ERP employee invited to
 * a meeting does: Yes, Maybe or No beside each event they take part in (not
 * beside their own, nor beside a holiday everyone sees), pressed with
 * the keyboard without losing the focus, said in the log region, kept by the
 * API; for a weekly series, the answer is for the occurrence on screen only.
 * A failed answer is said in words and changes nothing.
 */
import type { Page, Route } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { said, screenshot } from './browser-session.js';
import { useWebClientStack } from './web-client-stack.js';

const stack = useWebClientStack();
// The reader's clock on Tuesday 17 November 2026 (the API's is the real one), in UTC.
const READER = { viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-US' };
const NOW = new Date('2026-11-17T12:00:00Z');
const EMIL = '9';
const stamp = Date.now();
const meeting = `Budget review ${stamp}`;
const series = `Weekly stand-up ${stamp}`;
const holiday = `Founders' day ${stamp}`;
const passedOn = `Supplier call ${stamp}`;

async function create(input: Record<string, unknown>): Promise<void> {
  const created = await stack.platform.query('maya.manager', 'mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }', {
    input: { eventType: 'MEETING', ...input },
  });
  expect(created.errors).toBeUndefined();
}

/** Emil's answer to each occurrence of an event in [from, to), as the API keeps it. */
async function answersOf(title: string, from: string, to: string): Promise<string[]> {
  const result = await stack.platform.query(
    'emil.employee',
    'query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { event { title } participants { status user { id } } } }',
    { from, to },
  );
  expect(result.errors).toBeUndefined();
  return result.data.calendarEvents
    .filter((item: { event: { title: string } }) => item.event.title === title)
    .map((item: { participants: { status: string; user: { id: string } | null }[] }) => item.participants.find((p) => p.user?.id === EMIL)?.status);
}

beforeAll(async () => {
  await create({ title: meeting, start: '2026-11-18T10:00:00Z', end: '2026-11-18T11:00:00Z', participantIds: [EMIL] });
  // Mondays 09:00 from 16 November, three weeks.
  await create({ title: series, start: '2026-11-16T09:00:00Z', end: '2026-11-16T09:15:00Z', recurrenceRule: 'FREQ=WEEKLY;COUNT=3', participantIds: [EMIL] });
  // Everyone's, nobody's to answer.
  await create({ title: holiday, eventType: 'HOLIDAY', allDay: true, start: '2026-11-19T00:00:00Z', end: '2026-11-20T00:00:00Z' });
  // Passed on from Emil's calendar app (PARTSTAT=DELEGATED, as a CalDAV pull stores it).
  await create({ title: passedOn, start: '2026-11-20T14:00:00Z', end: '2026-11-20T15:00:00Z', participantIds: [EMIL] });
  const updated = await stack.platform.db
    .updateTable('calendar.event_participants')
    .set({ status: 'DELEGATED' })
    .where('user_id', '=', EMIL)
    .where('event_id', 'in', stack.platform.db.selectFrom('calendar.calendar_events').select('id').where('title', '=', passedOn))
    .executeTakeFirst();
  expect(Number(updated.numUpdatedRows)).toBe(1);
}, 60_000);

const day = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const focused = (page: Page) => page.evaluate(() => `${document.activeElement?.tagName.toLowerCase()} ${document.activeElement?.getAttribute('aria-label') ?? ''}`);

async function weekOf(username: string, allowed?: (text: string) => boolean): Promise<Page> {
  const page = await stack.signedInAt(NOW, username, '/app/week', READER, allowed);
  await page.getByRole('heading', { name: 'My week' }).waitFor();
  return page;
}

describe('answering invitations from the week page', { timeout: 180_000 }, () => {
  it('answers a meeting with the keyboard, keeps the focus on the answer, says it, and the API keeps it', async () => {
    const page = await weekOf('emil.employee');
    const wednesday = day(page, 'Wednesday, November 18');
    const answer = wednesday.getByRole('group', { name: `Your answer to ${meeting}` });
    await answer.waitFor({ timeout: 30_000 });
    // A holiday: seen, but not an invitation.
    await day(page, 'Thursday, November 19').getByText(holiday).waitFor();
    expect(await day(page, 'Thursday, November 19').getByRole('group').count()).toBe(0);
    expect(await answer.getByRole('button', { pressed: true }).count()).toBe(0);

    const yes = answer.getByRole('button', { name: `Yes to ${meeting}`, exact: true });
    await yes.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => yes.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => said(page)).toContain(`Your answer to ${meeting}: Yes.`);
    expect(await focused(page)).toBe(`button Yes to ${meeting}`);
    await expect.poll(() => answersOf(meeting, '2026-11-18T00:00:00Z', '2026-11-19T00:00:00Z')).toEqual(['ACCEPTED']);

    // Changed with Tab and Enter: the focus stays on the new answer.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => answer.getByRole('button', { name: `Maybe to ${meeting}`, exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await yes.getAttribute('aria-pressed')).toBe('false');
    expect(await focused(page)).toBe(`button Maybe to ${meeting}`);
    await expect.poll(() => answersOf(meeting, '2026-11-18T00:00:00Z', '2026-11-19T00:00:00Z')).toEqual(['TENTATIVE']);
    await screenshot(page, 'week-answers');

    // A new page shows the answer the API kept.
    await page.reload();
    const shown = day(page, 'Wednesday, November 18').getByRole('button', { name: `Maybe to ${meeting}`, exact: true });
    await expect.poll(() => shown.getAttribute('aria-pressed').catch(() => null), { timeout: 30_000 }).toBe('true');
  });

  it('answers one occurrence of a series, not the others', async () => {
    const page = await weekOf('emil.employee');
    const answer = day(page, 'Monday, November 16').getByRole('group', { name: `Your answer to ${series}` });
    await answer.waitFor({ timeout: 30_000 });
    await answer.getByRole('button', { name: `No to ${series}`, exact: true }).click();
    await expect.poll(() => said(page)).toContain(`Your answer to ${series}: No.`);
    await expect.poll(() => answersOf(series, '2026-11-16T00:00:00Z', '2026-12-07T00:00:00Z')).toEqual(['DECLINED', 'PENDING', 'PENDING']);
  });

  it('says an answer passed on in a calendar app, none of the three pressed, and takes a new one', async () => {
    const page = await weekOf('emil.employee');
    const answer = day(page, 'Friday, November 20').getByRole('group', { name: `Your answer to ${passedOn}` });
    await answer.waitFor({ timeout: 30_000 });
    expect(await answer.getByText('You passed this on to someone else').count()).toBe(1);
    expect(await answer.getAttribute('aria-describedby')).toBeTruthy();
    expect(await answer.getByRole('button', { pressed: true }).count()).toBe(0);
    const yes = answer.getByRole('button', { name: `Yes to ${passedOn}`, exact: true });
    await yes.click();
    // The API keeps the answer before the page hears back: the page is read once it says so.
    await expect.poll(() => yes.getAttribute('aria-pressed')).toBe('true');
    expect(await answer.getByText('You passed this on to someone else').count()).toBe(0);
    await expect.poll(() => answersOf(passedOn, '2026-11-20T00:00:00Z', '2026-11-21T00:00:00Z')).toEqual(['ACCEPTED']);
  });

  it('keeps the answer just given when a read of the week begun before it answers after it', async () => {
    const planning = `Planning ${stamp}`;
    await create({ title: planning, start: '2026-11-18T13:00:00Z', end: '2026-11-18T14:00:00Z', participantIds: [EMIL] });
    const context = await stack.newContext(READER);
    await context.clock.setFixedTime(NOW);
    // The live updates reach the page only while the test lets them (the event's creation may still come, late).
    let holdUpdates = true;
    const heldUpdates: (() => void)[] = [];
    const passUpdates = () => {
      holdUpdates = false;
      for (const deliver of heldUpdates.splice(0)) deliver();
    };
    await context.routeWebSocket(/\/graphql$/, (socket) => {
      const server = socket.connectToServer();
      server.onMessage((message) => {
        if (holdUpdates && String(message).includes('"type":"next"')) heldUpdates.push(() => socket.send(message));
        else socket.send(message);
      });
    });
    const page = await context.newPage();
    await stack.signIn(page, 'emil.employee', '/app/week');
    const answer = day(page, 'Wednesday, November 18').getByRole('group', { name: `Your answer to ${planning}` });
    await answer.waitFor({ timeout: 30_000 });
    const button = (word: string) => answer.getByRole('button', { name: `${word} to ${planning}`, exact: true });
    // The week's answers the page has read (its code has run on each once this counts it).
    await page.evaluate(() => {
      const counted = window as unknown as { weeksRead: number };
      counted.weeksRead = 0;
      const json = Response.prototype.json;
      Response.prototype.json = async function (this: Response) {
        const body = await json.call(this);
        if (JSON.stringify(body).includes('"calendarEvents"')) counted.weeksRead++;
        return body;
      };
    });
    const weeksRead = () => page.evaluate(() => (window as unknown as { weeksRead: number }).weeksRead);
    // Each read of the week reaches the API at once (as it stands then), its answer held until the test lets it go.
    const heldReads: (() => void)[] = [];
    let holdReads = false;
    await page.route('**/graphql', async (route: Route) => {
      if (!holdReads || !(route.request().postData() ?? '').includes('query Week(')) return route.fallback();
      const response = await route.fetch();
      await new Promise<void>((resolve) => heldReads.push(resolve));
      await route.fulfill({ response }).catch(() => {});
    });

    // Yes, kept; then a change elsewhere in the week (an answer is none) has the page read the week again, after
    // Yes and before Maybe is pressed.
    await button('Yes').click();
    await expect.poll(() => button('Yes').getAttribute('aria-pressed')).toBe('true');
    holdReads = true;
    passUpdates();
    await create({ title: `Retrospective ${stamp}`, start: '2026-11-21T10:00:00Z', end: '2026-11-21T11:00:00Z', participantIds: [EMIL] });
    await expect.poll(() => heldReads.length, { timeout: 30_000 }).toBeGreaterThan(0);
    holdUpdates = true;
    const readBeforeMaybe = heldReads.length;
    await button('Maybe').click();
    await expect.poll(() => button('Maybe').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => answersOf(planning, '2026-11-18T00:00:00Z', '2026-11-19T00:00:00Z')).toEqual(['TENTATIVE']);

    // The reads made before Maybe answer now, saying Yes: the page has read them, and still says Maybe.
    const before = await weeksRead();
    for (const release of heldReads.slice(0, readBeforeMaybe)) release();
    await expect.poll(weeksRead, { timeout: 30_000 }).toBe(before + readBeforeMaybe);
    expect(await button('Maybe').getAttribute('aria-pressed')).toBe('true');
    expect(await button('Yes').getAttribute('aria-pressed')).toBe('false');

    // Everything let through: the page ends where the API is.
    holdReads = false;
    for (const release of heldReads.splice(0)) release();
    passUpdates();
    await expect.poll(() => page.locator('.week').getAttribute('aria-busy'), { timeout: 30_000 }).toBe('false');
    expect(await button('Maybe').getAttribute('aria-pressed')).toBe('true');
  });

  it('shows no answer beside the organizer’s own meeting', async () => {
    const page = await weekOf('maya.manager');
    const wednesday = day(page, 'Wednesday, November 18');
    await wednesday.getByText(meeting).waitFor({ timeout: 30_000 });
    expect(await wednesday.getByRole('group', { name: `Your answer to ${meeting}` }).count()).toBe(0);
  });

  it('says in words when the answer cannot be sent, and keeps the previous one', async () => {
    const page = await weekOf('emil.employee', (text) => /ERR_INTERNET_DISCONNECTED/.test(text));
    const answer = day(page, 'Wednesday, November 18').getByRole('group', { name: `Your answer to ${meeting}` });
    await answer.waitFor({ timeout: 30_000 });
    const before = await answersOf(meeting, '2026-11-18T00:00:00Z', '2026-11-19T00:00:00Z');
    await page.route('**/graphql', (route) => ((route.request().postData() ?? '').includes('mutation RespondToEvent') ? route.abort('internetdisconnected') : route.fallback()));
    await answer.getByRole('button', { name: `No to ${meeting}`, exact: true }).click();
    const alert = answer.locator('..').getByRole('alert');
    await expect.poll(() => alert.innerText().catch(() => '')).toMatch(/could not be reached|offline/);
    expect(await alert.innerText()).not.toMatch(/\b[A-Z]+_[A-Z0-9_]+\b/);
    expect(await answer.getByRole('button', { name: `No to ${meeting}`, exact: true }).getAttribute('aria-pressed')).toBe('false');
    expect(await answersOf(meeting, '2026-11-18T00:00:00Z', '2026-11-19T00:00:00Z')).toEqual(before);
  });
});
