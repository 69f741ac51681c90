/**
 * Reading live classes: rows of the caller's company only, then only those
 * of courses the caller may see. Per request, batched: any number of
 * lookups is one SQL statement per kind plus at most one call to academy.
 */
import DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { badInput, notFound } from '../../../platform/errors.js';
import { mayReadCourse } from '../../../platform/federation/course-access.js';
import { pageRequest, toConnection, type Connection, type PageArgs } from '../../../platform/graphql/connection.js';
import { groupLoader, rowLoader } from '../../../platform/graphql/loaders.js';
import type { EventMemo } from '../../../platform/subgraph/subscriptions/event-memo.js';
import type { CourseReference, LiveClassFilter, LiveClassModel } from '../models.js';
import type { PlainField } from '../../../platform/graphql/plain-selection.js';
import { RawJson } from '../../../platform/subgraph/raw-json.js';
import { classJsonShape, type ClassJsonShape } from '../repositories/live-class-json.js';
import { leanClassColumns, type LiveClassRepository } from '../repositories/live-class-repository.js';
import type { ClassAccess } from './class-access.js';

export class LiveClassService {
  private readonly classById: DataLoader<string, LiveClassModel | null>;
  /** One loader per distinct filter, so each filter's lists are still one statement. */
  private readonly classesByCourse = new Map<string, DataLoader<string, LiveClassModel[]>>();
  /** The same lists as JSON text (jsonLoaderFor), by filter and shape. */
  private readonly jsonByCourse = new Map<string, DataLoader<string, LiveClassModel[] | RawJson>>();
  private lastLoader: { filter: LiveClassFilter; leanColumns: number | null; loader: DataLoader<string, LiveClassModel[]> } | undefined;
  /** The lean class lists this request read (or is reading) of each course, with their columns (classOfRecording). */
  private readonly leanListsOfCourse = new Map<string, { columns: number; classes: Promise<LiveClassModel[]> }[]>();

  constructor(
    private readonly viewer: Viewer,
    private readonly access: ClassAccess,
    private readonly classes: LiveClassRepository,
  ) {
    this.classById = rowLoader(
      (ids) => classes.findByIds(viewer.companyId, ids),
      (row) => row.id,
    );
  }

  /** A class of the caller's company, whatever the caller's role (for mutations, which check roles themselves). */
  findInCompany(id: string): Promise<LiveClassModel | null> {
    return this.classById.load(id);
  }

  /** A class the caller may see, or null (also for another company's and for unknown ids). */
  async getLiveClass(id: string): Promise<LiveClassModel | null> {
    const liveClass = await this.classById.load(id);
    if (!liveClass) return null;
    return (await this.access.mayRead(liveClass.courseId)) ? liveClass : null;
  }

  /**
   * As getLiveClass, for a subscriber handling a backbone event: the row is read once per event for every subscriber
   * of the caller's company (keyed by company, so no row crosses tenants); whether this caller may see it is asked
   * of the caller's own roles.
   */
  async getLiveClassOfEvent(memo: EventMemo, id: string): Promise<LiveClassModel | null> {
    const { companyId } = this.viewer;
    const liveClass = await memo.once(`live_class:${companyId}:${id}`, async () => (await this.classes.findByIds(companyId, [id]))[0] ?? null);
    if (!liveClass) return null;
    return (await this.access.mayRead(liveClass.courseId)) ? liveClass : null;
  }

  /** Whether the caller may still follow a course's classes (a subscription's scope, checked again as it runs). */
  mayFollowCourse(courseId: string): Promise<boolean> {
    return this.access.mayRead(courseId);
  }

  /**
   * A subscription's scope, checked when it starts: the course must be one the caller may read (NOT_FOUND when not
   * visible, FORBIDDEN when not enrolled), the class one they may see (NOT_FOUND), and the two must agree.
   * Returns the course the subscription follows (the class's when only a class is named), null for all courses.
   */
  async requireVisibleScope(courseId?: string | null, liveClassId?: string | null): Promise<string | null> {
    if (courseId) await this.access.requireParticipant(courseId);
    if (!liveClassId) return courseId ?? null;
    const liveClass = await this.getLiveClass(liveClassId);
    if (!liveClass) throw notFound('LiveClass', liveClassId);
    if (courseId && liveClass.courseId !== courseId) throw badInput(`Live class ${liveClassId} is not a class of course ${courseId}`, 'liveClassId');
    return liveClass.courseId;
  }

  /**
   * Course.liveClasses: academy told the gateway the caller's role in this course (@requires).
   * `fields`: those asked of each class; when lean rows answer them all (leanClassColumns), only their columns are read.
   * `plain`: the selection, given when the request may be answered raw JSON (raw-json.ts): when PostgreSQL can write
   * it (classJsonShape), the same classes come as the list's JSON text, no rows built (classOfRecording does not
   * find them then).
   */
  ofCourse(
    course: CourseReference,
    filter: LiveClassFilter,
    fields?: ReadonlySet<string>,
    plain?: readonly PlainField[] | null,
  ): Promise<LiveClassModel[] | RawJson> | LiveClassModel[] {
    // Not async: the loader's promise is handed on as it is, not wrapped in one more (each course of a fetch asks).
    if (!mayReadCourse(this.viewer, course)) return [];
    const shape = plain ? classJsonShape(plain) : null;
    if (shape) return this.jsonLoaderFor(filter, shape, fields ? leanClassColumns(fields) : null).load(course.id);
    const columns = fields ? leanClassColumns(fields) : null;
    const classes = this.loaderFor(filter, columns).load(course.id);
    if (columns !== null) {
      const lists = this.leanListsOfCourse.get(course.id);
      if (lists) lists.push({ columns, classes });
      else this.leanListsOfCourse.set(course.id, [{ columns, classes }]);
    }
    return classes;
  }

  /**
   * Recording.liveClass: as getLiveClass, but when this request read the course's classes lean with every column
   * `fields` needs (the course page's `recordings { liveClass { id title } }` beside its `liveClasses`), the class
   * is taken from that list rather than read whole again; a class not in it (another filter) is read as before.
   */
  async classOfRecording(recording: { liveClassId: string; courseId: string }, fields: ReadonlySet<string>): Promise<LiveClassModel | null> {
    const lists = this.leanListsOfCourse.get(recording.courseId);
    const columns = lists && leanClassColumns(fields);
    if (lists && columns != null)
      for (const list of lists) {
        if ((list.columns & columns) !== columns) continue;
        const found = (await list.classes.catch(() => [])).find((liveClass) => liveClass.id === recording.liveClassId);
        if (found) return (await this.access.mayRead(found.courseId)) ? found : null;
      }
    return this.getLiveClass(recording.liveClassId);
  }

  /** Query.liveClasses: one course, or every course the caller may see. */
  async list(courseId: string | null | undefined, filter: LiveClassFilter): Promise<LiveClassModel[]> {
    if (courseId) {
      if (!(await this.access.mayRead(courseId))) return [];
      return this.loaderFor(filter).load(courseId);
    }
    const all = await this.classes.list(this.viewer.companyId, filter);
    const readable = await Promise.all(all.map((liveClass) => this.access.mayRead(liveClass.courseId)));
    const visible = all.filter((_, index) => readable[index]);
    for (const liveClass of visible) this.classById.prime(liveClass.id, liveClass);
    return visible;
  }

  /** Course.liveClassesConnection: as ofCourse, a page at a time. */
  async pageOfCourse(course: CourseReference, filter: LiveClassFilter, args: PageArgs): Promise<Connection<LiveClassModel>> {
    const { first, after } = pageRequest(args, ['string', 'string']);
    if (!mayReadCourse(this.viewer, course))
      return toConnection(
        [],
        first,
        () => [],
        (row) => row,
      );
    const rows = await this.classes.listPage(this.viewer.companyId, filter, course.id, { after, limit: first + 1 });
    return toConnection(
      rows,
      first,
      (row) => row.key,
      (row) => row.node,
    );
  }

  /** Query.liveClassesConnection: as list, a page at a time (classes of courses the caller may not see are left out of the page). */
  async listPage(courseId: string | null | undefined, filter: LiveClassFilter, args: PageArgs): Promise<Connection<LiveClassModel>> {
    const { first, after } = pageRequest(args, ['string', 'string']);
    if (courseId && !(await this.access.mayRead(courseId)))
      return toConnection(
        [],
        first,
        () => [],
        (row) => row,
      );
    const rows = await this.classes.listPage(this.viewer.companyId, filter, courseId ?? undefined, { after, limit: first + 1 });
    return toConnection(
      rows,
      first,
      (row) => row.key,
      (row) => row.node,
      (classes) => (courseId ? Promise.resolve(classes.map(() => true)) : Promise.all(classes.map((liveClass) => this.access.mayRead(liveClass.courseId)))),
    );
  }

  /**
   * The classes of each course as its JSON text, one statement per filter and shape (each course of a fetch asks
   * alike); a course whose text PostgreSQL could not write is read as rows, `leanColumns` as ofCourse reads them.
   */
  private jsonLoaderFor(filter: LiveClassFilter, shape: ClassJsonShape, leanColumns: number | null): DataLoader<string, LiveClassModel[] | RawJson> {
    const key = JSON.stringify([filter.status ?? null, filter.from ?? null, filter.to ?? null, shape.id]);
    let loader = this.jsonByCourse.get(key);
    if (!loader) {
      loader = new DataLoader(async (courseIds) => {
        const lists = new Map<string, string | null>();
        for (const row of await this.classes.listJsonOfCourses(this.viewer.companyId, courseIds, filter, shape)) lists.set(row.courseId, row.json);
        const unwritten = courseIds.filter((id) => lists.get(id) === null);
        const rows = unwritten.length > 0 ? await this.classes.listOfCourses(this.viewer.companyId, unwritten, filter, leanColumns) : [];
        return courseIds.map((id) => {
          const json = lists.get(id);
          return json === undefined ? [] : json === null ? rows.filter((row) => row.courseId === id) : new RawJson(json);
        });
      });
      this.jsonByCourse.set(key, loader);
    }
    return loader;
  }

  private loaderFor(filter: LiveClassFilter, leanColumns: number | null = null): DataLoader<string, LiveClassModel[]> {
    // Each course of an entity fetch asks with the same filter (its own copy of the arguments): the last loader is
    // found without building the key again.
    const last = this.lastLoader;
    if (last && last.leanColumns === leanColumns && sameFilter(last.filter, filter)) return last.loader;
    const key = JSON.stringify([filter.status ?? null, filter.from ?? null, filter.to ?? null, leanColumns]);
    let loader = this.classesByCourse.get(key);
    this.lastLoader = undefined;
    if (!loader) {
      loader = groupLoader(
        (courseIds) => this.classes.listOfCourses(this.viewer.companyId, courseIds, filter, leanColumns),
        (row) => row.courseId,
      );
      this.classesByCourse.set(key, loader);
    }
    this.lastLoader = { filter, leanColumns, loader };
    return loader;
  }
}

const sameTime = (a: Date | null | undefined, b: Date | null | undefined) => a === b || (!!a && !!b && a.getTime() === b.getTime());

/** Whether two filters name the same classes (statuses in the same order, as the loader's key would have them). */
function sameFilter(a: LiveClassFilter, b: LiveClassFilter): boolean {
  if (!sameTime(a.from, b.from) || !sameTime(a.to, b.to)) return false;
  if (a.status === b.status) return true;
  if (!a.status || !b.status || a.status.length !== b.status.length) return false;
  return a.status.every((status, index) => status === b.status![index]);
}
