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
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { CourseRepository } from '../repositories/course-repository.js';
import { GLOBEX_CATEGORY, startAcademyTwins, type AcademyTwins, type MoodleCourse, TWIN_VIEWERS } from './graphql-js-twin.js';

let twins: AcademyTwins;

const AWKWARD = '"quoted" back\\slash /slash\ttab\nline\rreturn\bback\fform \u0001\u001f\u007f end';
const WIDE = 'é 中文 😀 \u2028\u2029\uFEFF ’';
const OTHER_COMPANY = 'another company’s course';
/** The last second the DateTime scalar writes (9999-12-31T23:59:59Z), and the next. */
const LAST_WRITABLE = '253402300799';
const PAST_WRITABLE = '253402300800';

const COURSES: MoodleCourse[] = [
  { id: '9901', shortname: AWKWARD, fullname: WIDE, summary: null, startdate: '0', enddate: '-5', sortorder: '1' },
  { id: '9902', shortname: '', fullname: '', summary: '', startdate: '1', enddate: LAST_WRITABLE, sortorder: '1' },
  { id: '9903', shortname: 'HID-1', fullname: 'hidden, taught by Tara', summary: AWKWARD, startdate: '1796000000', enddate: '0', visible: false, sortorder: '0' },
  { id: '9904', shortname: 'HID-2', fullname: 'hidden, Sam a student', summary: WIDE, startdate: '1796000000', enddate: '1800000000', visible: false, sortorder: '7' },
  { id: '9905', shortname: 'GLX-X', fullname: OTHER_COMPANY, summary: OTHER_COMPANY, startdate: '0', enddate: '0', category: GLOBEX_CATEGORY, sortorder: '1' },
];

beforeAll(async () => {
  twins = await startAcademyTwins();
  for (const course of COURSES) await twins.addCourse(course);
  await twins.enrol('3', '9903', 'editingteacher');
  await twins.enrol('5', '9904', 'student');
  await twins.enrol('5', '9901', 'student');
  await twins.enrol('3', '9901', 'teacher');
  await twins.enrol('3', '9901', 'student', true);
  // A role without an enrolment, and an enrolment ended: no role either way.
  await twins.assignRole('7', '9902', 'student');
}, 120_000);
afterAll(() => twins?.stop());

const bothAnswers = (viewer: Viewer, query: string) => twins.bothAnswers(viewer, query);

const SELECTIONS = [
  '__typename id shortname viewerRole',
  'id fullname summary startDate endDate',
  'r: viewerRole n: fullname s: shortname id __typename e: endDate',
  'id',
  'id teachers { id }',
];

describe("academy's course lists written by PostgreSQL", () => {
  const written = vi.spyOn(CourseRepository.prototype, 'listJson');

  it.each(Object.keys(TWIN_VIEWERS).flatMap((who) => ['courses', 'myCourses'].flatMap((field) => SELECTIONS.map((selection) => [who, field, selection] as const))))(
    'answer %s { %s { %s } } as graphql-js does, byte for byte',
    async (who, field, selection) => {
      const { academy, expected } = await bothAnswers(TWIN_VIEWERS[who]!(), `{ ${field} { ${selection} } }`);
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
    await twins.addCourse({ id: '9906', shortname: 'Y10K', fullname: 'the year 10000', summary: null, startdate: '1', enddate: PAST_WRITABLE, sortorder: '2' });
    try {
      for (const selection of SELECTIONS.slice(0, 3)) {
        const { academy, expected } = await bothAnswers(demoViewer('admin'), `{ courses { ${selection} } }`);
        expect(academy).toBe(expected);
        if (selection.includes('endDate')) expect(expected).toContain('"path":["courses",5,');
      }
    } finally {
      await twins.removeCourse('9906');
    }
  });
});
