/**
 * A course's classes written as JSON text by PostgreSQL (live-class-json.ts,
 * on the fast path's graphql-jit requests) must be the very bytes graphql-js
 * and JSON.stringify write from rows: the same request is sent to meet and to
 * a twin of it executing with graphql-js (which never answers raw JSON), over
 * classes with awkward text (quotes, backslashes, control characters, text
 * past ASCII, empty and null), awkward instants (microseconds, before 1970,
 * year 500, and years the DateTime scalar refuses or PostgreSQL's format
 * cannot write: those courses are read as rows), another company's class on
 * the same course id, with each form of filter and a few plain selections.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '../../../platform/auth/gateway-signature.js';
import { DEMO_COMPANIES } from '../../../platform/demo/demo-ids.js';
import { createLogger } from '../../../platform/logger.js';
import { startSubgraph, type RunningSubgraph } from '../../../platform/subgraph/start-subgraph.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { SUBGRAPH_MODULES } from '../../registry.js';

let platform: TestPlatform;
let twin: RunningSubgraph;

const AWKWARD = '"quoted" back\\slash /slash\ttab\nline\rreturn\bback\fform \u0001\u001f\u007f end';
const WIDE = 'é 中文 😀 \u2028\u2029\uFEFF ’';
const COURSE = '9701';
const UNWRITABLE_COURSE = '9702';
const OTHER_COMPANY_TITLE = 'another company’s class';

/** [course, title, description, scheduled_at, status, company] */
const CLASSES: [string, string, string | null, string, string, string][] = [
  [COURSE, AWKWARD, null, '2026-12-08 18:00:00.999999+00', 'SCHEDULED', DEMO_COMPANIES.bheem.id],
  [COURSE, WIDE, AWKWARD, '2026-12-08 18:00:00.000456+00', 'LIVE', DEMO_COMPANIES.bheem.id],
  [COURSE, '', '', '1969-12-31 23:59:59.999500+00', 'ENDED', DEMO_COMPANIES.bheem.id],
  [COURSE, 'year 500', WIDE, '0500-06-01 12:34:56.789+00', 'SCHEDULED', DEMO_COMPANIES.bheem.id],
  [COURSE, 'same time, later id', null, '2026-12-08 18:00:00.999999+00', 'CANCELLED', DEMO_COMPANIES.bheem.id],
  [COURSE, OTHER_COMPANY_TITLE, null, '2026-12-09 10:00:00+00', 'SCHEDULED', DEMO_COMPANIES.globex.id],
  // The scalar writes year 0 (1 BC) but PostgreSQL's YYYY would not: this course is read as rows.
  [UNWRITABLE_COURSE, 'in 1 BC', null, '0001-06-01 00:00:00+00 BC', 'SCHEDULED', DEMO_COMPANIES.bheem.id],
  [UNWRITABLE_COURSE, 'fine', 'fine', '2026-12-10 09:00:00+00', 'SCHEDULED', DEMO_COMPANIES.bheem.id],
];

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet'], gateway: false });
  const deps = { config: platform.config, databaseUrl: platform.database.url, log: createLogger('test') };
  twin = await startSubgraph(await SUBGRAPH_MODULES.meet!(), deps, { port: 0 }, { fastPathEngine: 'graphql-js' });
  for (const [index, [course, title, description, at, status, company]] of CLASSES.entries()) {
    await sql`INSERT INTO meet.live_classes (company_id, course_id, title, description, scheduled_at, duration_minutes, status, room_name, host_user_id, created_by)
      VALUES (${company}, ${course}, ${title}, ${description}, ${at}::timestamptz, ${30 + index}, ${status}, ${`json-room-${index}`}, 2, 'test')`.execute(platform.db);
  }
}, 120_000);
afterAll(async () => {
  await twin?.stop();
  await platform?.stop();
});

/** The answer's exact text, sent as the gateway sends it (the same body and identity header to either). */
async function answerText(url: string, body: string): Promise<string> {
  const identity = signIdentity(platform.config.internalSigningSecret, demoViewer('admin'), 'meet', body);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity }, body });
  return `${response.status} ${response.headers.get('content-type')}\n${await response.text()}`;
}

const representations = [COURSE, UNWRITABLE_COURSE, '101', '999999'].map((id) => ({ __typename: 'Course', id, viewerRole: null }));

const SELECTIONS = ['id title description scheduledAt durationMinutes __typename', 'when: scheduledAt t: title id', 'title'];
const FILTERS = ['', '(status: [SCHEDULED, LIVE])', '(from: $from)', '(to: $to)', '(status: [SCHEDULED, ENDED, CANCELLED], from: $from, to: $to)'];

describe("meet's course class lists written by PostgreSQL", () => {
  it.each(FILTERS.flatMap((filter) => SELECTIONS.map((selection) => [filter, selection])))('answer %s { %s } as graphql-js does, byte for byte', async (filter, selection) => {
    const variables = `$representations: [_Any!]!${filter.includes('$from') ? ' $from: DateTime' : ''}${filter.includes('$to') ? ' $to: DateTime' : ''}`;
    const query = `query(${variables}) { _entities(representations: $representations) { ... on Course { liveClasses${filter} { ${selection} } } } }`;
    const body = JSON.stringify({ query, variables: { representations, from: '1969-12-31T23:59:59.999Z', to: '2026-12-08T18:00:01.000Z' } });
    const meet = platform.subgraphs.meet!.url;
    // The first of each is Apollo Server's (which records the text), the next the fast path's.
    await answerText(meet, body);
    await answerText(twin.url, body);
    const expected = await answerText(twin.url, body);
    expect(await answerText(meet, body)).toBe(expected);
    expect(expected).not.toContain(OTHER_COMPANY_TITLE);
    expect(expected).not.toContain('"errors"');
  });

  it('answer a course with a time the scalar cannot write with the same error as graphql-js, the other course beside it', async () => {
    await sql`INSERT INTO meet.live_classes (company_id, course_id, title, scheduled_at, duration_minutes, room_name, host_user_id, created_by)
      VALUES (${DEMO_COMPANIES.bheem.id}, '9703', 'in year 12000', '12000-01-01 00:00:00+00', 30, 'json-room-far', 2, 'test')`.execute(platform.db);
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Course { liveClasses { id scheduledAt } } } }';
    const body = JSON.stringify({ query, variables: { representations: ['9703', COURSE].map((id) => ({ __typename: 'Course', id, viewerRole: null })) } });
    await answerText(platform.subgraphs.meet!.url, body);
    await answerText(twin.url, body);
    const expected = await answerText(twin.url, body);
    // The scalar's refusal, masked by meet's error formatting, and the other course's list beside it.
    expect(expected).toContain('"path":["_entities",0,"liveClasses",0,"scheduledAt"]');
    expect(expected).toContain('"scheduledAt":"0500-06-01T12:34:56.789Z"');
    expect(await answerText(platform.subgraphs.meet!.url, body)).toBe(expected);
  });
});

/**
 * The lists' times are copied from scheduled_at_json (migrations/scheduled-at-json.ts): it must follow scheduled_at
 * through every way a time is written (the mutations, any update, raw SQL under any session settings).
 */
describe("meet's stored class time text follows scheduled_at", () => {
  const COURSE_OF_MUTATIONS = '101';
  /** Meet's answer for the courses' lists, checked to be graphql-js's (which reads rows) byte for byte. */
  async function listsAsTwinWrites(courses: readonly string[]): Promise<string> {
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Course { liveClasses { id scheduledAt title } } } }';
    const body = JSON.stringify({ query, variables: { representations: courses.map((id) => ({ __typename: 'Course', id, viewerRole: null })) } });
    await answerText(platform.subgraphs.meet!.url, body);
    await answerText(twin.url, body);
    const expected = await answerText(twin.url, body);
    const answer = await answerText(platform.subgraphs.meet!.url, body);
    expect(answer).toBe(expected);
    expect(expected).not.toContain('"errors"');
    return answer;
  }
  /** Every class's stored text is the scalar's of its time (null where the scalar's text is not four-digit years 1 to 9999). */
  async function expectStoredTextsOfScalar(): Promise<void> {
    const { rows } = await sql<{ id: string; text: string | null; ms: number }>`
      SELECT id, scheduled_at_json AS text, floor(extract(epoch FROM scheduled_at) * 1000)::float8 AS ms FROM meet.live_classes`.execute(platform.db);
    expect(rows.length).toBeGreaterThan(CLASSES.length);
    for (const { id, text, ms } of rows) {
      const year = new Date(ms).getUTCFullYear();
      expect({ id, text }).toEqual({ id, text: year >= 1 && year <= 9999 ? JSON.stringify(new Date(ms).toISOString()) : null });
    }
  }
  async function mutate(query: string, variables: Record<string, unknown>): Promise<any> {
    const text = await answerText(platform.subgraphs.meet!.url, JSON.stringify({ query, variables }));
    const body = JSON.parse(text.slice(text.indexOf('\n') + 1));
    expect(body.errors).toBeUndefined();
    return body.data;
  }
  /** A future time with milliseconds (and the scalar's text of it). */
  const later = (days: number, millis: number) => new Date(Math.floor(Date.now() / 86_400_000 + days) * 86_400_000 + 3_723_000 + millis).toISOString();

  it('writes the time of a class scheduled, then rescheduled, then changed otherwise, as the scalar does', async () => {
    const first = later(3, 7);
    const schedule = 'mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id scheduledAt } }';
    const created = (await mutate(schedule, { input: { courseId: COURSE_OF_MUTATIONS, title: 'time text', scheduledAt: first, durationMinutes: 30 } })).scheduleLiveClass;
    expect(created.scheduledAt).toBe(first);
    expect(await listsAsTwinWrites([COURSE_OF_MUTATIONS])).toContain(`{"id":"${created.id}","scheduledAt":"${first}"`);
    await expectStoredTextsOfScalar();

    const moved = later(5, 999);
    const update = 'mutation($id: ID!, $input: UpdateLiveClassInput!) { updateLiveClass(id: $id, input: $input) { scheduledAt } }';
    expect((await mutate(update, { id: created.id, input: { scheduledAt: moved } })).updateLiveClass.scheduledAt).toBe(moved);
    expect(await listsAsTwinWrites([COURSE_OF_MUTATIONS])).toContain(`{"id":"${created.id}","scheduledAt":"${moved}"`);
    await expectStoredTextsOfScalar();

    // Updates of other columns (title, duration, cancelling) leave the time and its text as they were.
    await mutate(update, { id: created.id, input: { title: 'time text, renamed', durationMinutes: 45 } });
    await mutate('mutation($id: ID!) { cancelLiveClass(id: $id) { id } }', { id: created.id });
    expect(await listsAsTwinWrites([COURSE_OF_MUTATIONS])).toContain(`{"id":"${created.id}","scheduledAt":"${moved}","title":"time text, renamed"}`);
    await expectStoredTextsOfScalar();
  });

  it('writes times set by raw SQL under other session settings (time zone, DateStyle, IntervalStyle) as the scalar does', async () => {
    await platform.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL TIME ZONE 'Asia/Kolkata'`.execute(trx);
      await sql`SET LOCAL DateStyle = 'SQL, DMY'`.execute(trx);
      await sql`SET LOCAL IntervalStyle = 'sql_standard'`.execute(trx);
      // Every class of the first test's courses moves by a day and some microseconds; one more is written as Kolkata's local time.
      await sql`UPDATE meet.live_classes SET scheduled_at = scheduled_at + make_interval(days => 1, secs => 0.123789) WHERE course_id IN (${COURSE}, ${UNWRITABLE_COURSE})`.execute(
        trx,
      );
      await sql`INSERT INTO meet.live_classes (company_id, course_id, title, scheduled_at, duration_minutes, room_name, host_user_id, created_by)
        VALUES (${DEMO_COMPANIES.bheem.id}, ${COURSE}, 'set in Kolkata', '08/12/2026 23:30:00.4567', 30, 'json-room-kolkata', 2, 'test')`.execute(trx);
    });
    const answer = await listsAsTwinWrites([COURSE, UNWRITABLE_COURSE]);
    expect(answer).toContain('"scheduledAt":"2026-12-08T18:00:00.456Z","title":"set in Kolkata"');
    expect(answer).toContain('"scheduledAt":"0500-06-02T12:34:56.912Z","title":"year 500"');
    await expectStoredTextsOfScalar();
  });
});
