/**
 * The calendar's event list a page at a time, through the gateway:
 * calendarEventsConnection gives, page after page, exactly the occurrences
 * calendarEvents gives at once (same order, same visibility, series expanded).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], env: { GATEWAY_RATE_LIMIT_STORE: 'memory' } });
});
afterAll(() => platform?.stop());

const RANGE = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };
const key = (occurrence: any) => `${occurrence.event.id}@${occurrence.start}`;

it('pages through what calendarEvents lists, for each role, series included', async () => {
  // A weekly series, so that occurrences of one event span pages.
  const created = await platform.query('emil.employee', 'mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }', {
    input: { title: 'Weekly', start: '2026-03-02T09:00:00Z', end: '2026-03-02T09:30:00Z', recurrenceRule: 'FREQ=WEEKLY;COUNT=7' },
  });
  expect(created.errors).toBeUndefined();
  for (const username of ['admin', 'emil.employee', 'sam.student']) {
    const all = (
      await platform.query(username, 'query($from: DateTime!, $to: DateTime!) { calendarEvents(from: $from, to: $to) { start event { id } } }', RANGE)
    ).data.calendarEvents.map(key);
    const paged: string[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const { data, errors }: { data?: any; errors?: unknown } = await platform.query(
        username,
        'query($from: DateTime!, $to: DateTime!, $after: String) { calendarEventsConnection(from: $from, to: $to, first: 3, after: $after) { edges { cursor node { start event { id } } } pageInfo { hasNextPage endCursor } } }',
        { ...RANGE, after },
      );
      expect(errors).toBeUndefined();
      const connection: { edges: any[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = data.calendarEventsConnection;
      expect(connection.edges.length).toBeLessThanOrEqual(3);
      paged.push(...connection.edges.map((edge: any) => key(edge.node)));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
      expect(page).toBeLessThan(100);
    }
    expect(paged, username).toEqual(all);
    if (username === 'emil.employee') expect(all.filter((entry: string) => entry.startsWith(created.data.createCalendarEvent.id))).toHaveLength(7);
  }
  const bad = await platform.query(
    'admin',
    'query($from: DateTime!, $to: DateTime!) { calendarEventsConnection(from: $from, to: $to, after: "bm9wZQ") { edges { cursor } } }',
    RANGE,
  );
  expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});
