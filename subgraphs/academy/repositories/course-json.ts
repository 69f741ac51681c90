/**
 * A list of courses (Query.courses, Query.myCourses) written as JSON text by
 * PostgreSQL, for a plain selection of scalar fields
 * (platform/database/json-list-text.ts says how, and why byte for byte), in
 * the list's order (`c.sortorder, c.id`).
 *
 * The rows are the list statement's own (course-repository.ts: the company's
 * courses, the same visibility forms), so who sees which course is decided
 * by the same WHERE. `viewerRole` is the caller's role as rolesOfUser reads
 * it (enrolment-repository.ts: `rolesOfUserQuery`, joined by course), or
 * null for every course when the caller names no Moodle user (the resolver
 * asks nothing then): two writers, one per case.
 *
 * What toCourse and the scalars would change or refuse is left to them: a
 * null shortname or fullname (non-null fields: an error), a start or end
 * date the DateTime scalar cannot write (years past 9999) make the list's
 * text null, and the caller reads rows. Moodle's 0 (or less) for "not set"
 * is null, as fromUnixSeconds reads it.
 */
import { dateTimeJson, JsonListWriter, type JsonField, type JsonFields, type JsonListShape } from '../../../platform/database/json-list-text.js';
import type { PlainField } from '../../../platform/graphql/plain-selection.js';

/** The first second of year 10000: the DateTime scalar writes instants before it. */
const YEAR_10000 = 253402300800;

/**
 * Moodle's unix seconds as the scalar writes the Date fromUnixSeconds makes of them. The CASE keeps to_timestamp
 * from seconds it would refuse (an error would fail the statement, not only the list): those rows fail the guard.
 */
function unixSecondsJson(column: string): JsonField {
  const text = dateTimeJson(`to_timestamp(${column})`).pieces[0] as { sql: string };
  return {
    pieces: [{ sql: `case when ${column} <= 0 then 'null' when ${column} < ${YEAR_10000} then ${text.sql} end` }],
    guard: `${column} < ${YEAR_10000}`,
  };
}

const COURSE_FIELDS = {
  __typename: { pieces: [{ text: '"Course"' }] },
  id: { pieces: [{ text: '"' }, { sql: 'c.id::text' }, { text: '"' }] },
  shortname: { pieces: [{ sql: 'to_json(c.shortname)::text' }], guard: 'c.shortname is not null' },
  fullname: { pieces: [{ sql: 'to_json(c.fullname)::text' }], guard: 'c.fullname is not null' },
  summary: { pieces: [{ sql: `coalesce(to_json(c.summary)::text, 'null')` }] },
  startDate: unixSecondsJson('c.startdate'),
  endDate: unixSecondsJson('c.enddate'),
} satisfies JsonFields;

/** The alias of the caller's roles by course (`course_id`, `role`) in the list statement. */
export const VIEWER_ROLES = 'vr';

const ORDER = 'c.sortorder, c.id';
const withRoles = new JsonListWriter({ ...COURSE_FIELDS, viewerRole: { pieces: [{ sql: `coalesce('"' || ${VIEWER_ROLES}.role || '"', 'null')` }] } }, ORDER);
const withoutRoles = new JsonListWriter({ ...COURSE_FIELDS, viewerRole: { pieces: [{ text: 'null' }] } }, ORDER);

export interface CourseJsonShape {
  shape: JsonListShape;
  /** Whether the statement joins the caller's roles (`VIEWER_ROLES`): viewerRole asked of a caller with a Moodle user. */
  roles: boolean;
  /** Names the shape among the statements (its writer and number). */
  name: string;
}

const known = new WeakMap<JsonListShape, CourseJsonShape>();

/** The statement parts writing `fields` for a caller with or without a Moodle user, or null when a field is not plain here. */
export function courseJsonShape(fields: readonly PlainField[], moodleUser: boolean): CourseJsonShape | null {
  const shape = (moodleUser ? withRoles : withoutRoles).shape(fields);
  if (!shape) return null;
  let found = known.get(shape);
  if (!found) {
    const roles = moodleUser && fields.some(({ field }) => field === 'viewerRole');
    found = { shape, roles, name: `${moodleUser ? 'u' : 'n'}${shape.id}` };
    known.set(shape, found);
  }
  return found;
}
