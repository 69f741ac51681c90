/**
 * A course page's course (Query.course with teachers and viewerRole), read in
 * one statement on the fast path's graphql-jit requests with the teachers
 * written as JSON text by PostgreSQL (course-page.ts, teacher-json.ts), must
 * answer what graphql-js answers from the three statements' rows, byte for
 * byte: the same request is sent to academy and to a graphql-js twin
 * (graphql-js-twin.ts) by callers of each kind (an admin, a teacher of a
 * hidden course, a student, callers enrolled nowhere or holding a role
 * without an enrolment, callers naming no Moodle user, another company's
 * admin), for visible and hidden courses, a course without teachers, another
 * company's course, a course ending past year 9999 (the scalar's error) and
 * ids that are no course's; over teachers with awkward names (JSON escapes,
 * every white space JavaScript's trim removes and one it keeps, names that
 * trim to nothing, an empty username, the same name twice), and teachers
 * who are not listed (suspended, deleted, enrolment ended, a student only).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { CourseRepository } from '../repositories/course-repository.js';
import { GLOBEX_CATEGORY, startAcademyTwins, unix, type AcademyTwins, TWIN_VIEWERS } from './graphql-js-twin.js';

let twins: AcademyTwins;

const AWKWARD = '"quoted" back\\slash\ttab\nline\u0001\u001f\u007f';
/** What String.prototype.trim removes, every one of it. */
const JS_WHITE_SPACE = '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
/** The last second the DateTime scalar writes (9999-12-31T23:59:59Z), and the next. */
const PAST_WRITABLE = '253402300800';

interface Person {
  id: string;
  username: string;
  firstname: string;
  lastname: string;
  suspended?: number;
  deleted?: number;
}

const PEOPLE: Person[] = [
  { id: '9801', username: 'awkward', firstname: AWKWARD, lastname: `${JS_WHITE_SPACE}Zed\u2028` },
  { id: '9802', username: 'blank.names', firstname: JS_WHITE_SPACE, lastname: '\ufeff\u3000' },
  { id: '9803', username: '', firstname: '', lastname: '' },
  // The same name twice, the higher id inserted first.
  { id: '9805', username: 'tie.two', firstname: 'Same', lastname: 'Tie' },
  { id: '9804', username: 'tie.one', firstname: 'Same', lastname: 'Tie' },
  // U+180E was white space once: JavaScript's trim keeps it.
  { id: '9806', username: 'mongolian', firstname: '\u180e', lastname: '\u180e' },
  { id: '9807', username: 'wide', firstname: 'é 中文 😀', lastname: '’ \u2029x' },
  { id: '9808', username: 'suspended', firstname: 'Sus', lastname: 'Pended', suspended: 1 },
  { id: '9809', username: 'ended', firstname: 'En', lastname: 'Ded' },
  { id: '9810', username: 'both', firstname: 'Both', lastname: 'Roles' },
  { id: '9811', username: 'student.only', firstname: 'Stu', lastname: 'Dent' },
  { id: '9812', username: 'deleted', firstname: 'De', lastname: 'Leted', deleted: 1 },
];

beforeAll(async () => {
  twins = await startAcademyTwins();
  const { moodle } = twins;
  for (const person of PEOPLE)
    await moodle
      .insertInto('mdl_user')
      .values({ email: `${person.id}@example.org`, auth: 'manual', confirmed: 1, mnethostid: '1', timecreated: '0', timemodified: '0', ...person })
      .execute();
  const course = (id: string, visible: boolean, enddate = '0', category?: string) =>
    twins.addCourse({ id, shortname: `S-${id}`, fullname: `${AWKWARD} ${id}`, summary: null, startdate: '1', enddate, visible, sortorder: '1', ...(category && { category }) });
  await course('9701', true);
  await course('9702', false);
  await course('9703', true);
  await course('9704', true, '0', GLOBEX_CATEGORY);
  await course('9705', true, PAST_WRITABLE);
  for (const person of PEOPLE) if (person.id !== '9811') await twins.enrol(person.id, '9701', person.id === '9801' ? 'teacher' : 'editingteacher');
  await twins.enrol('9810', '9701', 'student', true);
  await twins.enrol('9811', '9701', 'student');
  await twins.moodle
    .updateTable('mdl_user_enrolments')
    .set({ timeend: unix(-30) })
    .where('userid', '=', '9809')
    .execute();
  await twins.enrol('3', '9701', 'student');
  await twins.enrol('3', '9702', 'editingteacher');
  await twins.enrol('5', '9702', 'student');
  await twins.enrol('9804', '9702', 'teacher');
  await twins.enrol('5', '9703', 'student');
  await twins.enrol('21', '9704', 'editingteacher');
  await twins.enrol('3', '9704', 'editingteacher');
  await twins.enrol('3', '9705', 'editingteacher');
  await twins.assignRole('7', '9701', 'student');
}, 120_000);
afterAll(() => twins?.stop());

const IDS = ['9701', '9702', '9703', '9704', '9705', '09701', 'x9701', '9799'];

const SELECTIONS = [
  // The gateway's (CoursePage__academy__0).
  '__typename id shortname fullname teachers{id fullName}viewerRole',
  'id teachers { __typename id username fullName }',
  'r: viewerRole t: teachers { n: fullName i: id } id',
  'id viewerRole',
  'teachers { id } id endDate',
  // Not plain: the rows' path, after the one statement.
  'teachers { id email }',
  'teachers { id } again: teachers { fullName }',
  'teachers { id ... on User { fullName } } viewerRole',
  // Not a page: findByIds.
  'id shortname',
];

const page = (selection: string) => `query Page($id: ID!) { course(id: $id) { ${selection} } }`;

describe("academy's course page read in one statement, its teachers written by PostgreSQL", () => {
  const pages = vi.spyOn(CourseRepository.prototype, 'pageOf');

  it.each(Object.keys(TWIN_VIEWERS).flatMap((who) => SELECTIONS.map((selection) => [who, selection] as const)))(
    'answers %s { course(id) { %s } } as graphql-js does, byte for byte, for every course',
    async (who, selection) => {
      for (const id of IDS) {
        const { academy, expected } = await twins.bothAnswers(TWIN_VIEWERS[who]!(), page(selection), { id });
        expect(academy, id).toBe(expected);
        if (!(id === '9705' && selection.includes('endDate'))) expect(expected, id).not.toContain('"errors"');
        if (!who.startsWith('another')) expect(expected, id).not.toContain('9704');
      }
    },
  );

  it('wrote the teachers as JSON text, in the order and with the names the rows give', async () => {
    const written = (await Promise.all(pages.mock.results.map((result) => result.value))).filter((found) => found?.teachersJson);
    expect(written.length).toBeGreaterThan(40);
    const { expected } = await twins.bothAnswers(demoViewer('admin'), page('teachers { id fullName }'), { id: '9701' });
    expect(expected).toContain(
      '{"id":"9801","fullName":"\\"quoted\\" back\\\\slash\\ttab\\nline\\u0001\\u001f\u007f \\t\\n\\u000b\\f\\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeffZed"},',
    );
    expect(expected).toContain('{"id":"9810","fullName":"Both Roles"},{"id":"9804","fullName":"Same Tie"},{"id":"9805","fullName":"Same Tie"}');
    expect(expected).toContain('{"id":"9802","fullName":"blank.names"}');
    expect(expected).toContain('{"id":"9803","fullName":""}');
    expect(expected).toContain('{"id":"9806","fullName":"\u180e \u180e"}');
    expect(expected).not.toMatch(/"98(08|09|11|12)"/);
  });

  it('reads the teachers as rows when a name is null, and answers as graphql-js does', async () => {
    await twins.moodle.schema
      .alterTable('mdl_user')
      .alterColumn('firstname', (column) => column.dropNotNull())
      .execute();
    await twins.moodle.updateTable('mdl_user').set({ firstname: null }).where('id', '=', '9807').execute();
    pages.mockClear();
    try {
      const { academy, expected } = await twins.bothAnswers(demoViewer('admin'), page(SELECTIONS[0]!), { id: '9701' });
      expect(academy).toBe(expected);
      expect(expected).toContain('{"id":"9807","fullName":"null ’ \u2029x"}');
      const found = await pages.mock.results.at(-1)!.value;
      expect(found.teachersJson).toBeNull();
    } finally {
      await twins.moodle.updateTable('mdl_user').set({ firstname: 'é 中文 😀' }).where('id', '=', '9807').execute();
    }
  });
});
