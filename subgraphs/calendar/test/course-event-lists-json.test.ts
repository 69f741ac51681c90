/**
 * A course's events written as JSON text by PostgreSQL (course-event-json.ts,
 * on the fast path's graphql-jit requests) must be the very bytes graphql-js
 * and JSON.stringify write from rows: the same request is sent to calendar
 * and to a twin of it executing with graphql-js (which never answers raw
 * JSON), over events with awkward text, nulls and instants (microseconds,
 * before 1970, year 500, 1 BC), and over events whose list the service
 * changes after reading: a private one (its title withheld), a series (its
 * occurrences decide), an all-day event without an end, an end half a
 * millisecond past `from` (whole milliseconds decide); a cancelled event and
 * another company's on the same course id; each form of range and a few
 * plain selections.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '../../../platform/auth/gateway-signature.js';
import { DEMO_COMPANIES } from '../../../platform/demo/demo-ids.js';
import { createLogger } from '../../../platform/logger.js';
import { startSubgraph, type RunningSubgraph } from '../../../platform/subgraph/start-subgraph.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { SUBGRAPH_MODULES } from '../../registry.js';
import { EventRepository } from '../repositories/event-repository.js';
import { DEFAULT_OCCURRENCE_LIMITS, setOccurrenceLimits } from '../recurrence/occurrence-limits.js';
import { expectStoredJsonTexts } from './stored-json-texts.js';

let platform: TestPlatform;
let twin: RunningSubgraph;

const AWKWARD = '"quoted" back\\slash /slash\ttab\nline\rreturn\bback\fform \u0001\u001f\u007f end';
const WIDE = 'é 中文 😀 \u2028\u2029\uFEFF ’';
const PLAIN = '9801';
const OTHER_COMPANY_TITLE = 'another company’s event';
const BHEEM = DEMO_COMPANIES.bheem.id;

interface Row {
  course: string;
  title: string;
  start: string;
  end?: string;
  allDay?: boolean;
  timezone?: string;
  rule?: string;
  type?: string;
  metadata?: string;
  cancelled?: boolean;
  company?: string;
}

const EVENTS: Row[] = [
  { course: PLAIN, title: AWKWARD, start: '2026-12-08 18:00:00.999+00', type: 'LIVE_CLASS' },
  { course: PLAIN, title: WIDE, start: '2026-12-08 18:00:00.456+00', end: '2026-12-08 19:00:00.123+00', timezone: 'Asia/Kolkata', type: 'MEETING' },
  { course: PLAIN, title: '', start: '1969-12-31 23:59:59.999+00', end: '2026-12-08 00:30:00+00', type: 'CUSTOM' },
  { course: PLAIN, title: 'year 500, all day', start: '0500-06-01 00:00:00+00', end: '2026-12-09 00:00:00+00', allDay: true },
  { course: PLAIN, title: 'same time, later id', start: '2026-12-08 18:00:00.999+00', end: '2026-12-08 18:00:00.999+00' },
  { course: PLAIN, title: 'cancelled', start: '2026-12-08 10:00:00+00', cancelled: true },
  { course: PLAIN, title: OTHER_COMPANY_TITLE, start: '2026-12-08 10:00:00+00', company: DEMO_COMPANIES.globex.id },
  // Read as rows when ranged: microseconds, and an end half a millisecond past `from` (kept by SQL, dropped by
  // occurrenceCount on milliseconds); 1 BC, which the scalar writes and to_json would not.
  { course: '9802', title: 'microseconds', start: '2026-12-08 18:00:00.000456+00' },
  { course: '9802', title: 'ends just past from', start: '2026-12-07 23:00:00+00', end: '2026-12-08 00:00:00.0005+00' },
  { course: '9803', title: 'in 1 BC', start: '0001-06-01 00:00:00+00 BC' },
  { course: '9803', title: 'fine', start: '2026-12-08 09:00:00+00' },
  // A series whose occurrences all fall before the range; a private event (withheld from the admin).
  { course: '9804', title: 'daily, three times', start: '2026-12-01 09:00:00+00', end: '2026-12-01 10:00:00+00', rule: 'FREQ=DAILY;COUNT=3' },
  { course: '9804', title: 'one-off beside it', start: '2026-12-08 09:00:00+00' },
  { course: '9805', title: 'private', start: '2026-12-08 09:00:00+00', metadata: '{"class":"PRIVATE"}' },
  // All day, no end: it lasts a day (occurrenceCount), as the session's zone may not say.
  { course: '9806', title: 'all day, no end', start: '2026-12-07 00:00:01+00', allDay: true },
];

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  const deps = { config: platform.config, databaseUrl: platform.database.url, log: createLogger('test') };
  twin = await startSubgraph(await SUBGRAPH_MODULES.calendar!(), deps, { port: 0 }, { fastPathEngine: 'graphql-js' });
  for (const e of EVENTS) {
    await sql`INSERT INTO calendar.calendar_events (company_id, course_id, title, start_time, end_time, all_day, timezone, recurrence_rule, event_type, metadata, is_cancelled, organizer_id)
      VALUES (${e.company ?? BHEEM}, ${e.course}, ${e.title}, ${e.start}::timestamptz, ${e.end ?? null}::timestamptz, ${e.allDay ?? false}, ${e.timezone ?? 'UTC'},
        ${e.rule ?? null}, ${e.type ?? 'LIVE_CLASS'}, ${e.metadata ?? '{}'}::jsonb, ${e.cancelled ?? false}, '999')`.execute(platform.db);
  }
}, 120_000);
afterAll(async () => {
  await twin?.stop();
  await platform?.stop();
});

/** The answer's exact text, sent as the gateway sends it (the same body and identity header to either). */
async function answerText(url: string, body: string): Promise<string> {
  const identity = signIdentity(platform.config.internalSigningSecret, demoViewer('admin'), 'calendar', body);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity }, body });
  return `${response.status} ${response.headers.get('content-type')}\n${await response.text()}`;
}

const representations = [PLAIN, '9802', '9803', '9804', '9805', '9806', '101', '999999'].map((id) => ({ __typename: 'Course', id, viewerRole: null }));

const SELECTIONS = ['id title start', 'id title start eventType', 'e: end t: title allDay timezone __typename id', 'title'];
const RANGES = ['', '(from: $from)', '(to: $to)', '(from: $from, to: $to)'];

describe("calendar's course event lists written by PostgreSQL", () => {
  it.each(RANGES.flatMap((range) => SELECTIONS.map((selection) => [range, selection])))('answer %s { %s } as graphql-js does, byte for byte', async (range, selection) => {
    const variables = `$representations: [_Any!]!${range.includes('$from') ? ' $from: DateTime' : ''}${range.includes('$to') ? ' $to: DateTime' : ''}`;
    const query = `query(${variables}) { _entities(representations: $representations) { ... on Course { calendarEvents${range} { ${selection} } } } }`;
    const body = JSON.stringify({ query, variables: { representations, from: '2026-12-08T00:00:00.000Z', to: '2026-12-09T00:00:00.000Z' } });
    const calendar = platform.subgraphs.calendar!.url;
    // The first of each is Apollo Server's (which records the text), the next the fast path's.
    await answerText(calendar, body);
    await answerText(twin.url, body);
    const expected = await answerText(twin.url, body);
    expect(await answerText(calendar, body)).toBe(expected);
    expect(expected).not.toContain(OTHER_COMPANY_TITLE);
    expect(expected).not.toContain('"errors"');
    if (selection.includes('title')) {
      expect(expected).not.toContain('"private"');
      expect(expected).toContain('"Busy"');
    }
  });

  it('spend the occurrence budget as graphql-js does: the cap is passed in the same course', async () => {
    // Both services run in this process: the cap is theirs. The first course has 5 events in the range.
    setOccurrenceLimits({ ...DEFAULT_OCCURRENCE_LIMITS, perRequest: 6 });
    try {
      const query =
        'query($representations: [_Any!]!, $from: DateTime, $to: DateTime) { _entities(representations: $representations) { ... on Course { calendarEvents(from: $from, to: $to) { id title start } } } }';
      const body = JSON.stringify({ query, variables: { representations, from: '2026-12-08T00:00:00.000Z', to: '2026-12-09T00:00:00.000Z' } });
      const calendar = platform.subgraphs.calendar!.url;
      await answerText(calendar, body);
      await answerText(twin.url, body);
      const expected = await answerText(twin.url, body);
      expect(expected).toContain('CALENDAR_MAX_OCCURRENCES_PER_REQUEST');
      expect(expected).toContain('"path":["_entities",2,"calendarEvents"]');
      // Stack traces (shown outside production) differ in their frames, not in what they say.
      const withoutStacks = (text: string) => text.replace(/,"stacktrace":\[[^\]]*\]/g, '');
      expect(withoutStacks(await answerText(calendar, body))).toBe(withoutStacks(expected));
    } finally {
      setOccurrenceLimits(DEFAULT_OCCURRENCE_LIMITS);
    }
  });
});

/**
 * The lists' titles and times are copied from title_json, start_json and end_json (migrations/event-json-texts.ts):
 * they must follow the columns however written (stored-json-texts.ts; the mutations, pulls and domain events are
 * checked in their own files), and under any session settings.
 */
describe("calendar's stored event JSON texts", () => {
  /** Calendar's answer for every range and the bench's selection, checked to be graphql-js's byte for byte. */
  async function listsAsTwinWrites(): Promise<string[]> {
    const answers: string[] = [];
    for (const range of RANGES) {
      const variables = `$representations: [_Any!]!${range.includes('$from') ? ' $from: DateTime' : ''}${range.includes('$to') ? ' $to: DateTime' : ''}`;
      const query = `query(${variables}) { _entities(representations: $representations) { ... on Course { calendarEvents${range} { id title start end } } } }`;
      const body = JSON.stringify({ query, variables: { representations, from: '2026-12-08T00:00:00.000Z', to: '2026-12-09T00:00:00.000Z' } });
      await answerText(platform.subgraphs.calendar!.url, body);
      await answerText(twin.url, body);
      const expected = await answerText(twin.url, body);
      expect(await answerText(platform.subgraphs.calendar!.url, body)).toBe(expected);
      expect(expected).not.toContain('"errors"');
      answers.push(expected);
    }
    return answers;
  }

  it('are the scalar\u2019s text of the odd times (1969, year 500, 1 BC, microseconds, no end) and the odd titles\u2019 JSON', async () => {
    expect(await expectStoredJsonTexts(platform.db)).toBeGreaterThanOrEqual(EVENTS.length);
  });

  it('follow titles and times set by raw SQL under other session settings (time zone, DateStyle, IntervalStyle)', async () => {
    await platform.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL TIME ZONE 'Asia/Kolkata'`.execute(trx);
      await sql`SET LOCAL DateStyle = 'SQL, DMY'`.execute(trx);
      await sql`SET LOCAL IntervalStyle = 'sql_standard'`.execute(trx);
      // The plain course's events move by an hour and some milliseconds (its end-less ones keep no end) and are
      // renamed; one more is written as Kolkata's local time, and one with microseconds beside the microseconds one.
      await sql`UPDATE calendar.calendar_events SET title = title || ' "moved"', start_time = start_time + make_interval(hours => 1, secs => 0.123),
        end_time = end_time + make_interval(hours => 1, secs => 0.123) WHERE course_id = ${PLAIN}`.execute(trx);
      await sql`INSERT INTO calendar.calendar_events (company_id, course_id, title, start_time, end_time, event_type, organizer_id)
        VALUES (${BHEEM}, ${PLAIN}, 'set in Kolkata', '08/12/2026 23:30:00.456', '09/12/2026 00:15:00', 'MEETING', '999'),
          (${BHEEM}, '9802', 'set in Kolkata, microseconds', '08/12/2026 10:00:00.000001', null, 'MEETING', '999')`.execute(trx);
    });
    // The plain course's lists must come as PostgreSQL's text (its stored texts copied), not as rows.
    const written = vi.spyOn(EventRepository.prototype, 'findJsonByCourses');
    let unranged: string;
    try {
      [unranged] = (await listsAsTwinWrites()) as [string];
      const lists = await Promise.all(written.mock.results.map((result) => result.value as ReturnType<EventRepository['findJsonByCourses']>));
      expect(lists.flat().filter((list) => list.courseId === PLAIN && list.json !== null)).toHaveLength(RANGES.length - 1);
    } finally {
      written.mockRestore();
    }
    expect(unranged).toContain('"title":"set in Kolkata","start":"2026-12-08T18:00:00.456Z","end":"2026-12-08T18:45:00.000Z"');
    expect(unranged).toContain('"title":" \\"moved\\"","start":"1970-01-01T01:00:00.122Z","end":"2026-12-08T01:30:00.123Z"');
    await expectStoredJsonTexts(platform.db);
  });
});
