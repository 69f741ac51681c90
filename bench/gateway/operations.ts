/**
 * The four operations every gateway is driven with, and the answer each
 * request must get: built from the seeded objects (bench-data.ts), never
 * from any gateway's output. Lists are compared as sets (canonical order),
 * since the benchmark checks content, not a subgraph's sort order.
 */
import { fullNameOf, nextEventsWindow, type BenchCompany, type BenchCourse, type BenchUser } from './bench-data.js';

export const OPERATION_NAMES = ['lookup', 'coursePage', 'courseList', 'joinLiveClass'] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export interface BenchOperation {
  name: OperationName;
  title: string;
  query: string;
}

export const OPERATIONS: Record<OperationName, BenchOperation> = {
  lookup: {
    name: 'lookup',
    title: 'one-subgraph lookup (course by id)',
    query: 'query CourseLookup($id: ID!) { course(id: $id) { id shortname fullname summary } }',
  },
  coursePage: {
    name: 'coursePage',
    title: 'course page (3 levels: academy, meet, calendar, documents)',
    query: `query CoursePage($id: ID!) {
  course(id: $id) {
    id shortname fullname
    teachers { id fullName }
    liveClasses {
      id title status scheduledAt
      host { id fullName }
      recordings { id status durationSeconds }
      calendarEvent { id title start }
    }
    recordings { id status liveClass { id title } }
    calendarEvents { id title start eventType }
    documents { id filename size uploadedBy { id fullName } }
  }
}`,
  },
  courseList: {
    name: 'courseList',
    title: '100 courses with live classes and next events',
    query: `query CourseList($from: DateTime!, $to: DateTime!) {
  courses {
    id shortname
    liveClasses(status: [LIVE, SCHEDULED]) { id title scheduledAt }
    calendarEvents(from: $from, to: $to) { id title start }
  }
}`,
  },
  joinLiveClass: {
    name: 'joinLiveClass',
    title: 'joinLiveClass mutation',
    query: 'mutation Join($id: ID!) { joinLiveClass(id: $id) { roomName canPublish livekitUrl token expiresAt } }',
  },
};

/** JSON with object keys sorted and arrays in a canonical order: equal for equal content. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const user = (person: BenchUser) => ({ id: person.id, fullName: fullNameOf(person) });
const iso = (date: Date) => date.toISOString();

function coursePage(course: BenchCourse) {
  return {
    course: {
      id: course.id,
      shortname: course.shortname,
      fullname: course.fullname,
      teachers: [user(course.teacher)],
      liveClasses: course.liveClasses.map((liveClass) => ({
        id: liveClass.id,
        title: liveClass.title,
        status: liveClass.status,
        scheduledAt: iso(liveClass.scheduledAt),
        host: user(liveClass.host),
        recordings: liveClass.recording ? [{ id: liveClass.recording.id, status: 'READY', durationSeconds: liveClass.recording.durationSeconds }] : [],
        calendarEvent: { id: liveClass.event.id, title: liveClass.event.title, start: iso(liveClass.event.start) },
      })),
      recordings: course.liveClasses
        .filter((liveClass) => liveClass.recording)
        .map((liveClass) => ({ id: liveClass.recording!.id, status: 'READY', liveClass: { id: liveClass.id, title: liveClass.title } })),
      calendarEvents: course.liveClasses.map((liveClass) => ({ id: liveClass.event.id, title: liveClass.event.title, start: iso(liveClass.event.start), eventType: 'LIVE_CLASS' })),
      documents: course.documents.map((document) => ({ id: document.id, filename: document.filename, size: document.size, uploadedBy: user(document.uploadedBy) })),
    },
  };
}

function courseList(company: BenchCompany, now: Date) {
  const window = nextEventsWindow(now);
  return {
    courses: company.courses.map((course) => ({
      id: course.id,
      shortname: course.shortname,
      liveClasses: course.liveClasses
        .filter((liveClass) => liveClass.status !== 'ENDED')
        .map((liveClass) => ({ id: liveClass.id, title: liveClass.title, scheduledAt: iso(liveClass.scheduledAt) })),
      calendarEvents: course.liveClasses
        .filter((liveClass) => liveClass.event.start >= window.from && liveClass.event.start < window.to)
        .map((liveClass) => ({ id: liveClass.event.id, title: liveClass.event.title, start: iso(liveClass.event.start) })),
    })),
  };
}

/** Everything a load generator needs, as plain JSON (it runs in another process). */
export interface LoadFixture {
  livekitUrl: string;
  /** Per company: tokens of its users, its course ids, the LIVE class of each course. */
  companies: { tokens: string[]; courses: string[]; liveClassOf: Record<string, string> }[];
  /** When the course list's window is; `to` gets up to 30 min of jitter per request (same answer, different variables). */
  window: { from: string; to: string };
  /** Canonical expected `data`, by operation then key (course id, or company index for the list). */
  expected: { lookup: Record<string, string>; coursePage: Record<string, string>; courseList: Record<string, string> };
  /** The LIVE class's room, by class id. */
  rooms: Record<string, string>;
}

export function buildFixture(companies: BenchCompany[], tokens: string[][], now: Date, livekitUrl: string): LoadFixture {
  const window = nextEventsWindow(now);
  const fixture: LoadFixture = {
    livekitUrl,
    companies: [],
    window: { from: iso(window.from), to: iso(window.to) },
    expected: { lookup: {}, coursePage: {}, courseList: {} },
    rooms: {},
  };
  companies.forEach((company, index) => {
    const liveClassOf: Record<string, string> = {};
    for (const course of company.courses) {
      const live = course.liveClasses.find((liveClass) => liveClass.status === 'LIVE')!;
      liveClassOf[course.id] = live.id;
      fixture.rooms[live.id] = live.roomName;
      fixture.expected.lookup[course.id] = canonical({ course: { id: course.id, shortname: course.shortname, fullname: course.fullname, summary: course.summary } });
      fixture.expected.coursePage[course.id] = canonical(coursePage(course));
    }
    fixture.expected.courseList[index] = canonical(courseList(company, now));
    fixture.companies.push({ tokens: tokens[index]!, courses: company.courses.map((course) => course.id), liveClassOf });
  });
  return fixture;
}

export interface PlannedRequest {
  token: string;
  variables: Record<string, unknown>;
  /** Whether a parsed response body is the right answer. */
  check: (body: { data?: unknown; errors?: unknown }) => boolean;
}

/** A fresh request of `operation`: a random user of a random company, a random course of theirs. */
export function planRequest(operation: OperationName, fixture: LoadFixture, random: () => number = Math.random): PlannedRequest {
  const companyIndex = Math.floor(random() * fixture.companies.length);
  const company = fixture.companies[companyIndex]!;
  const token = company.tokens[Math.floor(random() * company.tokens.length)]!;
  const courseId = company.courses[Math.floor(random() * company.courses.length)]!;
  const noErrors = (body: { errors?: unknown }) => body.errors === undefined;
  switch (operation) {
    case 'lookup':
    case 'coursePage': {
      const expected = fixture.expected[operation][courseId];
      return { token, variables: { id: courseId }, check: (body) => noErrors(body) && canonical(body.data) === expected };
    }
    case 'courseList': {
      const to = new Date(new Date(fixture.window.to).getTime() + Math.floor(random() * 1_800_000)).toISOString();
      const expected = fixture.expected.courseList[companyIndex];
      return { token, variables: { from: fixture.window.from, to }, check: (body) => noErrors(body) && canonical(body.data) === expected };
    }
    case 'joinLiveClass': {
      const id = company.liveClassOf[courseId]!;
      const room = fixture.rooms[id];
      return {
        token,
        variables: { id },
        check: (body) => {
          const ticket = (body.data as { joinLiveClass?: Record<string, unknown> } | undefined)?.joinLiveClass;
          return (
            noErrors(body) &&
            !!ticket &&
            ticket.roomName === room &&
            ticket.canPublish === true &&
            ticket.livekitUrl === fixture.livekitUrl &&
            typeof ticket.token === 'string' &&
            ticket.token.split('.').length === 3 &&
            typeof ticket.expiresAt === 'string'
          );
        },
      };
    }
  }
}
