/** Calendar events, always within one company and, for reads, within what the viewer may see. */
import { sql, type Compilable, type ExpressionBuilder, type Kysely, type Selectable, type Transaction } from 'kysely';
import { isUuid } from '../../../platform/ids.js';
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { CalendarDatabase, CalendarEventsTable } from '../database.js';
import type { CalendarEventModel, EventTypeName } from '../models.js';
import { epochMillis, type EpochMillis } from '../../../platform/database/epoch-millis.js';
import { preparedQuery, type PreparedQuery } from '../../../platform/database/prepared-query.js';
import { visibilityForm, visibleTo, viewerOfForm } from './event-visibility.js';
import type { JsonListShape } from '../../../platform/database/json-list-text.js';
import { courseEventListSql } from './course-event-json.js';

export type CalendarDb = Kysely<CalendarDatabase> | Transaction<CalendarDatabase>;
export type EventRow = Selectable<CalendarEventsTable>;

export const uuidsOnly = (ids: readonly string[]) => ids.filter(isUuid);
/** The UID of an event made here, before a push stored it as its external_id. */
const OWN_UID = /^(.{36})@bheem$/;

export function toEvent(row: EventRow): CalendarEventModel {
  return {
    id: row.id,
    companyId: row.company_id,
    parentId: row.parent_id,
    recurrenceId: row.recurrence_id,
    title: row.title,
    description: row.description,
    location: row.location,
    start: row.start_time,
    end: row.end_time,
    allDay: row.all_day,
    timezone: row.timezone,
    recurrenceRule: row.recurrence_rule,
    exdates: row.exdates ?? [],
    rdates: row.rdates ?? [],
    seriesUntil: row.series_until,
    eventType: row.event_type as EventTypeName,
    sourceModule: row.source_module,
    entityType: row.entity_type,
    entityId: row.entity_id,
    courseId: row.course_id,
    organizerId: row.organizer_id,
    isCancelled: row.is_cancelled,
    externalId: row.external_id,
    lastSyncedAt: row.last_synced_at,
    metadata: row.metadata ?? {},
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sequence: row.sequence,
    completed: row.completed,
    reminderMinutes: row.reminder_minutes,
  };
}

/** Events of a company by id, in the caller's transaction (rows as stored, whatever their visibility). */
export async function eventsInCompany(db: CalendarDb, companyId: string, ids: readonly string[]): Promise<CalendarEventModel[]> {
  if (ids.length === 0) return [];
  return (
    await db
      .selectFrom('calendar.calendar_events')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('id', 'in', [...ids])
      .execute()
  ).map(toEvent);
}

type EventsScope = ExpressionBuilder<CalendarDatabase & { e: CalendarDatabase['calendar.calendar_events'] }, 'e'>;

/**
 * Series and single events that may have an occurrence in [from, to): a
 * coarse filter on the stored series bounds (expansion decides), plus series
 * with an override moved into the range.
 */
export function mayOccurIn(from: Date, to: Date) {
  return (eb: EventsScope) =>
    eb.or([
      eb.and([eb('e.start_time', '<', to), eb.or([eb('e.series_until', 'is', null), eb('e.series_until', '>=', from)])]),
      eb(
        'e.id',
        'in',
        eb
          .selectFrom('calendar.calendar_events as o')
          .select('o.parent_id')
          .where('o.parent_id', 'is not', null)
          .where('o.start_time', '<', to)
          .where(sql<boolean>`coalesce(o.end_time, o.start_time) >= ${from}`),
      ),
    ]);
}

/**
 * Events that may still occur at or after `from`. A single event (no rule, no
 * RDATE) must overlap it, as expansion decides (overlaps() in
 * expand-occurrences.ts; an all-day event without an end lasts a day, another
 * one is an instant):
 * past one-off events, most rows of a course, stay in the database. A series
 * is kept by its stored end (null: it repeats forever), and expansion decides.
 */
export function mayOccurFrom(from: Date) {
  return (eb: EventsScope) =>
    eb.or([
      eb.and([
        eb('e.recurrence_rule', 'is', null),
        sql<boolean>`cardinality(e.rdates) = 0`,
        eb.or([eb('e.start_time', '>=', from), sql<boolean>`coalesce(e.end_time, CASE WHEN e.all_day THEN e.start_time + interval '1 day' END) > ${from}`]),
      ]),
      eb.and([
        eb.or([eb('e.recurrence_rule', 'is not', null), sql<boolean>`cardinality(e.rdates) > 0`]),
        eb.or([eb('e.series_until', 'is', null), eb('e.series_until', '>=', from)]),
      ]),
    ]);
}

/**
 * Fields of CalendarEvent answered from LEAN_EVENT_COLUMNS alone: a course's
 * event list asking for no other (the course list, the course page) reads
 * those columns only, 16 of 31: of the metadata only its CLASS, no bookkeeping timestamps.
 */
export const LEAN_EVENT_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  'id',
  'title',
  'start',
  'end',
  'allDay',
  'timezone',
  'recurrenceRule',
  'exdates',
  'rdates',
  'eventType',
]);

/**
 * The lean columns under their model's names: the rows are the models (no copy into a model of 31 fields,
 * most undefined). Empty EXDATE and RDATE lists come back as NULL, which pg does not parse (findByCourses
 * puts [] in their place). The metadata's CLASS alone, as `metadata`, and then the organizer are what
 * CalendarEventService.shown needs to decide privacy as for whole rows; both NULL (no JSON to parse, no
 * string to decode) without a CLASS, where nothing reads the organizer. Lean reads are of series and single
 * events of the caller's company (their WHERE): the company, parent and RECURRENCE-ID are not read.
 */
const LEAN_EVENT_COLUMNS = [
  'e.id',
  'e.course_id as courseId',
  'e.title',
  epochMillis('e.start_time').as('start'),
  epochMillis('e.end_time').as('end'),
  'e.all_day as allDay',
  'e.timezone',
  'e.recurrence_rule as recurrenceRule',
  'e.event_type as eventType',
  sql<string | null>`CASE WHEN e.metadata ? 'class' THEN e.organizer_id END`.as('organizerId'),
  sql<Record<string, unknown> | null>`CASE WHEN e.metadata ? 'class' THEN jsonb_build_object('class', e.metadata -> 'class') END`.as('metadata'),
  sql<Date[] | null>`nullif(e.exdates, '{}')`.as('exdates'),
  sql<Date[] | null>`nullif(e.rdates, '{}')`.as('rdates'),
] as const;

interface SourceParams {
  companyId: string;
  userId: string;
  entityType: string;
  entityIds: readonly string[];
}

/** A course event as LEAN_EVENT_COLUMNS read it: `organizerId` only with a CLASS, no company, parent or RECURRENCE-ID. */
type LeanEventRow = Pick<CalendarEventModel, 'id' | 'courseId' | 'title' | 'allDay' | 'timezone' | 'recurrenceRule' | 'organizerId'> & {
  /** Read as milliseconds (epoch-millis.ts); leanModels makes Dates of a series' (the recurrence code reads Dates). */
  start: EpochMillis | Date;
  end: EpochMillis | Date | null;
  /** `{ class }` of an event with a CLASS, else null (classOf reads both). */
  metadata: Record<string, unknown> | null;
  /** An EventTypeName: the column's check constraint (toEvent casts it alike). */
  eventType: string;
  exdates: Date[] | null;
  rdates: Date[] | null;
};

/**
 * Lean rows as the models they are: they answer LEAN_EVENT_FIELDS only (the caller asked for no other). A single
 * event (no rule, no RDATE: nearly every course event) keeps `start` and `end` as milliseconds, which the DateTime
 * scalar writes and occurrenceCount reads without a Date (pg's parsing of each timestamp text, ~1 900 instructions,
 * is gone: 400 a course list); a series' become Dates, as expandOccurrences and the rest of the recurrence code
 * read them.
 */
function leanModels(rows: LeanEventRow[]): CalendarEventModel[] {
  for (const row of rows) {
    row.exdates ??= [];
    if (row.recurrenceRule || row.rdates) {
      row.start = new Date(row.start);
      if (row.end !== null) row.end = new Date(row.end);
    }
    row.rdates ??= [];
  }
  return rows as unknown as CalendarEventModel[];
}

/** A course's events as one JSON text (findJsonByCourses), and how many there are. */
export interface CourseEventsJson {
  courseId: string;
  json: string | null;
  count: number;
}

interface CourseParams {
  companyId: string;
  courseIds: readonly string[];
  from: Date;
  to: Date;
}

export class EventRepository {
  /** Events by source record, one prepared statement per form of the visibility predicate: whole rows, and lean ones. */
  private readonly bySource = new Map<string, PreparedQuery<SourceParams, EventRow>>();
  private readonly leanBySource = new Map<string, PreparedQuery<SourceParams, LeanEventRow & Pick<CalendarEventModel, 'entityId'>>>();
  /** Course events, by which of `from` (1) and `to` (2) bound them: whole rows, and lean ones (LEAN_EVENT_COLUMNS). */
  private readonly byCourses: PreparedQuery<CourseParams, EventRow>[];
  private readonly leanByCourses: PreparedQuery<CourseParams, LeanEventRow>[];

  /** The same, as each course's JSON text (findJsonByCourses), by form and shape. */
  private readonly jsonByCourses = new Map<string, PreparedQuery<CourseParams, CourseEventsJson>>();

  constructor(readonly db: Kysely<CalendarDatabase>) {
    this.byCourses = [0, 1, 2, 3].map((form) =>
      preparedQuery(db, `calendar_course_events_${form}`, (p: CourseParams) => this.ofCourses(form, p).selectAll('e').orderBy('e.start_time').orderBy('e.id')),
    );
    this.leanByCourses = [0, 1, 2, 3].map((form) =>
      preparedQuery(db, `calendar_course_events_lean_${form}`, (p: CourseParams) => this.ofCourses(form, p).select(LEAN_EVENT_COLUMNS).orderBy('e.start_time').orderBy('e.id')),
    );
  }

  /** A company's course events that a range of `form` keeps, not cancelled: the rows both course lists read. */
  private ofCourses(form: number, p: CourseParams) {
    let query = this.db
      .selectFrom('calendar.calendar_events as e')
      .where('e.company_id', '=', p.companyId)
      .where('e.parent_id', 'is', null)
      .where('e.is_cancelled', '=', false)
      .where('e.course_id', 'is not', null) // the partial index's predicate, provable in a generic plan
      .where('e.course_id', '=', sql<string>`any(${p.courseIds})`);
    if (form & 2) query = query.where('e.start_time', '<', p.to);
    if (form & 1) query = query.where(mayOccurFrom(p.from));
    return query;
  }

  private visible(viewer: Viewer) {
    return this.db.selectFrom('calendar.calendar_events as e').selectAll('e').where(visibleTo(viewer));
  }

  async findVisibleByIds(viewer: Viewer, ids: readonly string[]): Promise<CalendarEventModel[]> {
    const valid = uuidsOnly(ids);
    if (valid.length === 0) return [];
    return (await this.visible(viewer).where('e.id', 'in', valid).execute()).map(toEvent);
  }

  /** Visible, non-cancelled series and single events that may occur in [from, to). */
  async findVisibleInRange(viewer: Viewer, from: Date, to: Date, types?: readonly EventTypeName[] | null): Promise<CalendarEventModel[]> {
    let query = this.visible(viewer).where('e.parent_id', 'is', null).where('e.is_cancelled', '=', false).where(mayOccurIn(from, to));
    if (types && types.length > 0) query = query.where('e.event_type', 'in', [...types]);
    return (await query.orderBy('e.start_time').orderBy('e.id').execute()).map(toEvent);
  }

  /** RECURRENCE-ID overrides of many series, one statement. */
  async overridesOf(companyId: string, seriesIds: readonly string[], db: CalendarDb = this.db): Promise<CalendarEventModel[]> {
    if (seriesIds.length === 0) return [];
    const rows = await db
      .selectFrom('calendar.calendar_events as e')
      .selectAll('e')
      .where('e.company_id', '=', companyId)
      .where('e.parent_id', 'in', [...seriesIds])
      .orderBy('e.recurrence_id')
      .execute();
    return rows.map(toEvent);
  }

  /**
   * Events derived from other domains' records (a task's deadline, a live class), visible to the viewer.
   * `lean`: models answering LEAN_EVENT_FIELDS only.
   */
  async findVisibleBySource(viewer: Viewer, entityType: string, entityIds: readonly string[], lean = false): Promise<CalendarEventModel[]> {
    if (entityIds.length === 0) return [];
    const form = visibilityForm(viewer);
    const params = { companyId: viewer.companyId, userId: viewer.moodleUserId ?? '', entityType, entityIds };
    // The source record's id beside the lean columns: the caller's loader groups by it.
    if (lean)
      return leanModels(await this.sourceQuery(this.leanBySource, form, 'lean_', viewer, (query) => query.select([...LEAN_EVENT_COLUMNS, 'e.entity_id as entityId']))(params));
    return (await this.sourceQuery(this.bySource, form, '', viewer, (query) => query.selectAll('e'))(params)).map(toEvent);
  }

  private sourceQuery<Row>(
    queries: Map<string, PreparedQuery<SourceParams, Row>>,
    form: string,
    kind: string,
    viewer: Viewer,
    columns: (query: ReturnType<EventRepository['ofSources']>) => Compilable<Row>,
  ): PreparedQuery<SourceParams, Row> {
    let query = queries.get(form);
    if (!query) {
      query = preparedQuery(this.db, `calendar_events_by_source_${kind}${form}`, (p: SourceParams) => columns(this.ofSources(viewer, p)));
      queries.set(form, query);
    }
    return query;
  }

  /** Series and single events of source records (their columns left to the caller), as `viewer`'s form of the predicate lets see them. */
  private ofSources(viewer: Viewer, p: SourceParams) {
    return this.db
      .selectFrom('calendar.calendar_events as e')
      .where(visibleTo(viewerOfForm(viewer, p.companyId, p.userId)))
      .where('e.parent_id', 'is', null)
      .where('e.entity_type', '=', p.entityType)
      .where('e.entity_id', 'is not', null) // the partial index's predicate, provable in a generic plan
      .where('e.entity_id', '=', sql<string>`any(${p.entityIds})`)
      .orderBy('e.start_time');
  }

  /**
   * A company's course events (live classes), not cancelled; the caller has checked access to the course.
   * `lean`: models answering LEAN_EVENT_FIELDS only.
   */
  async findByCourses(companyId: string, courseIds: readonly string[], range?: { from?: Date | null; to?: Date | null }, lean = false): Promise<CalendarEventModel[]> {
    if (courseIds.length === 0) return [];
    const from = range?.from ?? null;
    const to = range?.to ?? null;
    const form = (from ? 1 : 0) + (to ? 2 : 0);
    const params = { companyId, courseIds, from: from!, to: to! };
    if (!lean) return (await this.byCourses[form]!(params)).map(toEvent);
    return leanModels(await this.leanByCourses[form]!(params));
  }

  /**
   * The same events as findByCourses (not for a range bounded by `to` alone), each course's list as the JSON text of
   * `shape` (course-event-json.ts) with its number of events, one row per course that has events; `json` null for a
   * course whose list must be read the usual way.
   */
  async findJsonByCourses(companyId: string, courseIds: readonly string[], range: { from?: Date | null; to?: Date | null }, shape: JsonListShape): Promise<CourseEventsJson[]> {
    if (courseIds.length === 0) return [];
    const from = range.from ?? null;
    const to = range.to ?? null;
    const form = (from ? 1 : 0) + (to ? 2 : 0);
    if (form === 2) throw new Error('findJsonByCourses: a range bounded by `to` alone is filtered in JavaScript (from the epoch)');
    const name = `calendar_course_events_json_${form}_${shape.id}`;
    let query = this.jsonByCourses.get(name);
    if (!query) {
      const list = courseEventListSql(shape, form === 3);
      query = preparedQuery(this.db, name, (p: CourseParams) =>
        this.ofCourses(form, p)
          // course_id is not null here (the WHERE).
          .select([sql<string>`e.course_id`.as('courseId'), sql<string | null>`${sql.raw(list)}`.as('json'), sql<number>`count(*)::int`.as('count')])
          .groupBy('e.course_id'),
      );
      this.jsonByCourses.set(name, query);
    }
    return query({ companyId, courseIds, from: from!, to: to! });
  }

  /** One visible event, locked for the rest of the transaction (writes re-read what they change). */
  async lockVisible(trx: CalendarDb, viewer: Viewer, id: string): Promise<CalendarEventModel | null> {
    if (uuidsOnly([id]).length === 0) return null;
    const row = await trx.selectFrom('calendar.calendar_events as e').selectAll('e').where(visibleTo(viewer)).where('e.id', '=', id).forUpdate().executeTakeFirst();
    return row ? toEvent(row) : null;
  }

  async overridesFor(trx: CalendarDb, companyId: string, seriesId: string): Promise<CalendarEventModel[]> {
    const rows = await trx.selectFrom('calendar.calendar_events').selectAll().where('company_id', '=', companyId).where('parent_id', '=', seriesId).execute();
    return rows.map(toEvent);
  }

  async deleteEvents(trx: CalendarDb, companyId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await trx
      .deleteFrom('calendar.calendar_events')
      .where('company_id', '=', companyId)
      .where('id', 'in', [...ids])
      .execute();
  }

  /** Moves overrides to another series, shifted in time with it by `shiftMs` (an edited occurrence keeps its place relative to the series). */
  async reparent(trx: CalendarDb, companyId: string, ids: readonly string[], parentId: string, shiftMs = 0): Promise<void> {
    if (ids.length === 0) return;
    await trx
      .updateTable('calendar.calendar_events')
      .set(() => {
        const shifted = (column: string) => sql<Date>`${sql.ref(column)} + make_interval(secs => ${shiftMs / 1000})`;
        return {
          parent_id: parentId,
          recurrence_id: shifted('recurrence_id'),
          start_time: shifted('start_time'),
          end_time: shifted('end_time'),
          series_until: shifted('series_until'),
          updated_at: new Date(),
        };
      })
      .where('company_id', '=', companyId)
      .where('id', 'in', [...ids])
      .execute();
  }

  /** Non-cancelled series and events of a company that some of the users organize or were invited to, and may occur in [from, to). */
  async findInvolving(companyId: string, userIds: readonly string[], from: Date, to: Date, excludedTypes: readonly string[]): Promise<CalendarEventModel[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('calendar.calendar_events as e')
      .selectAll('e')
      .where('e.company_id', '=', companyId)
      .where('e.parent_id', 'is', null)
      .where('e.is_cancelled', '=', false)
      .where('e.event_type', 'not in', [...excludedTypes])
      .where(mayOccurIn(from, to))
      .where((eb) =>
        eb.or([
          eb('e.organizer_id', 'in', [...userIds]),
          eb.exists(
            eb
              .selectFrom('calendar.event_participants as p')
              .select(sql.lit(1).as('one'))
              .whereRef('p.event_id', '=', 'e.id')
              .where('p.user_id', 'in', [...userIds]),
          ),
        ]),
      )
      .execute();
    return rows.map(toEvent);
  }

  /** A user's series and single events (organized or invited to), cancelled ones included: what syncs to their CalDAV calendar. */
  async findForUser(companyId: string, userId: string): Promise<CalendarEventModel[]> {
    const rows = await this.db
      .selectFrom('calendar.calendar_events as e')
      .selectAll('e')
      .where('e.company_id', '=', companyId)
      .where('e.parent_id', 'is', null)
      .where((eb) =>
        eb.or([
          eb('e.organizer_id', '=', userId),
          eb.exists(eb.selectFrom('calendar.event_participants as p').select(sql.lit(1).as('one')).whereRef('p.event_id', '=', 'e.id').where('p.user_id', '=', userId)),
        ]),
      )
      .orderBy('e.start_time')
      .execute();
    return rows.map(toEvent);
  }

  /** Events the viewer may see, by id, in the caller's transaction. */
  async findVisibleIn(db: CalendarDb, viewer: Viewer, ids: readonly string[]): Promise<CalendarEventModel[]> {
    const valid = uuidsOnly(ids);
    if (valid.length === 0) return [];
    return (await db.selectFrom('calendar.calendar_events as e').selectAll('e').where(visibleTo(viewer)).where('e.id', 'in', valid).execute()).map(toEvent);
  }

  /**
   * Series the viewer may see by the UIDs they carry, one statement. Should two
   * carry the same UID (a copy made by someone who could not see the first),
   * the oldest comes last, so that a map built from the list keeps it.
   */
  async findVisibleByExternalIds(db: CalendarDb, viewer: Viewer, externalIds: readonly string[]): Promise<CalendarEventModel[]> {
    if (externalIds.length === 0) return [];
    // An event made here carries `<id>@bheem` (caldav/icalendar.ts, uidOf) before its first push stores that as its
    // external_id: an app's copy of it (an admin's, from the feed) is that event, not a new one with its UID.
    const ownIds = uuidsOnly(externalIds.flatMap((uid) => OWN_UID.exec(uid)?.[1] ?? []));
    const rows = await db
      .selectFrom('calendar.calendar_events as e')
      .selectAll('e')
      .where(visibleTo(viewer))
      .where((eb) =>
        ownIds.length === 0
          ? eb('e.external_id', 'in', [...externalIds])
          : eb.or([eb('e.external_id', 'in', [...externalIds]), eb.and([eb('e.external_id', 'is', null), eb('e.id', 'in', ownIds)])]),
      )
      .where('e.parent_id', 'is', null)
      .orderBy('e.created_at', 'desc')
      .orderBy('e.id', 'desc')
      .execute();
    // Named by the UID they were found by, as callers key them.
    return rows.map(toEvent).map((event) => (event.externalId ? event : { ...event, externalId: `${event.id}@bheem` }));
  }
}
