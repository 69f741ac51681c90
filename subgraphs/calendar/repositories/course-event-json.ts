/**
 * A course's events written as JSON text by PostgreSQL, for a plain selection
 * of columns (platform/database/json-list-text.ts says how, and why byte for
 * byte), in the list's order (`start_time, id`).
 *
 * `title`, `start` and `end` are the columns title_json, start_json and
 * end_json, which hold their JSON text already, quotes included
 * (migrations/event-json-texts.ts, stored generated columns: formatting them
 * per read was most of what these statements cost PostgreSQL more than rows
 * do; bench/README-results.md, session 28). Such a text is null when it is not exactly the time (outside
 * years 1 to 9999, or not a whole millisecond): a course with such an event
 * gets no text when the time is asked or a range is, and is read as rows.
 *
 * Only lists whose answer is the rows as read may be so written: a course
 * with an event that CalendarEventService would change or drop after reading
 * gets no text (null) and is read the usual way, so that its checks stay
 * where they are. `COURSE_LIST_GUARDS`: no CLASS in its metadata (privacy
 * decides per viewer then, event-privacy.ts); with a range, a single event
 * (no rule, no RDATE: a series' occurrences are expansion's to count) whose
 * times are whole milliseconds (their stored texts not null) and which is not
 * an all-day event without an end: for those, the statement's range filter
 * (mayOccurFrom, start < to) keeps exactly the events occurrenceCount keeps.
 */
import { guardedList, JsonListWriter, type JsonFields, type JsonListShape } from '../../../platform/database/json-list-text.js';
import type { PlainField } from '../../../platform/graphql/plain-selection.js';

const STORED_START = 'e.start_json is not null';
const STORED_END = 'e.end_json is not null';

const FIELD_JSON: JsonFields = {
  __typename: { pieces: [{ text: '"CalendarEvent"' }] },
  id: { pieces: [{ text: '"' }, { sql: 'e.id::text' }, { text: '"' }] },
  title: { pieces: [{ sql: 'e.title_json' }] },
  start: { pieces: [{ sql: 'e.start_json' }], guard: STORED_START },
  end: { pieces: [{ sql: 'e.end_json' }], guard: STORED_END },
  allDay: { pieces: [{ sql: 'e.all_day::text' }] },
  timezone: { pieces: [{ sql: 'to_json(e.timezone)::text' }] },
  // The column's check constraint holds the enum's names.
  eventType: { pieces: [{ text: '"' }, { sql: 'e.event_type' }, { text: '"' }] },
};

const NO_CLASS = `not (e.metadata ? 'class')`;
const SINGLE_WHOLE_MILLIS = [
  `e.recurrence_rule is null and cardinality(e.rdates) = 0`,
  // Whole milliseconds (and years 1 to 9999), as the stored texts say: no date_trunc per row.
  STORED_START,
  STORED_END,
  `(e.end_time is not null or not e.all_day)`,
];

/** What the statement adds to a list's guards, by whether a range (`to`) is asked. */
export const COURSE_LIST_GUARDS = { ranged: [NO_CLASS, ...SINGLE_WHOLE_MILLIS], unranged: [NO_CLASS] } as const;

const writer = new JsonListWriter(FIELD_JSON, 'e.start_time, e.id');

/** The statement parts writing `fields`, or null when one of them is not a plain column (or too many shapes were seen). */
export function courseEventJsonShape(fields: readonly PlainField[]): JsonListShape | null {
  return writer.shape(fields);
}

/** The list text of `shape` for a course's rows, null when one of them must be read the usual way. */
export function courseEventListSql(shape: JsonListShape, ranged: boolean): string {
  return guardedList(shape, ranged ? COURSE_LIST_GUARDS.ranged : COURSE_LIST_GUARDS.unranged);
}
