/**
 * Occurrences are capped per series and per request, with errors that name
 * the cap, so that one user's request cannot hold the calendar for everyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { subgraphCaller } from '../../../test/support/subgraph-caller.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
});
afterAll(() => platform?.stop());

const calendar = subgraphCaller(() => platform, 'calendar');
const call = async (username: string, query: string, variables?: Record<string, unknown>) => (await calendar(username, query, variables)).body;
const CREATE = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
const base = { title: 'Ping', start: '2026-01-05T09:00:00Z', end: '2026-01-05T09:10:00Z' };

describe('occurrence caps', () => {
  it('refuses a series with more occurrences in a year than the cap, naming it', async () => {
    const hourly = await call('emil.employee', CREATE, { input: { ...base, recurrenceRule: 'FREQ=HOURLY' } });
    expect(hourly.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(hourly.errors?.[0]?.message).toMatch(/at most 5000 are allowed \(CALENDAR_MAX_SERIES_OCCURRENCES_PER_YEAR\)/);
    const minutely = await call('emil.employee', CREATE, { input: { ...base, recurrenceRule: 'FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23' } });
    expect(minutely.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a request that expands more occurrences than the cap, however they are asked for', async () => {
    const working = await call('emil.employee', CREATE, { input: { ...base, recurrenceRule: 'FREQ=HOURLY;BYHOUR=9,10,11,12,13,14,15,16,17;BYDAY=MO,TU,WE,TH,FR' } });
    expect(working.errors).toBeUndefined();
    const id = working.data.createCalendarEvent.id;
    const one = await call('emil.employee', `query($id: ID!) { calendarEvent(id: $id) { occurrences(from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z") { start } } }`, {
      id,
    });
    expect(one.data.calendarEvent.occurrences.length).toBeGreaterThan(2000);
    const aliases = Array.from({ length: 12 }, (_, i) => `a${i}: occurrences(from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z") { start }`).join(' ');
    const many = await call('emil.employee', `query($id: ID!) { calendarEvent(id: $id) { ${aliases} } }`, { id });
    expect(many.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(many.errors?.[0]?.message).toMatch(/more than 20000 occurrences \(CALENDAR_MAX_OCCURRENCES_PER_REQUEST\)/);
    // The same in a list query under aliases.
    const lists = Array.from({ length: 12 }, (_, i) => `l${i}: calendarEvents(from: "2026-01-01T00:00:00Z", to: "2026-12-31T00:00:00Z") { start }`).join(' ');
    const listed = await call('emil.employee', `{ ${lists} }`);
    expect(listed.errors?.[0]?.message).toMatch(/CALENDAR_MAX_OCCURRENCES_PER_REQUEST/);
  });
});
