/**
 * Live classes in Moodle's own calendar, read as an unmodified Moodle 4.x
 * reads them: the rows core_calendar's raw_event_retrieval_strategy selects
 * for a student's calendar (its SQL, with its priority sub-query), and the
 * columns its exporters decide by. A course event naming a component makes
 * event_icon_exporter ask that plugin for its name and icon; no such plugin
 * is installed, so ours must name none and be a plain course event.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveKitDouble, type LiveKitDouble } from '../../../test/livekit/livekit-double.js';
import { callSubgraph, demoViewer } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

let livekit: LiveKitDouble;
let platform: TestPlatform;
let db: Kysely<any>;
beforeAll(async () => {
  livekit = await startLiveKitDouble();
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet'], gateway: false, env: { LIVEKIT_URL: livekit.url, ACADEMY_CONSUME_EVENTS: 'true' } });
  db = platform.db;
});
afterAll(async () => {
  await platform?.stop();
  await livekit?.stop();
});

const meet = (query: string, variables: Record<string, unknown>) =>
  callSubgraph({ url: platform.subgraphs.meet!.url, audience: 'meet', secret: platform.config.internalSigningSecret, viewer: demoViewer('tara.teacher'), query, variables });
const inMinutes = (minutes: number) => new Date(Math.floor(Date.now() / 60_000) * 60_000 + minutes * 60_000);
const unix = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The events Moodle's calendar shows a user enrolled in `courses` between `from` and `to` (unix seconds):
 * raw_event_retrieval_strategy::get_raw_events_legacy_implementation's query for a user and their courses, the
 * vault's time bounds (starting before the window ends, ending after it starts), visible events only. Moodle's
 * `LEFT JOIN {modules} m ... WHERE (m.visible = 1 OR m.visible IS NULL)` is left out: it keeps every event of no module.
 */
async function moodleCalendar(userId: string, courses: string[], from: number, to: number) {
  const s = sql.id(platform.config.moodle.schema);
  const inCourses = sql.join(courses);
  const { rows } = await sql<Record<string, any>>`
    SELECT e.*, c.fullname AS coursefullname, c.shortname AS courseshortname
      FROM ${s}.mdl_event e
      JOIN (SELECT ev.modulename, ev.instance, ev.eventtype, MIN(ev.priority) AS priority
              FROM (SELECT modulename, instance, eventtype, priority FROM ${s}.mdl_event ev
                     WHERE (ev.userid = ${userId} AND ev.courseid = 0 AND ev.groupid = 0 AND ev.categoryid = 0)
                    UNION
                    SELECT modulename, instance, eventtype, priority FROM ${s}.mdl_event ev
                     WHERE (ev.groupid = 0 AND ev.courseid IN (${inCourses}) AND ev.categoryid = 0)) ev
          GROUP BY ev.modulename, ev.instance, ev.eventtype) fe
        ON e.modulename = fe.modulename AND e.instance = fe.instance AND e.eventtype = fe.eventtype
       AND (e.priority = fe.priority OR (e.priority IS NULL AND fe.priority IS NULL))
      LEFT JOIN ${s}.mdl_course c ON c.id = e.courseid
     WHERE ((e.userid = ${userId} AND e.courseid = 0 AND e.groupid = 0 AND e.categoryid = 0) OR (e.groupid = 0 AND e.courseid IN (${inCourses})))
       AND (e.visible = 1)
       AND e.timestart <= ${to} AND e.timestart + e.timeduration >= ${from}
  ORDER BY e.timestart`.execute(db);
  return rows;
}

async function waitFor<T>(check: () => Promise<T>, what: string, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("live classes in Moodle's calendar view", () => {
  it('shows a class to its students as a plain course event linking to it, beside a teacher\u2019s own, moved and removed with it', async () => {
    const startsAt = inMinutes(40 * 24 * 60); // past the demo's classes
    const { body } = await meet(`mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id } }`, {
      input: { courseId: '101', title: 'Lenses', scheduledAt: startsAt.toISOString(), durationMinutes: 50 },
    });
    const id = body.data.scheduleLiveClass.id as string;
    // A course event a teacher made in Moodle's own form, the same day.
    const s = sql.id(platform.config.moodle.schema);
    await sql`INSERT INTO ${s}.mdl_event (name, description, format, courseid, userid, eventtype, timestart, timeduration, timesort, timemodified)
      VALUES ('Lab safety', '', 1, 101, 3, 'course', ${unix(startsAt) - 3600}, 0, ${unix(startsAt) - 3600}, 0)`.execute(db);

    const window = [unix(startsAt) - 12 * 3600, unix(startsAt) + 12 * 3600] as const;
    const shown = await waitFor(async () => {
      const rows = await moodleCalendar('5', ['101', '102'], ...window);
      return rows.some((row) => row.uuid === id) ? rows : undefined;
    }, 'the class in Moodle\u2019s calendar');
    expect(shown.map((row) => row.name)).toEqual(['Lab safety', 'Lenses']);
    const link = `${platform.config.publicUrl}/app/courses/101#class-${id}`;
    expect(shown[1]).toMatchObject({
      eventtype: 'course',
      courseid: '101',
      courseshortname: 'PHY101',
      groupid: '0',
      categoryid: '0',
      repeatid: '0',
      modulename: '',
      instance: '0',
      type: 0, // CALENDAR_EVENT_TYPE_STANDARD: no action callbacks asked of any component
      priority: null,
      subscriptionid: null,
      // No plugin named: event_icon_exporter shows it as a course event, asking no uninstalled plugin for strings.
      component: null,
      location: link,
      timestart: String(unix(startsAt)),
      timeduration: '3000',
    });
    expect(shown[1]!.description).toContain(`<a href="${link}">`);

    // Moved: shown at its new time only; cancelled: gone. (A row written before named our plugin: the move clears it.)
    await sql`UPDATE ${s}.mdl_event SET component = 'local_bheem_meet' WHERE uuid = ${id}`.execute(db);
    const movedTo = inMinutes(43 * 24 * 60);
    const moved = await meet(`mutation($id: ID!, $input: UpdateLiveClassInput!) { updateLiveClass(id: $id, input: $input) { id } }`, {
      id,
      input: { scheduledAt: movedTo.toISOString() },
    });
    expect(moved.body.errors).toBeUndefined();
    await waitFor(async () => !(await moodleCalendar('5', ['101'], ...window)).some((row) => row.uuid === id), 'the class to leave its old day');
    const there = await moodleCalendar('5', ['101'], unix(movedTo) - 3600, unix(movedTo) + 3600);
    expect(there.filter((row) => row.uuid === id).map((row) => [row.timestart, row.component])).toEqual([[String(unix(movedTo)), null]]);
    expect((await meet(`mutation($id: ID!) { cancelLiveClass(id: $id) { status } }`, { id })).body.errors).toBeUndefined();
    await waitFor(async () => !(await moodleCalendar('5', ['101'], unix(movedTo) - 3600, unix(movedTo) + 3600)).some((row) => row.uuid === id), 'the class to go');
    // A student of another course does not see it at all.
    expect((await moodleCalendar('7', ['102'], ...window)).some((row) => row.name === 'Lenses')).toBe(false);
  });
});
