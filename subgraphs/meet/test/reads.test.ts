import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeQueries } from '../../../platform/database/query-observer.js';
import { DEMO_ENDED_LIVE_CLASS, DEMO_LIVE_CLASSES } from '../../../platform/demo/demo-ids.js';
import { ENTITIES_QUERY } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { meetCaller } from './meet-client.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet'], gateway: false });
});
afterAll(() => platform?.stop());
const call = meetCaller(() => platform);

const [newton, energy, integration, globexPitch] = DEMO_LIVE_CLASSES.map((demo) => demo.id) as [string, string, string, string];
const ended = DEMO_ENDED_LIVE_CLASS.id;
const classRefs = (ids: string[]) => ({ representations: ids.map((id) => ({ __typename: 'LiveClass', id })) });

describe('meet reads', () => {
  it('shows an admin every class of the company, with course and host references', async () => {
    const { body } = await call('admin', '{ liveClasses { id title status course { id } host { id } roomName } }');
    expect(body.errors).toBeUndefined();
    const ids = body.data.liveClasses.map((c: any) => c.id);
    expect(ids.sort()).toEqual([newton, energy, integration, ended].sort());
    const first = body.data.liveClasses.find((c: any) => c.id === newton);
    expect(first).toMatchObject({ status: 'SCHEDULED', course: { id: '101' }, host: { id: '3' } });
  });

  it('shows a student the classes of the courses they are enrolled in only', async () => {
    const neil = await call('neil.student', '{ liveClasses { id } liveClass(id: "' + newton + '") { id } }');
    expect(neil.body.errors).toBeUndefined();
    expect(neil.body.data.liveClasses.map((c: any) => c.id)).toEqual([integration]);
    expect(neil.body.data.liveClass).toBeNull();
    const sam = await call('sam.student', '{ liveClasses(courseId: "101") { id } }');
    expect(sam.body.data.liveClasses.map((c: any) => c.id).sort()).toEqual([newton, energy, ended].sort());
  });

  it('shows nothing to a company member enrolled nowhere', async () => {
    const { body } = await call('emil.employee', `{ liveClasses { id } liveClass(id: "${newton}") { id } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ liveClasses: [], liveClass: null });
    const course = await call('emil.employee', ENTITIES_QUERY('Course', 'liveClasses { id } recordings { id }'), {
      representations: [{ __typename: 'Course', id: '101', viewerRole: null }],
    });
    expect(course.body.data._entities).toEqual([{ liveClasses: [], recordings: [] }]);
  });

  it('filters by status and time range', async () => {
    const endedOnly = await call('admin', '{ liveClasses(status: [ENDED]) { id } }');
    expect(endedOnly.body.data.liveClasses.map((c: any) => c.id)).toEqual([ended]);
    const from = new Date(Date.now() + 40 * 3_600_000).toISOString();
    const to = new Date(Date.now() + 60 * 3_600_000).toISOString();
    const window = await call('admin', '{ liveClasses(from: $from, to: $to) { id } }'.replace('$from', JSON.stringify(from)).replace('$to', JSON.stringify(to)));
    expect(window.body.data.liveClasses.map((c: any) => c.id)).toEqual([integration]);
  });

  it('extends Course with its live classes and recordings for enrolled users', async () => {
    const { body } = await call('sam.student', ENTITIES_QUERY('Course', 'id liveClasses(status: [SCHEDULED]) { id } recordings { id status url }'), {
      representations: [{ __typename: 'Course', id: '101', viewerRole: 'STUDENT' }],
    });
    expect(body.errors).toBeUndefined();
    const [course] = body.data._entities;
    expect(course.liveClasses.map((c: any) => c.id)).toEqual([newton, energy]);
    expect(course.recordings).toHaveLength(1);
    expect(course.recordings[0]).toMatchObject({ id: DEMO_ENDED_LIVE_CLASS.recordingId, status: 'READY' });
    expect(course.recordings[0].url).toMatch(new RegExp(`/recordings/${DEMO_ENDED_LIVE_CLASS.recordingId}\\?expires=\\d+&sig=`));
  });

  it('answers a course’s classes from the columns the fields asked need, and alike from whole rows', async () => {
    const leanFields = 'id title scheduledAt durationMinutes status course { id } host { id } recordings { id status }';
    const otherFields = ['description', 'endsAt', 'startedAt', 'endedAt', 'roomName', 'record', 'waitForModerator', 'createdAt', 'updatedAt'];
    const course = { representations: [{ __typename: 'Course', id: '101', viewerRole: null }] };
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const lean = await call('admin', ENTITIES_QUERY('Course', `liveClasses { ${leanFields} }`), course);
    const whole = await call('admin', ENTITIES_QUERY('Course', `liveClasses { ${leanFields} ${otherFields.join(' ')} }`), course);
    stop();
    expect(lean.body.errors).toBeUndefined();
    expect(whole.body.errors).toBeUndefined();
    const [leanRead, wholeRead] = statements.filter((sql) => sql.includes('"live_classes"'));
    expect(leanRead).not.toContain('room_name');
    expect(wholeRead).toContain('*');
    const classes = whole.body.data._entities[0].liveClasses;
    expect(classes.length).toBeGreaterThan(1);
    const leanOnly = ({ id, title, scheduledAt, durationMinutes, status, course, host, recordings }: any) => ({
      id,
      title,
      scheduledAt,
      durationMinutes,
      status,
      course,
      host,
      recordings,
    });
    expect(lean.body.data._entities[0].liveClasses).toEqual(classes.map(leanOnly));
    // Each field asked alone answers as the whole rows do (a lean read lacking its column would not).
    for (const field of ['title', 'scheduledAt', 'durationMinutes', 'status', 'course { id }', 'host { id }', ...otherFields]) {
      const one = await call('admin', ENTITIES_QUERY('Course', `liveClasses { id ${field} }`), course);
      expect(one.body.errors, field).toBeUndefined();
      const name = field.split(' ')[0]!;
      expect(one.body.data._entities[0].liveClasses, field).toEqual(classes.map((c: any) => ({ id: c.id, [name]: c[name] })));
    }
    // The whole rows answer as a class read by id does.
    const byId = await call('admin', `{ ${classes.map((c: any, index: number) => `c${index}: liveClass(id: "${c.id}") { ${leanFields} ${otherFields.join(' ')} }`).join(' ')} }`);
    expect(byId.body.errors).toBeUndefined();
    expect(classes).toEqual(classes.map((_: unknown, index: number) => byId.body.data[`c${index}`]));
  });

  it('answers a recording\u2019s class from the course\u2019s lean classes when they hold it, and reads it otherwise', async () => {
    const course = { representations: [{ __typename: 'Course', id: '101', viewerRole: null }] };
    const byId = await call('admin', `{ liveClass(id: "${ended}") { id title } }`);
    expect(byId.body.data.liveClass.title).toBeTruthy();
    // The course page's shape; a filter leaving the recording's class out; lean classes without the title.
    for (const [classes, reads] of [
      ['liveClasses { id title status }', 1],
      ['liveClasses(status: [SCHEDULED]) { id title }', 2],
      ['liveClasses { id }', 2],
    ] as const) {
      const statements: string[] = [];
      const stop = observeQueries((sql) => statements.push(sql));
      const { body } = await call('admin', ENTITIES_QUERY('Course', `${classes} recordings { id liveClass { id title } }`), course);
      stop();
      expect(body.errors, classes).toBeUndefined();
      expect(body.data._entities[0].recordings, classes).toEqual([{ id: DEMO_ENDED_LIVE_CLASS.recordingId, liveClass: byId.body.data.liveClass }]);
      expect(
        statements.filter((sql) => sql.includes('"live_classes"')),
        classes,
      ).toHaveLength(reads);
    }
  });

  it('answers scheduledAt of lean rows (read as text) as whole rows (read as a Date) do, to the millisecond', async () => {
    const client = new pg.Client({ connectionString: platform.database.url });
    await client.connect();
    try {
      // Microseconds are truncated, as pg's Date parser truncates them.
      await client.query(`UPDATE meet.live_classes SET scheduled_at = date_trunc('second', scheduled_at) + interval '0.999999 second' WHERE id = $1`, [newton]);
      await client.query(`UPDATE meet.live_classes SET scheduled_at = date_trunc('second', scheduled_at) + interval '0.000456 second' WHERE id = $1`, [energy]);
    } finally {
      await client.end();
    }
    const course = { representations: [{ __typename: 'Course', id: '101', viewerRole: null }] };
    const lean = await call('admin', ENTITIES_QUERY('Course', 'liveClasses { id scheduledAt }'), course);
    const whole = await call('admin', ENTITIES_QUERY('Course', 'liveClasses { id scheduledAt roomName }'), course);
    expect(lean.body.errors).toBeUndefined();
    const wholeClasses = whole.body.data._entities[0].liveClasses.map(({ id, scheduledAt }: any) => ({ id, scheduledAt }));
    expect(lean.body.data._entities[0].liveClasses).toEqual(wholeClasses);
    const at = Object.fromEntries(wholeClasses.map((c: any) => [c.id, c.scheduledAt]));
    expect(at[newton]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.999Z$/);
    expect(at[energy]).toMatch(/\.000Z$/);
  });

  it('shows attendance per user with the sum of their intervals to teachers, and students their own entry only', async () => {
    const query = `{ liveClass(id: "${ended}") { attendance { user { id } secondsPresent leftAt intervals { joinedAt leftAt } } } }`;
    const teacher = await call('tara.teacher', query);
    expect(teacher.body.errors).toBeUndefined();
    const byUser = Object.fromEntries(teacher.body.data.liveClass.attendance.map((a: any) => [a.user.id, a]));
    expect(Object.keys(byUser).sort()).toEqual(['3', '5', '6']);
    expect(byUser['5'].secondsPresent).toBe((28 + 23) * 60);
    expect(byUser['5'].intervals).toHaveLength(2);
    expect(byUser['3'].secondsPresent).toBe(60 * 60);
    const student = await call('sam.student', query);
    expect(student.body.errors).toBeUndefined();
    expect(student.body.data.liveClass.attendance).toEqual([byUser['5']]);
    const absent = await call('sita.student', `{ liveClass(id: "${ended}") { attendance { user { id } } serviceParticipants { identity } } }`);
    expect(absent.body.data.liveClass.attendance).toEqual([{ user: { id: '6' } }]);
    expect(absent.body.data.liveClass.serviceParticipants).toBeNull();
    expect(absent.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('resolves many LiveClass references with one SQL statement and one academy call', async () => {
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const { body } = await call('sam.student', ENTITIES_QUERY('LiveClass', 'id title'), classRefs([newton, energy, integration, ended, globexPitch, 'not-a-uuid']));
    stop();
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((c: any) => c?.id ?? null)).toEqual([newton, energy, integration, ended, null, null]);
    expect(statements.filter((sql) => sql.includes('"live_classes"'))).toHaveLength(1);
    // Academy runs in this process: one call to it means one course lookup on mdl_course (the role query joins it too).
    expect(statements.filter((sql) => sql.includes('"mdl_course" as "c"'))).toHaveLength(1);
  });

  it('lists the live classes of many courses in one SQL statement and asks academy nothing', async () => {
    const statements: string[] = [];
    const stop = observeQueries((sql) => statements.push(sql));
    const { body } = await call('sam.student', ENTITIES_QUERY('Course', 'id liveClasses { id } recordings { id }'), {
      representations: ['101', '102', '103'].map((id) => ({ __typename: 'Course', id, viewerRole: id === '103' ? null : 'STUDENT' })),
    });
    stop();
    expect(body.errors).toBeUndefined();
    expect(body.data._entities.map((c: any) => c.liveClasses.length)).toEqual([3, 1, 0]);
    expect(statements.filter((sql) => sql.includes('"live_classes"'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('"recordings"'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('mdl_'))).toHaveLength(0);
  });

  it('never shows another company\u2019s classes or recordings, on any path', async () => {
    const root = await call('globex.admin', `{ liveClass(id: "${newton}") { id } liveClasses { id } }`);
    expect(root.body.data.liveClass).toBeNull();
    expect(root.body.data.liveClasses.map((c: any) => c.id)).toEqual([globexPitch]);
    const entities = await call('globex.admin', ENTITIES_QUERY('LiveClass', 'id'), classRefs([newton, ended]));
    expect(entities.body.data._entities).toEqual([null, null]);
    const recording = await call('globex.admin', ENTITIES_QUERY('Recording', 'id url'), {
      representations: [{ __typename: 'Recording', id: DEMO_ENDED_LIVE_CLASS.recordingId }],
    });
    expect(recording.body.data._entities).toEqual([null]);
    // Even a representation claiming a role in another company's course yields nothing.
    const nested = await call('gary.student', ENTITIES_QUERY('Course', 'liveClasses { id } recordings { id }'), {
      representations: [{ __typename: 'Course', id: '101', viewerRole: 'STUDENT' }],
    });
    expect(nested.body.data._entities).toEqual([{ liveClasses: [], recordings: [] }]);
  });

  it('resolves a Recording reference for enrolled users only', async () => {
    const representations = [{ __typename: 'Recording', id: DEMO_ENDED_LIVE_CLASS.recordingId }];
    const sita = await call('sita.student', ENTITIES_QUERY('Recording', 'id durationSeconds liveClass { id }'), { representations });
    expect(sita.body.data._entities).toEqual([{ id: DEMO_ENDED_LIVE_CLASS.recordingId, durationSeconds: 3600, liveClass: { id: ended } }]);
    const neil = await call('neil.student', ENTITIES_QUERY('Recording', 'id'), { representations });
    expect(neil.body.data._entities).toEqual([null]);
  });
});
