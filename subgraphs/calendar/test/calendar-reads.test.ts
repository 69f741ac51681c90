import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeQueries } from '../../../platform/database/query-observer.js';
import { DEMO_ERP, DEMO_LIVE_CLASSES } from '../../../platform/demo/demo-ids.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { subgraphCaller } from '../../../test/support/subgraph-caller.js';
import { ENTITIES_QUERY } from '../../../test/support/subgraph-client.js';
import { wallTimeIn } from '../recurrence/time-zones.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['calendar'], gateway: false });
});
afterAll(() => platform?.stop());

const call = subgraphCaller(() => platform, 'calendar');

const DAY = 86_400_000;
const window = () => ({ from: new Date(Date.now() - 60 * DAY).toISOString(), to: new Date(Date.now() + 60 * DAY).toISOString() });
const LIST = `query($from: DateTime!, $to: DateTime!, $types: [EventType!]) {
  calendarEvents(from: $from, to: $to, types: $types) { start end recurrenceId event { id title eventType entityType entityId timezone } }
}`;

async function occurrences(username: string, types?: string[]) {
  const { body } = await call(username, LIST, { ...window(), types });
  expect(body.errors).toBeUndefined();
  return body.data.calendarEvents as any[];
}
const typesOf = (list: any[]) => [...new Set(list.map((o) => o.event.eventType))].sort();
const entityIdsOf = (list: any[], type: string) => [...new Set(list.filter((o) => o.event.eventType === type).map((o) => o.event.entityId))].sort();

describe('calendar reads', () => {
  it('shows admins and managers every event of their company, sorted by start', async () => {
    for (const username of ['admin', 'maya.manager']) {
      const list = await occurrences(username);
      expect(typesOf(list)).toEqual(['CUSTOM', 'LEAVE', 'LIVE_CLASS', 'MEETING', 'MILESTONE', 'TASK_DEADLINE']);
      expect(entityIdsOf(list, 'TASK_DEADLINE')).toEqual(
        DEMO_ERP.tasks
          .slice(0, 3)
          .map((task) => task.id)
          .sort(),
      );
      expect(entityIdsOf(list, 'LIVE_CLASS')).toHaveLength(3);
      const starts = list.map((o) => Date.parse(o.start));
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
  });

  it('shows an employee the project calendar, their own leave and meetings, but not others\u2019 sales meetings or classes', async () => {
    const list = await occurrences('emil.employee');
    expect(typesOf(list)).toEqual(['CUSTOM', 'LEAVE', 'MILESTONE', 'TASK_DEADLINE']);
    expect(entityIdsOf(list, 'TASK_DEADLINE')).toHaveLength(3);
    const tara = await occurrences('tara.teacher');
    expect(typesOf(tara)).toEqual(['CUSTOM', 'LIVE_CLASS', 'MILESTONE', 'TASK_DEADLINE']);
    expect(entityIdsOf(tara, 'LIVE_CLASS')).toEqual(
      DEMO_LIVE_CLASSES.filter((c) => c.course === '101')
        .map((c) => c.id)
        .sort(),
    );
  });

  it('shows a student the live classes of their courses only', async () => {
    const list = await occurrences('sam.student');
    expect(typesOf(list)).toEqual(['LIVE_CLASS']);
    expect(entityIdsOf(list, 'LIVE_CLASS')).toEqual(
      DEMO_LIVE_CLASSES.filter((c) => ['101', '102'].includes(c.course))
        .map((c) => c.id)
        .sort(),
    );
    const neil = await occurrences('neil.student');
    expect(entityIdsOf(neil, 'LIVE_CLASS')).toEqual(DEMO_LIVE_CLASSES.filter((c) => c.course === '102').map((c) => c.id));
  });

  it('expands the weekly team meeting at 10:00 Kolkata time, without the skipped week and with the moved one', async () => {
    const list = (await occurrences('emil.employee', ['CUSTOM'])).filter((o) => o.event.title.startsWith('Weekly team meeting'));
    expect(list.length).toBeGreaterThanOrEqual(8);
    const regular = list.filter((o) => o.event.title === 'Weekly team meeting');
    for (const occurrence of regular) {
      const local = wallTimeIn(new Date(occurrence.start), 'Asia/Kolkata');
      expect([local.hour, local.minute, new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay()]).toEqual([10, 0, 1]);
      expect(occurrence.recurrenceId).toBe(occurrence.start);
    }
    const moved = list.filter((o) => o.event.title === 'Weekly team meeting (moved to Tuesday)');
    expect(moved).toHaveLength(1);
    expect(Date.parse(moved[0].start) - Date.parse(moved[0].recurrenceId)).toBe(DAY + 3_600_000);
    // Week 5 is skipped (EXDATE) and week 6 is replaced by the moved meeting: no Monday occurrence for either.
    const first = Date.parse(regular[0].start);
    const mondays = regular.map((o) => Math.round((Date.parse(o.start) - first) / (7 * DAY)));
    expect(mondays).not.toContain(5);
    expect(mondays).not.toContain(6);
    expect(mondays).toContain(4);
    expect(mondays).toContain(7);
  });

  it('answers one event with its participants and occurrences', async () => {
    const [meeting] = (await occurrences('admin', ['MEETING'])).map((o) => o.event);
    const { body } = await call(
      'admin',
      `query($id: ID!) { calendarEvent(id: $id) {
      title allDay sourceModule organizer { id } isCancelled sequence metadata
      participants { user { id } externalName status isOrganizer }
      occurrences(from: "2000-01-01T00:00:00Z", to: "2000-02-01T00:00:00Z") { start }
    } }`,
      { id: meeting.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.calendarEvent).toMatchObject({
      title: 'Meeting: Sunrise School',
      allDay: false,
      sourceModule: 'sales',
      organizer: { id: '8' },
      isCancelled: false,
      occurrences: [],
    });
    expect(body.data.calendarEvent.participants).toEqual([
      { user: { id: '8' }, externalName: null, status: 'ACCEPTED', isOrganizer: true },
      { user: null, externalName: 'Sunrise School', status: 'PENDING', isOrganizer: false },
    ]);
    const hidden = await call('emil.employee', 'query($id: ID!) { calendarEvent(id: $id) { id } }', { id: meeting.id });
    expect(hidden.body.data.calendarEvent).toBeNull();
  });

  it('refuses unbounded, reversed and over-long ranges', async () => {
    const reversed = await call('admin', LIST, { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(reversed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const equal = await call('admin', LIST, { from: '2026-02-01T00:00:00Z', to: '2026-02-01T00:00:00Z' });
    expect(equal.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const long = await call('admin', LIST, { from: '2026-01-01T00:00:00Z', to: '2027-01-03T00:00:00Z' });
    expect(long.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(long.body.errors?.[0]?.message).toMatch(/366 days/);
  });
});

describe('calendar entities', () => {
  it('resolves CalendarEvent references in one statement, in order, null for unknown ids', async () => {
    const ids = (await occurrences('admin')).map((o) => o.event.id);
    const unique = [...new Set(ids)];
    const representations = [...unique, 'not-a-uuid', '0b0e9999-0000-4000-8000-000000000000', unique[0]].map((id) => ({ __typename: 'CalendarEvent', id }));
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const { body } = await call('admin', ENTITIES_QUERY('CalendarEvent', 'id title'), { representations });
    stop();
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((e: any) => e?.id ?? null)).toEqual([...unique, null, null, unique[0]]);
    expect(statements.filter((sql) => sql.includes('calendar_events'))).toHaveLength(1);
  });

  it('answers Task.calendarEvents for 100 tasks in one statement', async () => {
    const taskIds = [...DEMO_ERP.tasks.map((task) => task.id), ...Array.from({ length: 96 }, (_, i) => `0b0e0002-0000-4000-8000-${String(1000 + i).padStart(12, '0')}`)];
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const { body } = await call('admin', ENTITIES_QUERY('Task', 'id calendarEvents { title allDay eventType }'), {
      representations: taskIds.map((id) => ({ __typename: 'Task', id })),
    });
    stop();
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toHaveLength(100);
    expect(body.data._entities[0].calendarEvents).toEqual([{ title: 'Due: Draft the new home page', allDay: false, eventType: 'TASK_DEADLINE' }]); // due at 17:00, a time
    expect(body.data._entities[3].calendarEvents).toEqual([]); // Globex's task
    expect(body.data._entities[50].calendarEvents).toEqual([]);
    expect(statements.filter((sql) => sql.includes('calendar_events'))).toHaveLength(1);
  });

  it('answers LiveClass.calendarEvent and Course.calendarEvents batched, by course access', async () => {
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const classes = await call('sam.student', ENTITIES_QUERY('LiveClass', 'id calendarEvent { title eventType participants { user { id } isOrganizer } }'), {
      representations: DEMO_LIVE_CLASSES.map((c) => ({ __typename: 'LiveClass', id: c.id })),
    });
    const courses = await call('sam.student', ENTITIES_QUERY('Course', 'id calendarEvents { title }'), {
      representations: [
        { __typename: 'Course', id: '101', viewerRole: 'STUDENT' },
        { __typename: 'Course', id: '102', viewerRole: 'STUDENT' },
        { __typename: 'Course', id: '103', viewerRole: null },
      ],
    });
    stop();
    expect(classes.body.errors).toBeUndefined();
    expect(classes.body.data._entities.map((c: any) => c.calendarEvent?.title ?? null)).toEqual([...DEMO_LIVE_CLASSES.slice(0, 3).map((c) => c.title), null]);
    expect(classes.body.data._entities[0].calendarEvent.participants).toContainEqual({ user: { id: '3' }, isOrganizer: true });
    expect(courses.body.errors).toBeUndefined();
    expect(courses.body.data._entities.map((c: any) => c.calendarEvents.length)).toEqual([2, 1, 0]);
    expect(statements.filter((sql) => sql.includes('calendar_events') && sql.includes('"entity_type"'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('calendar_events') && sql.includes('"course_id" = any('))).toHaveLength(1);
  });

  it('filters Course.calendarEvents by range', async () => {
    const { body } = await call(
      'admin',
      ENTITIES_QUERY('Course', 'calendarEvents(from: $from, to: $to) { title }').replace(
        'query($representations: [_Any!]!)',
        'query($representations: [_Any!]!, $from: DateTime, $to: DateTime)',
      ),
      {
        representations: [{ __typename: 'Course', id: '101', viewerRole: null }],
        from: new Date(Date.now() + 48 * 3_600_000).toISOString(),
        to: new Date(Date.now() + 100 * 3_600_000).toISOString(),
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data._entities[0].calendarEvents).toEqual([{ title: DEMO_LIVE_CLASSES[1].title }]);
  });
  it('reads lean columns for Course.calendarEvents only when every asked field has them', async () => {
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const representations = [{ __typename: 'Course', id: '101', viewerRole: 'STUDENT' }];
    const leanFields = 'id title start end allDay timezone recurrenceRule exdates rdates eventType';
    const lean = await call('sam.student', ENTITIES_QUERY('Course', 'calendarEvents { ...Shown }').concat(` fragment Shown on CalendarEvent { ${leanFields} }`), {
      representations,
    });
    const full = await call('sam.student', ENTITIES_QUERY('Course', `calendarEvents { ${leanFields} ... on CalendarEvent { organizer { id } createdAt } }`), { representations });
    stop();
    expect(lean.body.errors).toBeUndefined();
    expect(full.body.errors).toBeUndefined();
    const courseEvents = statements.filter((sql) => sql.includes('"course_id" = any('));
    expect(courseEvents).toHaveLength(2);
    // The lean read: no whole row, and of the metadata only its CLASS (privacy is decided as for whole rows).
    expect(courseEvents[0]).not.toContain('"e".*');
    expect(courseEvents[0]).not.toContain('"e"."metadata"');
    expect(courseEvents[0]).toContain("e.metadata -> 'class'");
    expect(courseEvents[1]).toContain('"e".*');
    const shown = (body: any) => body.data._entities[0].calendarEvents.map(({ organizer, createdAt, ...leanOnes }: any) => leanOnes);
    expect(shown(lean.body)).toEqual(shown(full.body));
    expect(full.body.data._entities[0].calendarEvents.length).toBeGreaterThan(0);
    for (const event of full.body.data._entities[0].calendarEvents) {
      expect(event.organizer?.id).toMatch(/^\d+$/);
      expect(Date.parse(event.createdAt)).toBeGreaterThan(0);
    }
  });
});

describe('tenant isolation', () => {
  it('never shows another company\u2019s events: root, nested and _entities', async () => {
    const bheemIds = [...new Set((await occurrences('admin')).map((o) => o.event.id))];
    const globex = await occurrences('globex.admin');
    expect(globex.length).toBeGreaterThan(0);
    expect(globex.some((o) => bheemIds.includes(o.event.id))).toBe(false);
    expect(typesOf(globex)).toEqual(['CUSTOM', 'LIVE_CLASS', 'MEETING', 'MILESTONE', 'TASK_DEADLINE']);

    const root = await call('globex.admin', 'query($id: ID!) { calendarEvent(id: $id) { id } }', { id: bheemIds[0] });
    expect(root.body.data.calendarEvent).toBeNull();
    const entities = await call('globex.admin', ENTITIES_QUERY('CalendarEvent', 'id'), { representations: bheemIds.map((id) => ({ __typename: 'CalendarEvent', id })) });
    expect(entities.body.data._entities.every((e: any) => e === null)).toBe(true);
    const task = await call('globex.admin', ENTITIES_QUERY('Task', 'calendarEvents { id }'), { representations: [{ __typename: 'Task', id: DEMO_ERP.tasks[0].id }] });
    expect(task.body.data._entities[0].calendarEvents).toEqual([]);
    const liveClass = await call('globex.admin', ENTITIES_QUERY('LiveClass', 'calendarEvent { id }'), {
      representations: [{ __typename: 'LiveClass', id: DEMO_LIVE_CLASSES[0].id }],
    });
    expect(liveClass.body.data._entities[0].calendarEvent).toBeNull();
    // Even with a role in the representation, a course of another company has no events here.
    const course = await call('globex.admin', ENTITIES_QUERY('Course', 'calendarEvents { id }'), { representations: [{ __typename: 'Course', id: '101', viewerRole: 'TEACHER' }] });
    expect(course.body.data._entities[0].calendarEvents).toEqual([]);
  });
});
