/**
 * Dates and text as every subgraph reads them (platform/date-time.ts,
 * platform/graphql/text-input.ts): impossible dates and far years refused
 * at the door instead of rolled over, stored, and dead-lettered later; NUL
 * and other control characters refused by a subgraph on its own, not a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateTime, payloadIssues, string } from '../platform/events/payload-schema.js';
import { startTestPlatform, type TestPlatform } from './support/test-platform.js';
import { callSubgraph, demoViewer } from './support/subgraph-client.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'erp', 'calendar'] });
});
afterAll(async () => platform?.stop());

const CREATE_EVENT = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id start end } }`;

async function asAdmin(query: string, variables?: Record<string, unknown>) {
  const response = await platform.request({ token: await platform.tokenFor('admin'), query, variables });
  expect(response.status).toBeLessThan(500);
  return response.body;
}

describe('DateTime', () => {
  it('refuses impossible dates instead of rolling them over, and years outside 1900-2200', async () => {
    for (const start of [
      '2027-02-30T10:00:00Z',
      '2026-02-29T10:00:00Z',
      '2027-13-01T10:00:00Z',
      '2027-01-01T24:00:00Z',
      '2027-01-01T10:00:60Z',
      '2027-01-01T10:00:00+24:00',
      '9999-01-01T00:00:00Z',
      '1899-12-31T23:59:59Z',
      '2200-12-31T23:00:00-05:00',
      '2027-03-01 10:00:00Z',
      '2027-03-01T10:00:00',
      '+010000-01-01T00:00:00Z',
    ]) {
      const body = await asAdmin(CREATE_EVENT, { input: { title: 'Dated', start } });
      expect(body.errors?.[0]?.extensions?.code, start).toBe('BAD_USER_INPUT');
    }
    const { data } = await asAdmin(CREATE_EVENT, { input: { title: 'Leap day', start: '2028-02-29T10:00:00+01:00', end: '2028-02-29T11:00:00+01:00' } });
    expect(data.createCalendarEvent).toMatchObject({ start: '2028-02-29T09:00:00.000Z', end: '2028-02-29T10:00:00.000Z' });
    // The last second the scalar takes is a date like any other (an event lasts at most 366 days: it starts near it).
    const { data: last } = await asAdmin(CREATE_EVENT, { input: { title: 'Last hour', start: '2200-12-31T23:00:00Z', end: '2200-12-31T23:59:59Z' } });
    expect(last.createCalendarEvent).toMatchObject({ end: '2200-12-31T23:59:59.000Z' });
    const { data: rows } = await asAdmin(`{ calendarEvents(from: "2028-02-29T00:00:00Z", to: "2028-03-01T00:00:00Z") { event { title } } }`);
    expect(rows.calendarEvents.map((occurrence: { event: { title: string } }) => occurrence.event.title)).toContain('Leap day');
  });

  it('refuses a task due in year 9999 in erp, so no event carries it to the calendar', async () => {
    const projects = await asAdmin('{ projects { id } }');
    const projectId = projects.data.projects[0].id;
    const body = await asAdmin(`mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }`, { input: { projectId, title: 'Far', dueDate: '9999-12-31T00:00:00Z' } });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('is read the same way in event payloads (publish and ingest)', () => {
    const check = (value: unknown) => payloadIssues(dateTime(), value).length + payloadIssues(string(), value).length;
    expect(check('2027-02-28T10:00:00Z')).toBe(0);
    expect(check('2027-02-30T10:00:00Z')).toBe(1);
    expect(check('9999-12-31T00:00:00Z')).toBe(1);
    expect(check('a\u0000b')).toBe(2);
  });
});

describe('recurrence rules', () => {
  it('refuses with BAD_USER_INPUT, storing nothing, rules that ical.js parses but will not iterate or finds nothing in', async () => {
    // Each parses part by part; ical.js throws only when the iterator starts (BYYEARDAY with BYMONTH, BYWEEKNO with BYMONTHDAY, ...).
    for (const recurrenceRule of [
      'FREQ=YEARLY;BYYEARDAY=366;BYMONTH=12',
      'FREQ=YEARLY;BYWEEKNO=10;BYMONTHDAY=1',
      'FREQ=MONTHLY;BYWEEKNO=3',
      'FREQ=WEEKLY;BYMONTHDAY=2',
      'FREQ=DAILY;BYYEARDAY=5',
      // Iterates, but finds nothing: the event would never show.
      'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0',
      'FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=1,-0',
    ]) {
      const body = await asAdmin(CREATE_EVENT, { input: { title: 'Odd rule', start: '2027-03-01T10:00:00Z', recurrenceRule } });
      expect([recurrenceRule, body.errors?.[0]?.extensions?.code]).toEqual([recurrenceRule, 'BAD_USER_INPUT']);
      expect(body.errors?.[0]?.message).toMatch(/recurrence rule/);
    }
    const { data } = await asAdmin(`{ calendarEvents(from: "2027-03-01T00:00:00Z", to: "2027-03-02T00:00:00Z") { event { title } } }`);
    expect(data.calendarEvents.filter((occurrence: { event: { title: string } }) => occurrence.event.title === 'Odd rule')).toEqual([]);
  });

  it('stores long daily series (UNTIL in year 9999, COUNT=99999) and reads them, without walking them to their end', async () => {
    for (const recurrenceRule of ['FREQ=DAILY;UNTIL=99991231T000000Z', 'FREQ=DAILY;COUNT=99999']) {
      const body = await asAdmin(CREATE_EVENT, { input: { title: 'Long series', start: '2027-04-01T10:00:00Z', timezone: 'Europe/Berlin', recurrenceRule } });
      expect([recurrenceRule, body.errors]).toEqual([recurrenceRule, undefined]);
      const read = await asAdmin(`query($id: ID!) { calendarEvent(id: $id) { occurrences(from: "2027-04-01T00:00:00Z", to: "2027-04-04T00:00:00Z") { start } } }`, {
        id: body.data.createCalendarEvent.id,
      });
      expect(read.data.calendarEvent.occurrences).toHaveLength(3);
    }
  });
});

describe('text arguments', () => {
  const direct = (name: 'calendar' | 'erp', query: string, variables?: Record<string, unknown>) =>
    callSubgraph({ url: platform.subgraphs[name]!.url, audience: name, secret: platform.config.internalSigningSecret, viewer: demoViewer('admin'), query, variables });

  it('a subgraph on its own refuses NUL and control characters with BAD_USER_INPUT (no 500, nothing stored)', async () => {
    for (const title of ['a\u0000b', 'bell\u0007', 'esc\u001b[31m', 'del\u007f', 'lone \ud800 surrogate', 'line\r\nbreak']) {
      const { status, body } = await direct('calendar', CREATE_EVENT, { input: { title, start: '2027-01-01T10:00:00Z' } });
      expect(status, JSON.stringify(title)).toBeLessThan(500);
      expect(body.errors?.[0]?.extensions?.code, JSON.stringify(title)).toBe('BAD_USER_INPUT');
    }
    const literal = await direct('calendar', `mutation { createCalendarEvent(input: { title: "nul\\u0000", start: "2027-01-01T10:00:00Z" }) { id } }`);
    expect(literal.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const rrule = await direct('calendar', CREATE_EVENT, { input: { title: 'Series', start: '2027-01-01T10:00:00Z', recurrenceRule: 'FREQ=DAILY;COUNT=2\r\nATTENDEE:x' } });
    expect(rrule.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const task = await direct('erp', `mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }`, {
      input: { projectId: '00000000-0000-0000-0000-000000000000', title: 'x\u0000' },
    });
    expect(task.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { data } = await asAdmin(`{ calendarEvents(from: "2027-01-01T00:00:00Z", to: "2027-01-02T00:00:00Z") { start } }`);
    expect(data.calendarEvents).toEqual([]);
  });

  it('keeps line breaks in prose', async () => {
    const { body } = await direct('calendar', CREATE_EVENT, { input: { title: 'Notes', description: 'first line\nsecond line', start: '2027-01-02T10:00:00Z' } });
    expect(body.errors).toBeUndefined();
  });
});
