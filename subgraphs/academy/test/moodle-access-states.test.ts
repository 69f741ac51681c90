/**
 * What Moodle itself stores about a person's access, read as Moodle reads it:
 * a hidden course is for those who may view hidden courses (teachers, not
 * students); a suspended or deleted account takes part in nothing; an
 * enrolment counts only while it, its instance and its time window are
 * active. Each state is written into Moodle's tables and undone after.
 * Moodle's bell follows the same rule: a class of a hidden course is
 * announced to its teachers only.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCompanyId } from '../../../platform/demo/demo-ids.js';
import { publishEvent } from '../../../platform/events/publish-event.js';
import { callSubgraph, demoViewer } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { MOODLE_CALENDAR_GROUP } from '../consumers/moodle-calendar-consumer.js';

let platform: TestPlatform;
let db: Kysely<any>;
let moodle: Kysely<any>;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy'], gateway: false, env: { ACADEMY_CONSUME_EVENTS: 'true' } });
  db = platform.db;
  moodle = db.withSchema(platform.config.moodle.schema);
});
afterAll(async () => {
  await platform?.stop();
});

const call = (username: string, query: string) =>
  callSubgraph({
    url: platform.subgraphs.academy!.url,
    audience: 'academy',
    secret: platform.config.internalSigningSecret,
    viewer: demoViewer(username),
    query,
  });

const COURSE_103 = '{ course(id: "103") { id viewerRole } courses { id } myCourses { id } }';
const ENTITY_103 = '{ _entities(representations: [{ __typename: "Course", id: "103" }]) { ... on Course { id viewerRole } } }';
const COURSE_101 = '{ course(id: "101") { id viewerRole } courses { id } myCourses { id } }';
const unix = (offsetSeconds = 0) => String(Math.floor(Date.now() / 1000) + offsetSeconds);

/** Enrols a user in a course with a role, the way Moodle's manual enrolment does; returns the undo. */
async function enrol(userId: string, courseId: string, roleShortname: string): Promise<() => Promise<void>> {
  const enrolId = (await moodle.selectFrom('mdl_enrol').select('id').where('courseid', '=', courseId).executeTakeFirstOrThrow()).id;
  const contextId = (await moodle.selectFrom('mdl_context').select('id').where('contextlevel', '=', '50').where('instanceid', '=', courseId).executeTakeFirstOrThrow()).id;
  const roleId = (await moodle.selectFrom('mdl_role').select('id').where('shortname', '=', roleShortname).executeTakeFirstOrThrow()).id;
  const ue = await moodle
    .insertInto('mdl_user_enrolments')
    .values({ enrolid: enrolId, userid: userId, status: 0, timestart: unix(-60), timeend: '0' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ra = await moodle.insertInto('mdl_role_assignments').values({ roleid: roleId, contextid: contextId, userid: userId }).returning('id').executeTakeFirstOrThrow();
  return async () => {
    await moodle.deleteFrom('mdl_user_enrolments').where('id', '=', ue.id).execute();
    await moodle.deleteFrom('mdl_role_assignments').where('id', '=', ra.id).execute();
  };
}

describe('academy over what Moodle stores', () => {
  it('keeps a hidden course from a student enrolled in it, on every path', async () => {
    const undo = await enrol('6', '103', 'student');
    try {
      const { body } = await call('sita.student', COURSE_103);
      expect(body.errors).toBeUndefined();
      expect(body.data.course).toBeNull();
      expect(body.data.courses.map((c: any) => c.id)).not.toContain('103');
      expect(body.data.myCourses.map((c: any) => c.id)).not.toContain('103');
      const entity = await call('sita.student', ENTITY_103);
      expect(entity.body.data._entities).toEqual([null]);
    } finally {
      await undo();
    }
  });

  it('shows a hidden course to its non-editing teacher, who may view hidden courses in Moodle', async () => {
    const undo = await enrol('4', '103', 'teacher');
    try {
      const { body } = await call('ravi.teacher', COURSE_103);
      expect(body.errors).toBeUndefined();
      expect(body.data.course).toEqual({ id: '103', viewerRole: 'TEACHER' });
      expect(body.data.courses.map((c: any) => c.id)).toContain('103');
      expect(body.data.myCourses.map((c: any) => c.id)).toContain('103');
    } finally {
      await undo();
    }
  });

  for (const [state, column] of [
    ['suspended', 'suspended'],
    ['deleted', 'deleted'],
  ] as const) {
    it(`gives a ${state} Moodle account no role in its courses`, async () => {
      await moodle
        .updateTable('mdl_user')
        .set({ [column]: 1 })
        .where('id', '=', '3')
        .execute();
      try {
        const { body } = await call('tara.teacher', '{ course(id: "101") { id viewerRole } }');
        expect(body.errors).toBeUndefined();
        expect(body.data.course).toEqual({ id: '101', viewerRole: null });
      } finally {
        await moodle
          .updateTable('mdl_user')
          .set({ [column]: 0 })
          .where('id', '=', '3')
          .execute();
      }
    });
  }

  const enrolmentStates: [string, () => Promise<() => Promise<void>>][] = [
    ['a suspended enrolment', () => setEnrolment({ status: 1 })],
    ['an enrolment that starts tomorrow', () => setEnrolment({ timestart: unix(86_400) })],
    ['an enrolment that ended yesterday', () => setEnrolment({ timeend: unix(-86_400) })],
    ['a disabled enrolment method', () => setInstance({ status: 1 })],
  ];
  for (const [state, apply] of enrolmentStates) {
    it(`gives ${state} no role, and its course stays listed only as a visible course`, async () => {
      const undo = await apply();
      try {
        const { body } = await call('sam.student', COURSE_101);
        expect(body.errors).toBeUndefined();
        expect(body.data.course).toEqual({ id: '101', viewerRole: null });
        expect(body.data.courses.map((c: any) => c.id)).toContain('101');
        expect(body.data.myCourses.map((c: any) => c.id)).not.toContain('101');
      } finally {
        await undo();
      }
    });
  }
  it('tells only the teachers of a hidden course about a class scheduled in it', async () => {
    const undoTeacher = await enrol('4', '103', 'teacher');
    const undoStudent = await enrol('6', '103', 'student');
    try {
      const liveClassId = randomUUID();
      const payload = {
        company_id: demoCompanyId('bheem'),
        live_class_id: liveClassId,
        course_id: '103',
        title: 'Titration',
        description: null,
        scheduled_at: new Date(Date.now() + 5 * 3_600_000).toISOString(),
        duration_minutes: 30,
        status: 'SCHEDULED',
        host_user_id: '3',
        actor_id: '3',
      };
      const eventId = await db
        .transaction()
        .execute(async (trx) => (await publishEvent(trx, { topic: 'meet.class.scheduled', companyId: payload.company_id, key: liveClassId, payload, source: 'meet' })).id);
      await waitFor(async () => (await sql`SELECT 1 FROM events.processed WHERE group_name = ${MOODLE_CALENDAR_GROUP} AND event_id = ${eventId}`.execute(db)).rows.length > 0);
      const rows = await moodle.selectFrom('mdl_notifications').select('useridto').where(sql<boolean>`customdata::jsonb ->> 'liveclassid' = ${liveClassId}`).execute();
      expect(rows.map((row) => row.useridto)).toEqual(['4']);
    } finally {
      await undoStudent();
      await undoTeacher();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the event to be handled');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function enrolmentOfSamIn101() {
  const enrol = await moodle.selectFrom('mdl_enrol').select('id').where('courseid', '=', '101').executeTakeFirstOrThrow();
  return moodle.selectFrom('mdl_user_enrolments').selectAll().where('enrolid', '=', enrol.id).where('userid', '=', '5').executeTakeFirstOrThrow();
}

async function setEnrolment(change: Record<string, unknown>): Promise<() => Promise<void>> {
  const before = await enrolmentOfSamIn101();
  await moodle.updateTable('mdl_user_enrolments').set(change).where('id', '=', before.id).execute();
  return async () => {
    await moodle.updateTable('mdl_user_enrolments').set({ status: before.status, timestart: before.timestart, timeend: before.timeend }).where('id', '=', before.id).execute();
  };
}

async function setInstance(change: Record<string, unknown>): Promise<() => Promise<void>> {
  const before = await moodle.selectFrom('mdl_enrol').selectAll().where('courseid', '=', '101').executeTakeFirstOrThrow();
  await moodle.updateTable('mdl_enrol').set(change).where('id', '=', before.id).execute();
  return async () => {
    await moodle.updateTable('mdl_enrol').set({ status: before.status }).where('id', '=', before.id).execute();
  };
}
