/**
 * Academy beside a twin of itself executing with graphql-js (which never
 * answers raw JSON), over one test database: what PostgreSQL writes as JSON
 * text on the fast path (course-lists-json.test.ts, course-page-json.test.ts)
 * is compared with what graphql-js and JSON.stringify write from rows, byte
 * for byte. With Moodle's rows as its manual enrolment writes them.
 */
import type { Kysely } from 'kysely';
import { IDENTITY_HEADER, signIdentity } from '../../../platform/auth/gateway-signature.js';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { createLogger } from '../../../platform/logger.js';
import { startSubgraph, type RunningSubgraph } from '../../../platform/subgraph/start-subgraph.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { SUBGRAPH_MODULES } from '../../registry.js';

export const BHEEM_CATEGORY = '10';
export const GLOBEX_CATEGORY = '20';

export interface MoodleCourse {
  id: string;
  shortname: string | null;
  fullname: string;
  summary: string | null;
  startdate: string;
  enddate: string;
  visible?: boolean;
  category?: string;
  sortorder: string;
}

export const unix = (offsetSeconds = 0) => String(Math.floor(Date.now() / 1000) + offsetSeconds);

export interface AcademyTwins {
  platform: TestPlatform;
  /** The test database's Moodle schema. */
  moodle: Kysely<any>;
  /** A course as Moodle stores it, with its context and manual enrolment instance. */
  addCourse(course: MoodleCourse): Promise<void>;
  /** Removes a course added by addCourse. */
  removeCourse(id: string): Promise<void>;
  /**
   * Enrols a user in a course with a role, the way Moodle's manual enrolment does (`enrolled`: a role more, the
   * enrolment there already; `enrolment`: the user enrolment's columns).
   */
  enrol(userId: string, courseId: string, roleShortname: string, enrolled?: boolean, enrolment?: Record<string, unknown>): Promise<void>;
  /** A role assignment in the course's context without an enrolment. */
  assignRole(userId: string, courseId: string, roleShortname: string): Promise<void>;
  /** Academy's answer and the twin's to one request, each the fast path's, as `<status> <media type>\n<body>`. */
  bothAnswers(viewer: Viewer, query: string, variables?: Record<string, unknown>): Promise<{ academy: string; expected: string }>;
  stop(): Promise<void>;
}

export async function startAcademyTwins(): Promise<AcademyTwins> {
  const platform = await startTestPlatform({ subgraphs: ['academy'], gateway: false });
  const deps = { config: platform.config, databaseUrl: platform.database.url, log: createLogger('test') };
  const twin: RunningSubgraph = await startSubgraph(await SUBGRAPH_MODULES.academy!(), deps, { port: 0 }, { fastPathEngine: 'graphql-js' }).catch(async (error) => {
    await platform.stop();
    throw error;
  });
  const moodle = platform.db.withSchema(platform.config.moodle.schema);
  const idOf = async (table: string, where: Record<string, string>) => {
    let query = moodle.selectFrom(table).select('id');
    for (const [column, value] of Object.entries(where)) query = query.where(column, '=', value);
    return (await query.executeTakeFirstOrThrow()).id as string;
  };
  const contextOf = (courseId: string) => idOf('mdl_context', { contextlevel: '50', instanceid: courseId });
  const roleOf = (shortname: string) => idOf('mdl_role', { shortname });
  const assignRole = async (userId: string, courseId: string, roleShortname: string) => {
    await moodle
      .insertInto('mdl_role_assignments')
      .values({ roleid: await roleOf(roleShortname), contextid: await contextOf(courseId), userid: userId })
      .execute();
  };

  /** The answer's exact text, sent as the gateway sends it (the same body and identity header to either). */
  const answerText = async (url: string, viewer: Viewer, body: string) => {
    const identity = signIdentity(platform.config.internalSigningSecret, viewer, 'academy', body);
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity }, body });
    // Stack traces (shown outside production) differ in their frames, not in what they say.
    return `${response.status} ${response.headers.get('content-type')}\n${(await response.text()).replace(/,"stacktrace":\[[^\]]*\]/g, '')}`;
  };

  return {
    platform,
    moodle,
    async addCourse(course) {
      const { category = BHEEM_CATEGORY, visible = true, ...columns } = course;
      await moodle
        .insertInto('mdl_course')
        .values({ ...columns, category, visible: visible ? 1 : 0 })
        .execute();
      await moodle.insertInto('mdl_context').values({ contextlevel: 50, instanceid: course.id, depth: 3 }).execute();
      await moodle.insertInto('mdl_enrol').values({ enrol: 'manual', courseid: course.id, status: 0 }).execute();
    },
    async removeCourse(id) {
      await moodle.deleteFrom('mdl_enrol').where('courseid', '=', id).execute();
      await moodle.deleteFrom('mdl_context').where('instanceid', '=', id).where('contextlevel', '=', 50).execute();
      await moodle.deleteFrom('mdl_course').where('id', '=', id).execute();
    },
    async enrol(userId, courseId, roleShortname, enrolled = false, enrolment = {}) {
      if (!enrolled)
        await moodle
          .insertInto('mdl_user_enrolments')
          .values({ enrolid: await idOf('mdl_enrol', { courseid: courseId }), userid: userId, status: 0, timestart: unix(-60), timeend: '0', ...enrolment })
          .execute();
      await assignRole(userId, courseId, roleShortname);
    },
    assignRole,
    // The first request of a text is Apollo Server's, which records it; the next ones are the fast path's.
    async bothAnswers(viewer, query, variables) {
      const body = JSON.stringify({ query, variables });
      const academy = platform.subgraphs.academy!.url;
      await answerText(academy, viewer, body);
      await answerText(twin.url, viewer, body);
      return { expected: await answerText(twin.url, viewer, body), academy: await answerText(academy, viewer, body) };
    },
    async stop() {
      await twin.stop();
      await platform.stop();
    },
  };
}

/** The callers both twin tests ask as: roles, enrolments, a company apart, tokens naming no Moodle user. */
export const TWIN_VIEWERS: Record<string, () => Viewer> = {
  'an admin': () => demoViewer('admin'),
  'a teacher of a hidden course': () => demoViewer('tara.teacher'),
  'a student': () => demoViewer('sam.student'),
  'an employee enrolled nowhere': () => demoViewer('emil.employee'),
  'a student with a role and no enrolment': () => demoViewer('neil.student'),
  'an employee naming no Moodle user': () => demoViewer('emil.employee', { moodleUserId: undefined }),
  'an admin naming no Moodle user': () => demoViewer('admin', { moodleUserId: undefined }),
  "another company's admin": () => demoViewer('globex.admin'),
};
