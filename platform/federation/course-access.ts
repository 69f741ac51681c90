/**
 * What meet, calendar and documents need to know about a course, asked of
 * academy (the only subgraph that reads Moodle) through its `_entities`
 * contract: the caller's role there and, for background work, the
 * participants. Per request, batched: many lookups, one call.
 */
import DataLoader from 'dataloader';
import { isAdmin, type Viewer } from '../auth/viewer.js';
import type { PlatformConfig } from '../config.js';
import { forbidden, notFound } from '../errors.js';
import { callSubgraph } from './subgraph-call.js';

export type CourseRole = 'TEACHER' | 'STUDENT';

export interface CourseFacts {
  id: string;
  fullname: string;
  viewerRole: CourseRole | null;
}

export interface CourseParticipants {
  id: string;
  fullname: string;
  teachers: { id: string; fullName: string; email: string | null }[];
  students: { id: string; fullName: string; email: string | null }[];
}

const FACTS_QUERY = `query CourseFacts($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Course { id fullname viewerRole } }
}`;

const PARTICIPANTS_QUERY = `query CourseParticipants($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Course { id fullname teachers { id fullName email } students { id fullName email } }
  }
}`;

export class CourseAccess {
  private readonly facts: DataLoader<string, CourseFacts | null>;

  constructor(
    private readonly config: PlatformConfig,
    private readonly viewer: Viewer,
  ) {
    this.facts = new DataLoader(async (ids) => {
      const { _entities } = await callSubgraph<{ _entities: (CourseFacts | null)[] }>(config, 'academy', viewer, FACTS_QUERY, {
        representations: ids.map((id) => ({ __typename: 'Course', id })),
      });
      return _entities;
    });
  }

  /** The course as the caller may see it (null: no such course in the caller's company, or hidden). */
  course(courseId: string): Promise<CourseFacts | null> {
    return this.facts.load(courseId);
  }

  /** Admins of the company and the course's own teachers. */
  async requireTeacher(courseId: string): Promise<CourseFacts> {
    const course = await this.course(courseId);
    if (!course) throw notFound('Course', courseId);
    if (!isAdmin(this.viewer) && course.viewerRole !== 'TEACHER') throw forbidden('Only the course\u2019s teachers and company admins may do this');
    return course;
  }

  /** Admins of the company and anyone enrolled (teacher or student). */
  async requireParticipant(courseId: string): Promise<CourseFacts> {
    const course = await this.course(courseId);
    if (!course) throw notFound('Course', courseId);
    if (!isAdmin(this.viewer) && !course.viewerRole) throw forbidden('Only users enrolled in the course may do this');
    return course;
  }

  /** Teachers and students of a course; needs an identity allowed to list students (admin or teacher). */
  async participants(courseId: string): Promise<CourseParticipants | null> {
    const { _entities } = await callSubgraph<{ _entities: (CourseParticipants | null)[] }>(this.config, 'academy', this.viewer, PARTICIPANTS_QUERY, {
      representations: [{ __typename: 'Course', id: courseId }],
    });
    return _entities[0] ?? null;
  }
}

/**
 * For Course extension fields (Course.liveClasses, .calendarEvents, .documents):
 * the gateway passes `viewerRole` in the representation through `@requires`,
 * fetched from academy for this very caller within this signed request.
 */
export function mayReadCourse(viewer: Viewer, reference: { viewerRole?: CourseRole | null }): boolean {
  return isAdmin(viewer) || !!reference.viewerRole;
}
