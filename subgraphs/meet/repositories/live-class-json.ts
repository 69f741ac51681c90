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
 *   no lone surrogate); ids (uuids) need no escape and are quoted as they are;
 * - a null as `null`; integers as their text;
 * - DateTime as the scalar writes it (toISOString's text: milliseconds, `Z`):
 *   the column scheduled_at_json, which holds that text already, quotes
 *   included (migrations/scheduled-at-json.ts, a stored generated column:
 *   formatting it per read was most of what these statements cost
 *   PostgreSQL more than rows do; bench/README-results.md, session 26).
 *   It is null for years outside 1 to 9999 (the scalar writes years 0 to
 *   9999): a course with such a class gets no text (null) and is read the
 *   usual way.
 *
 * Fields not listed here (objects, enums, computed ones) are not plain
 * columns: a selection asking one is answered the usual way.
 */
import type { PlainField } from '../../../platform/graphql/plain-selection.js';

/** A piece of a field's JSON text: literal text, or an SQL expression over a live_classes row. */
type Piece = { text: string } | { sql: string };

/** Each plain field's JSON text, in pieces (adjacent literal text is joined: each `||` costs PostgreSQL a copy). */
const FIELD_JSON: Readonly<Record<string, readonly Piece[]>> = {
  __typename: [{ text: '"LiveClass"' }],
  id: [{ text: '"' }, { sql: 'id::text' }, { text: '"' }],
  title: [{ sql: 'to_json(title)::text' }],
  description: [{ sql: `coalesce(to_json(description)::text, 'null')` }],
  durationMinutes: [{ sql: 'duration_minutes::text' }],
  scheduledAt: [{ sql: 'scheduled_at_json' }],
};

/** Every class's time has its text (years 1 to 9999). */
const WRITABLE_TIMES = 'scheduled_at_json is not null';

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
  const pieces: Piece[] = [];
  for (const { key, field } of fields) {
    const json = FIELD_JSON[field];
    // A response key is a GraphQL name (the parser saw to it): no quote or backslash to escape in either language.
    if (json === undefined || !/^[_A-Za-z][_0-9A-Za-z]*$/.test(key)) return null;
    pieces.push({ text: `${pieces.length === 0 ? '{' : ','}"${key}":` }, ...json);
  }
  pieces.push({ text: '}' });
  const item = joined(pieces);
  const list = `'[' || string_agg(${item}, ',' order by scheduled_at, id) || ']'`;
  const checksTime = fields.some(({ field }) => field === 'scheduledAt');
  return { id, listSql: checksTime ? `case when bool_and(${WRITABLE_TIMES}) then ${list} end` : list };
}

/** The pieces as one SQL text expression, adjacent literal text joined, literals quoted (no quote in them but keys'). */
function joined(pieces: readonly Piece[]): string {
  const terms: string[] = [];
  let text = '';
  for (const piece of pieces) {
    if ('text' in piece) text += piece.text;
    else {
      if (text) terms.push(`'${text.replaceAll("'", "''")}'`);
      text = '';
      terms.push(piece.sql);
    }
  }
  if (text) terms.push(`'${text.replaceAll("'", "''")}'`);
  return terms.join(' || ');
}
