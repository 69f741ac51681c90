/**
 * A course's live classes written as JSON text by PostgreSQL, for a plain
 * selection of columns (platform/graphql/plain-selection.ts): each class as
 * `{"key":value,...}` in the selection's order, the list as `[...]`, exactly
 * the bytes the subgraph's answer would hold had graphql-jit completed the
 * rows and JSON.stringify written them (raw-json.ts splices the text in):
 *
 * - strings by `to_json`, whose escapes are JSON.stringify's (`\"`, `\\`,
 *   `\b \f \n \r \t`, `\u00XX` in lower case for the other control
 *   characters, everything else as it is; PostgreSQL's text holds no NUL and
 *   no lone surrogate);
 * - a null as `null`; integers as their text;
 * - DateTime as the scalar writes it (toISOString's text: milliseconds, `Z`),
 *   the microseconds floored as date_trunc does for the lean rows (to_char's
 *   `MS` reads the second's fraction, never negative). The scalar writes years
 *   0 to 9999, PostgreSQL's `YYYY` from 1 AD: a course with a class outside
 *   years 1 to 9999 gets no text (null) and is read the usual way.
 *
 * Fields not listed here (objects, enums, computed ones) are not plain
 * columns: a selection asking one is answered the usual way.
 */
import type { PlainField } from '../../../platform/graphql/plain-selection.js';

/** Each plain field's JSON text, as an SQL expression over a live_classes row. */
const FIELD_JSON: Readonly<Record<string, string>> = {
  __typename: `'"LiveClass"'`,
  id: 'to_json(id)::text',
  title: 'to_json(title)::text',
  description: `coalesce(to_json(description)::text, 'null')`,
  durationMinutes: 'duration_minutes::text',
  scheduledAt: `'"' || to_char(scheduled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'`,
};

/** Years the DateTime text above writes as the scalar does. */
const WRITABLE_TIMES = `scheduled_at >= '0001-01-01 00:00:00+00' and scheduled_at < '10000-01-01 00:00:00+00'`;

/** A selection's statement parts, with the number naming its prepared statements. */
export interface ClassJsonShape {
  id: number;
  /** The list's text per course, an aggregate over the course's rows; null when one of its times cannot be written. */
  listSql: string;
}

/** Distinct selections get a statement each; the gateway sends a few texts, and past this many the usual path serves. */
const MAX_SHAPES = 32;
const shapes = new Map<string, ClassJsonShape | null>();

/** The statement parts writing `fields`, or null when one of them is not a plain column (or too many shapes were seen). */
export function classJsonShape(fields: readonly PlainField[]): ClassJsonShape | null {
  const signature = fields.map(({ key, field }) => `${key}:${field}`).join(',');
  const known = shapes.get(signature);
  if (known !== undefined) return known;
  if (shapes.size >= MAX_SHAPES) return null;
  const shape = build(fields, shapes.size);
  shapes.set(signature, shape);
  return shape;
}

function build(fields: readonly PlainField[], id: number): ClassJsonShape | null {
  const parts: string[] = [];
  for (const { key, field } of fields) {
    const json = FIELD_JSON[field];
    // A response key is a GraphQL name (the parser saw to it): no quote or backslash to escape in either language.
    if (json === undefined || !/^[_A-Za-z][_0-9A-Za-z]*$/.test(key)) return null;
    parts.push(`'${parts.length === 0 ? '{' : ','}"${key}":' || ${json}`);
  }
  const item = `${parts.join(' || ')} || '}'`;
  const list = `'[' || string_agg(${item}, ',' order by scheduled_at, id) || ']'`;
  const checksTime = fields.some(({ field }) => field === 'scheduledAt');
  return { id, listSql: checksTime ? `case when bool_and(${WRITABLE_TIMES}) then ${list} end` : list };
}
