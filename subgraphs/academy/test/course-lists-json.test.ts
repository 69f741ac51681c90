/**
 * A list of courses written as JSON text by PostgreSQL (course-json.ts, on
 * the fast path's graphql-jit requests) must be the very bytes graphql-js
 * and JSON.stringify write from rows: the same request is sent to academy
 * and to a twin of it executing with graphql-js (which never answers raw
 * JSON), by callers of each kind (an admin, a teacher of a hidden course, a
 * student, an employee enrolled nowhere, callers naming no Moodle user,
 * another company's admin), over courses with awkward text, null and empty
 * text, dates Moodle leaves unset (0, below 0), the last writable second and
 * one past it (the scalar's error: read as rows), hidden courses and another
 * company's courses; `courses` and `myCourses` (neither takes arguments),
 * a few plain selections and one that is not.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDENTITY_HEADER, signIdentity } from '../../../platform/auth/gateway-signature.js';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { createLogger } from '../../../platform/logger.js';
import { startSubgraph, type RunningSubgraph } from '../../../platform/subgraph/start-subgraph.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { SUBGRAPH_MODULES } from '../../registry.js';
import { CourseRepository } from '../repositories/course-repository.js';

let platform: TestPlatform;
let twin: RunningSubgraph;
let moodle: Kysely<any>;

const AWKWARD = '"quoted" back\\slash /slash\ttab\nline\rreturn\bback\fform \u0001\u001f\u007f end';
const WIDE = 'é 中文 😀 \u2028\u2029\uFEFF ’';
const OTHER_COMPANY = 'another company’s course';
const BHEEM_CATEGORY = '10';
const GLOBEX_CATEGORY = '20';
/** The last second the DateTime scalar writes (9999-12-31T23:59:59Z), and the next. */
const LAST_WRITABLE = '253402300799';
const PAST_WRITABLE = '253402300800';

interface Course {
  id: string;
  shortname: string;
  fullname: string;
  summary: string | null;
  startdate: string;
  enddate: string;
  visible?: boolean;
  category?: string;
  sortorder: string;
}

const COURSES: Course[] = [
  { id: '9901', shortname: AWKWARD, fullname: WIDE, summary: null, startdate: '0', enddate: '-5', sortorder: '1' },
  { id: '9902', shortname: '', fullname: '', summary: '', startdate: '1', enddate: LAST_WRITABLE, sortorder: '1' },
  { id: '9903', shortname: 'HID-1', fullname: 'hidden, taught by Tara', summary: AWKWARD, startdate: '1796000000', enddate: '0', visible: false, sortorder: '0' },
  { id: '9904', shortname: 'HID-2', fullname: 'hidden, Sam a student', summary: WIDE, startdate: '1796000000', enddate: '1800000000', visible: false, sortorder: '7' },
  { id: '9905', shortname: 'GLX-X', fullname: OTHER_COMPANY, summary: OTHER_COMPANY, startdate: '0', enddate: '0', category: GLOBEX_CATEGORY, sortorder: '1' },
];

const unix = (offsetSeconds = 0) => String(Math.floor(Date.now() / 1000) + offsetSeconds);

/** A course as Moodle stores it, with its context and manual enrolment instance. */
async function addCourse(course: Course): Promise<void> {
  const { category = BHEEM_CATEGORY, visible = true, ...columns } = course;
  await moodle
    .insertInto('mdl_course')
    .values({ ...columns, category, visible: visible ? 1 : 0 })
    .execute();
  await moodle.insertInto('mdl_context').values({ contextlevel: 50, instanceid: course.id, depth: 3 }).execute();
  await moodle.insertInto('mdl_enrol').values({ enrol: 'manual', courseid: course.id, status: 0 }).execute();
}

/** Enrols a user in a course with a role, the way Moodle's manual enrolment does (`enrolled`: a role more). */
async function enrol(userId: string, courseId: string, roleShortname: string, enrolled = false): Promise<void> {
  const enrolId = (await moodle.selectFrom('mdl_enrol').select('id').where('courseid', '=', courseId).executeTakeFirstOrThrow()).id;
  const contextId = (await moodle.selectFrom('mdl_context').select('id').where('contextlevel', '=', '50').where('instanceid', '=', courseId).executeTakeFirstOrThrow()).id;
  const roleId = (await moodle.selectFrom('mdl_role').select('id').where('shortname', '=', roleShortname).executeTakeFirstOrThrow()).id;
  if (!enrolled)
    await moodle
      .insertInto('mdl_user_enrolments')
      .values({ enrolid: enrolId, userid: userId, status: 0, timestart: unix(-60), timeend: '0' })
      .execute();
  await moodle.insertInto('mdl_role_assignments').values({ roleid: roleId, contextid: contextId, userid: userId }).execute();
}

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy'], gateway: false });
  moodle = platform.db.withSchema(platform.config.moodle.schema);
  const deps = { config: platform.config, databaseUrl: platform.database.url, log: createLogger('test') };
  twin = await startSubgraph(await SUBGRAPH_MODULES.academy!(), deps, { port: 0 }, { fastPathEngine: 'graphql-js' });
  for (const course of COURSES) await addCourse(course);
  await enrol('3', '9903', 'editingteacher');
  await enrol('5', '9904', 'student');
  await enrol('5', '9901', 'student');
  await enrol('3', '9901', 'teacher');
  await enrol('3', '9901', 'student', true);
  // A role without an enrolment, and an enrolment ended: no role either way.
  const context = await moodle.selectFrom('mdl_context').select('id').where('instanceid', '=', '9902').executeTakeFirstOrThrow();
  const student = await moodle.selectFrom('mdl_role').select('id').where('shortname', '=', 'student').executeTakeFirstOrThrow();
  await moodle.insertInto('mdl_role_assignments').values({ roleid: student.id, contextid: context.id, userid: '7' }).execute();
}, 120_000);
afterAll(async () => {
  await twin?.stop();
  await platform?.stop();
});

/** The answer's exact text, sent as the gateway sends it (the same body and identity header to either). */
async function answerText(url: string, viewer: Viewer, body: string): Promise<string> {
  const identity = signIdentity(platform.config.internalSigningSecret, viewer, 'academy', body);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity }, body });
  // Stack traces (shown outside production) differ in their frames, not in what they say.
  return `${response.status} ${response.headers.get('content-type')}\n${(await response.text()).replace(/,"stacktrace":\[[^\]]*\]/g, '')}`;
}

/** Academy's answer and the twin's, each the fast path's (the first request of a text is Apollo Server's, which records it). */
async function bothAnswers(viewer: Viewer, query: string): Promise<{ academy: string; expected: string }> {
  const body = JSON.stringify({ query });
  const academy = platform.subgraphs.academy!.url;
  await answerText(academy, viewer, body);
  await answerText(twin.url, viewer, body);
  return { expected: await answerText(twin.url, viewer, body), academy: await answerText(academy, viewer, body) };
}

const VIEWERS: Record<string, () => Viewer> = {
  'an admin': () => demoViewer('admin'),
  'a teacher of a hidden course': () => demoViewer('tara.teacher'),
  'a student': () => demoViewer('sam.student'),
  'an employee enrolled nowhere': () => demoViewer('emil.employee'),
  'a student with a role and no enrolment': () => demoViewer('neil.student'),
  'an employee naming no Moodle user': () => demoViewer('emil.employee', { moodleUserId: undefined }),
  'an admin naming no Moodle user': () => demoViewer('admin', { moodleUserId: undefined }),
  "another company's admin": () => demoViewer('globex.admin'),
};

const SELECTIONS = [
  '__typename id shortname viewerRole',
  'id fullname summary startDate endDate',
  'r: viewerRole n: fullname s: shortname id __typename e: endDate',
  'id',
  'id teachers { id }',
];

describe("academy's course lists written by PostgreSQL", () => {
  const written = vi.spyOn(CourseRepository.prototype, 'listJson');

  it.each(Object.keys(VIEWERS).flatMap((who) => ['courses', 'myCourses'].flatMap((field) => SELECTIONS.map((selection) => [who, field, selection] as const))))(
    'answer %s { %s { %s } } as graphql-js does, byte for byte',
    async (who, field, selection) => {
      const { academy, expected } = await bothAnswers(VIEWERS[who]!(), `{ ${field} { ${selection} } }`);
      expect(academy).toBe(expected);
      expect(expected).not.toContain('"errors"');
      if (!who.startsWith('another')) expect(expected).not.toContain('another company');
      if (who === 'an admin' && field === 'courses') expect(expected).toContain('"9904"');
      if (who === 'a teacher of a hidden course' && selection.includes('viewerRole')) expect(expected).toMatch(/"9903".*"TEACHER"/);
      if (who === 'a student' && selection.includes('viewerRole')) expect(expected).toContain('"STUDENT"');
    },
  );

  it('wrote the plain selections as JSON text, and the answers above are of that path', async () => {
    const texts = await Promise.all(written.mock.results.map((result) => result.value));
    expect(texts.filter((list) => list.json !== null).length).toBeGreaterThan(40);
  });

  it('reads a list as rows when a date is past what the scalar writes, and answers as graphql-js does', async () => {
    await addCourse({ id: '9906', shortname: 'Y10K', fullname: 'the year 10000', summary: null, startdate: '1', enddate: PAST_WRITABLE, sortorder: '2' });
    try {
      for (const selection of SELECTIONS.slice(0, 3)) {
        const { academy, expected } = await bothAnswers(demoViewer('admin'), `{ courses { ${selection} } }`);
        expect(academy).toBe(expected);
        if (selection.includes('endDate')) expect(expected).toContain('"path":["courses",5,');
      }
    } finally {
      await moodle.deleteFrom('mdl_enrol').where('courseid', '=', '9906').execute();
      await moodle.deleteFrom('mdl_context').where('instanceid', '=', '9906').where('contextlevel', '=', 50).execute();
      await moodle.deleteFrom('mdl_course').where('id', '=', '9906').execute();
    }
  });
});
