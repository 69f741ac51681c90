/**
 * Reading the calendar: which events the caller may see (the SQL predicate in
 * event-visibility.ts), their occurrences, participants and the events linked
 * to other domains' entities. Per request; every lookup of one kind is batched
 * into one SQL statement by the loaders below.
 */
import DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { mayReadCourse } from '../../../platform/federation/course-access.js';
import { groupLoader, rowLoader } from '../../../platform/graphql/loaders.js';
import { asksOnly } from '../../../platform/graphql/selected-fields.js';
import type { CalendarEventModel, CourseReference, EventOccurrenceModel, EventParticipantModel, EventTypeName, ShownEvent } from '../models.js';
import { occurrenceCount } from '../recurrence/expand-occurrences.js';
import type { OccurrenceBudget } from '../recurrence/occurrence-limits.js';
import { occurrencesInRange, sortOccurrences } from '../recurrence/series-occurrences.js';
import { LEAN_EVENT_FIELDS, type EventRepository } from '../repositories/event-repository.js';
import type { OccurrenceResponse, OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import { requireRange } from './date-range.js';
import { classOf, WITHHELD_TITLE, withheldFrom } from './event-privacy.js';
import type { JsonListShape } from '../../../platform/database/json-list-text.js';
import type { PlainField } from '../../../platform/graphql/plain-selection.js';
import { RawJson } from '../../../platform/subgraph/raw-json.js';
import { courseEventJsonShape } from '../repositories/course-event-json.js';
import { pageRequest, toConnection, type Connection, type PageArgs } from '../../../platform/graphql/connection.js';

/** Whether the fields asked of events are answered by lean models (asksOnly keeps the answer per set). */
const onlyLeanFields = (fields: ReadonlySet<string>) => asksOnly(fields, LEAN_EVENT_FIELDS);

/** The same instant, or both absent alike (as the loaders' keys tell them apart). */
const sameTime = (a: Date | null | undefined, b: Date | null | undefined) => a === b || (!!a && !!b && a.getTime() === b.getTime());

export class CalendarEventService {
  private readonly eventById: DataLoader<string, CalendarEventModel | null>;
  private readonly overridesBySeries: DataLoader<string, CalendarEventModel[]>;
  private readonly participantsByEvent: DataLoader<string, EventParticipantModel[]>;
  private readonly responsesBySeries: DataLoader<string, OccurrenceResponse[]>;
  private readonly eventsByTask: DataLoader<string, CalendarEventModel[]>;
  private readonly eventsByLiveClass: DataLoader<string, CalendarEventModel[]>;
  /** The same, lean models (made on first use: only fetches asking no more than LEAN_EVENT_FIELDS of them). */
  private leanEventsByLiveClass: DataLoader<string, CalendarEventModel[]> | undefined;
  private readonly eventsByCourse = new Map<string, DataLoader<string, CalendarEventModel[]>>();
  /** The same lists as JSON text (courseJsonLoader), by range and shape. */
  private readonly courseJsonLists = new Map<string, DataLoader<string, CalendarEventModel[] | { json: RawJson; count: number }>>();
  private lastCourseEvents: { from: Date | null | undefined; to: Date | null | undefined; lean: boolean; loader: DataLoader<string, CalendarEventModel[]> } | undefined;

  constructor(
    private readonly viewer: Viewer,
    private readonly events: EventRepository,
    participants: ParticipantRepository,
    responses: OccurrenceResponseRepository,
    private readonly budget: OccurrenceBudget,
  ) {
    // Series ids come from events the viewer sees: the answers are of their company.
    this.responsesBySeries = groupLoader(
      (ids) => responses.ofSeries(ids),
      (row) => row.eventId,
    );
    this.eventById = rowLoader(
      (ids) => events.findVisibleByIds(viewer, ids),
      (event) => event.id,
    );
    this.overridesBySeries = groupLoader(
      (ids) => events.overridesOf(viewer.companyId, ids),
      (event) => event.parentId!,
    );
    this.participantsByEvent = groupLoader(
      (ids) => participants.ofEvents(viewer.companyId, ids),
      (row) => row.eventId,
    );
    this.eventsByTask = groupLoader(
      (ids) => events.findVisibleBySource(viewer, 'task', ids),
      (event) => event.entityId!,
    );
    this.eventsByLiveClass = groupLoader(
      (ids) => events.findVisibleBySource(viewer, 'live_class', ids),
      (event) => event.entityId!,
    );
  }

  /** An event the caller may see, or null (also for another company's events). */
  getEvent(id: string): Promise<ShownEvent | null> {
    return this.eventById.load(id).then((event) => event && this.shown(event));
  }

  /** An event the caller may see as it is now, bypassing this request's cache (a subscription's context lasts). */
  async getEventNow(id: string): Promise<CalendarEventModel | null> {
    return (await this.events.findVisibleByIds(this.viewer, [id]))[0] ?? null;
  }

  /** Occurrences of every visible, non-cancelled event in [from, to), sorted. */
  async listOccurrences(from: Date, to: Date, types?: readonly EventTypeName[] | null): Promise<EventOccurrenceModel[]> {
    return this.shownOccurrences(await this.rawOccurrences(from, to, types));
  }

  private async rawOccurrences(from: Date, to: Date, types: readonly EventTypeName[] | null | undefined): Promise<EventOccurrenceModel<CalendarEventModel>[]> {
    requireRange(from, to);
    this.budget.check();
    const series = await this.events.findVisibleInRange(this.viewer, from, to, types);
    for (const event of series) this.eventById.prime(event.id, event);
    const overrides = await this.overridesBySeries.loadMany(series.map((event) => event.id));
    const occurrences = series.flatMap((event, index) => {
      const own = overrides[index];
      return this.spent(occurrencesInRange(event, Array.isArray(own) ? own : [], from, to));
    });
    return sortOccurrences(occurrences);
  }

  /** Query.calendarEventsConnection: listOccurrences a page at a time, after a cursor's [start ms, event id]. */
  async occurrencesPage(from: Date, to: Date, types: readonly EventTypeName[] | null | undefined, args: PageArgs): Promise<Connection<EventOccurrenceModel>> {
    const { first, after } = pageRequest(args, ['number', 'string']);
    const all = await this.listOccurrences(from, to, types);
    const [at, id] = (after ?? []) as [number?, string?];
    // The list's own order (series-occurrences.ts): by start, then event id.
    const start = after ? all.findIndex((o) => o.start.getTime() > at! || (o.start.getTime() === at && o.event.id.localeCompare(id!) > 0)) : 0;
    const rows = start < 0 ? [] : all.slice(start, start + first + 1);
    return toConnection(
      rows,
      first,
      (o) => [o.start.getTime(), o.event.id],
      (o) => o,
    );
  }

  async occurrencesOf(event: ShownEvent, from: Date, to: Date): Promise<EventOccurrenceModel[]> {
    requireRange(from, to);
    this.budget.check();
    if (event.parentId) {
      // An edited occurrence stands for itself.
      const single = { ...event, recurrenceRule: null, rdates: [], exdates: [] };
      return occurrencesInRange(single, [], from, to).map((o) => ({ ...o, event: single, recurrenceId: event.recurrenceId }));
    }
    return this.shownOccurrences(this.spent(occurrencesInRange(event, await this.overridesBySeries.load(event.id), from, to)));
  }

  private spent<T>(occurrences: T[]): T[] {
    this.budget.spend(occurrences.length);
    return occurrences;
  }

  /** Participants belong to the series; an edited occurrence shows its series' participants. */
  participants(event: CalendarEventModel): Promise<EventParticipantModel[]> {
    return this.participantsByEvent.load(event.parentId ?? event.id);
  }

  /**
   * The event as this caller may see it: when it is private or confidential to someone else (event-privacy.ts),
   * a copy titled WITHHELD_TITLE, its other fields withheld by their resolvers (unlessWithheld). Every event handed
   * to GraphQL passes here (ShownEvent), so that `title` is a plain property: graphql-jit reads it inline instead
   * of calling a resolver for every event of a list. Synchronous for an event without a CLASS, nearly all of them.
   */
  shown(event: CalendarEventModel): ShownEvent | Promise<ShownEvent> {
    if (!classOf(event)) return event as ShownEvent;
    return this.participants(event).then((participants) => (withheldFrom(this.viewer, event, participants) ? { ...event, title: WITHHELD_TITLE } : event) as ShownEvent);
  }

  /** `shown` of each; the list itself when none has a CLASS. */
  shownAll(events: CalendarEventModel[]): ShownEvent[] | Promise<ShownEvent[]> {
    if (!events.some(classOf)) return events as ShownEvent[];
    return Promise.all(events.map((event) => this.shown(event)));
  }

  private shownOccurrences(occurrences: EventOccurrenceModel<CalendarEventModel>[]): EventOccurrenceModel[] | Promise<EventOccurrenceModel[]> {
    if (!occurrences.some((o) => classOf(o.event))) return occurrences as EventOccurrenceModel[];
    return Promise.all(occurrences.map(async (o) => ({ ...o, event: await this.shown(o.event) })));
  }

  /**
   * `shown()` for a caller who may see the event's details, `withheld` when it is private or confidential to
   * someone else (event-privacy.ts). Synchronous for an event without a CLASS, nearly all of them: a field
   * resolver returning a promise for every event of a list would cost each list its promise jobs.
   */
  unlessWithheld<T>(event: CalendarEventModel, shown: () => T | Promise<T>, withheld: T): T | Promise<T> {
    if (!classOf(event)) return shown();
    return this.participants(event).then((participants) => (withheldFrom(this.viewer, event, participants) ? withheld : shown()));
  }

  /** Participants of one occurrence, each with their answer for it. */
  async occurrenceParticipants(occurrence: EventOccurrenceModel): Promise<EventParticipantModel[]> {
    const seriesId = occurrence.event.parentId ?? occurrence.event.id;
    const [participants, responses] = await Promise.all([this.participantsByEvent.load(seriesId), occurrence.recurrenceId ? this.responsesBySeries.load(seriesId) : []]);
    const at = occurrence.recurrenceId?.getTime();
    const answers = new Map(responses.filter((r) => r.recurrenceId.getTime() === at).map((r) => [r.userId, r.status]));
    return participants.map((p) => (p.userId && answers.has(p.userId) ? { ...p, status: answers.get(p.userId)! } : p));
  }

  async eventsOfTask(taskId: string): Promise<ShownEvent[]> {
    return this.shownAll(await this.eventsByTask.load(taskId));
  }

  /** `fields`: those asked of the event; when all are LEAN_EVENT_FIELDS, only their columns are read (the course page's classes). */
  async eventOfLiveClass(liveClassId: string, fields?: ReadonlySet<string>): Promise<ShownEvent | null> {
    const loader = fields && onlyLeanFields(fields) ? this.leanLiveClassEvents() : this.eventsByLiveClass;
    const event = (await loader.load(liveClassId))[0];
    return event ? this.shown(event) : null;
  }

  private leanLiveClassEvents(): DataLoader<string, CalendarEventModel[]> {
    this.leanEventsByLiveClass ??= groupLoader(
      (ids) => this.events.findVisibleBySource(this.viewer, 'live_class', ids, true),
      (event) => event.entityId!,
    );
    return this.leanEventsByLiveClass;
  }

  /**
   * A course's events for company admins and the course's participants (checked by academy through `viewerRole`).
   * `fields`: those asked of each event; when all are LEAN_EVENT_FIELDS, only their columns are read.
   * `plain`: the selection, given when the request may be answered raw JSON (raw-json.ts): when PostgreSQL can write
   * it (course-event-json.ts), the same events come as the list's JSON text, no rows built; a course whose events
   * would be changed or dropped here (privacy, a series' occurrences) comes as rows, as before.
   */
  async eventsOfCourse(
    course: CourseReference,
    from?: Date | null,
    to?: Date | null,
    fields?: ReadonlySet<string>,
    plain?: readonly PlainField[] | null,
  ): Promise<ShownEvent[] | RawJson> {
    if (!mayReadCourse(this.viewer, course)) return [];
    if (from && to) requireRange(from, to);
    // A range bounded by `to` alone is filtered from the epoch below: not written by PostgreSQL.
    const shape = plain && !(to && !from) ? courseEventJsonShape(plain) : null;
    let events: CalendarEventModel[];
    if (shape) {
      const list = await this.courseJsonLoader(from, to, shape).load(course.id);
      if (!Array.isArray(list)) {
        // Every one of its events has one occurrence in the range: spent as occurrenceCount would have.
        if (to) {
          this.budget.check();
          this.budget.spend(list.count);
        }
        return list.json;
      }
      events = list;
    } else events = await this.courseEventsLoader(from, to, !!fields && onlyLeanFields(fields)).load(course.id);
    if (!to) return this.shownAll(events);
    // The SQL filter is coarse for series: keep those with an occurrence in the range (the list itself when all have).
    const start = from ?? new Date(0);
    this.budget.check();
    let kept: CalendarEventModel[] | undefined;
    for (let index = 0; index < events.length; index++) {
      const event = events[index]!;
      const count = occurrenceCount(event, start, to);
      this.budget.spend(count);
      if (count === 0) kept ??= events.slice(0, index);
      else kept?.push(event);
    }
    return this.shownAll(kept ?? events);
  }

  /**
   * Each course's events as its JSON text and count, one statement per range and shape (each course of a fetch asks
   * alike); a course whose list PostgreSQL did not write is read as lean rows (the shape's fields are lean ones).
   */
  private courseJsonLoader(
    from: Date | null | undefined,
    to: Date | null | undefined,
    shape: JsonListShape,
  ): DataLoader<string, CalendarEventModel[] | { json: RawJson; count: number }> {
    const key = `${from?.getTime() ?? ''}/${to?.getTime() ?? ''}/${shape.id}`;
    let loader = this.courseJsonLists.get(key);
    if (!loader) {
      loader = new DataLoader(async (courseIds) => {
        const lists = new Map<string, { json: string | null; count: number }>();
        for (const row of await this.events.findJsonByCourses(this.viewer.companyId, courseIds, { from, to }, shape)) lists.set(row.courseId, row);
        const unwritten = courseIds.filter((id) => lists.get(id)?.json === null);
        const rows = unwritten.length > 0 ? await this.events.findByCourses(this.viewer.companyId, unwritten, { from, to }, true) : [];
        return courseIds.map((id) => {
          const list = lists.get(id);
          if (list === undefined) return [];
          return list.json === null ? rows.filter((row) => row.courseId === id) : { json: new RawJson(list.json), count: list.count };
        });
      });
      this.courseJsonLists.set(key, loader);
    }
    return loader;
  }

  /** The loader of courses' events for one range and column set; the courses of a fetch ask alike, so the last one is kept at hand. */
  private courseEventsLoader(from: Date | null | undefined, to: Date | null | undefined, lean: boolean): DataLoader<string, CalendarEventModel[]> {
    const last = this.lastCourseEvents;
    if (last && last.lean === lean && sameTime(last.from, from) && sameTime(last.to, to)) return last.loader;
    const key = `${from?.getTime() ?? ''}/${to?.getTime() ?? ''}/${lean}`;
    let loader = this.eventsByCourse.get(key);
    if (!loader) {
      loader = groupLoader(
        (ids) => this.events.findByCourses(this.viewer.companyId, ids, { from, to }, lean),
        (event) => event.courseId!,
      );
      this.eventsByCourse.set(key, loader);
    }
    this.lastCourseEvents = { from, to, lean, loader };
    return loader;
  }
}
