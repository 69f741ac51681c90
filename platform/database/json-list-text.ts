/**
 * A list of rows written as JSON text by PostgreSQL, for a plain selection
 * (platform/graphql/plain-selection.ts): each row as `{"key":value,...}` in
 * the selection's order, the list as `[...]`, exactly the bytes graphql-jit's
 * completion and JSON.stringify would write (raw-json.ts splices the text
 * in). Each subgraph says how each of its plain fields is written
 * (`JsonFields`); this builds and keeps one statement part per selection.
 *
 * - strings by `to_json`, whose escapes are JSON.stringify's (`\"`, `\\`,
 *   `\b \f \n \r \t`, `\u00XX` in lower case for the other control
 *   characters, everything else as it is; PostgreSQL's text holds no NUL and
 *   no lone surrogate); uuids need no escape and are quoted as they are;
 * - a null as `null`; integers and booleans as their text;
 * - DateTime as the scalar writes it (`dateTimeJson`).
 *
 * A field may carry a guard, a condition each row must meet for its text to
 * be right; the list's text is then null when one row fails it, and the
 * caller reads that list the usual way.
 */
import type { PlainField } from '../graphql/plain-selection.js';

/** A piece of a field's JSON text: literal text, or an SQL expression over a row. */
export type JsonPiece = { text: string } | { sql: string };

export interface JsonField {
  pieces: readonly JsonPiece[];
  /** A condition on the row under which `pieces` write what the field's completion writes. */
  guard?: string;
}

export type JsonFields = Readonly<Record<string, JsonField>>;

/**
 * DateTime as the scalar writes it (toISOString's text: milliseconds, `Z`): to_json of the UTC time floored to the
 * millisecond (date_trunc, towards the past before 1970 too, as lean rows read it) plus 100 µs, so that its
 * fraction is always four digits ending in 1 (to_json drops trailing zeros), that 1 then replaced by `Z`: cheaper
 * than to_char, which formats by snprintf (bench/README-results.md, session 26). The scalar writes years 0 to 9999,
 * to_json four digits for years 1 to 9999 only: the guard.
 */
export function dateTimeJson(column: string, nullable = false): JsonField {
  const text = `replace(to_json(date_trunc('milliseconds', ${column} at time zone 'UTC') + interval '100 microseconds')::text, '1"', 'Z"')`;
  const writable = `${column} >= '0001-01-01 00:00:00+00' and ${column} < '10000-01-01 00:00:00+00'`;
  return {
    pieces: [{ sql: nullable ? `coalesce(${text}, 'null')` : text }],
    guard: nullable ? `(${column} is null or ${writable})` : writable,
  };
}

/** A selection's statement parts, with the number naming its prepared statements. */
export interface JsonListShape {
  id: number;
  /** The list's text of a group of rows, an aggregate; null when a row fails a field's guard. */
  listSql: string;
  /** The fields' guards, for a caller adding its own (`guardedList`). */
  guards: readonly string[];
  /** The list's text without any guard. */
  unguardedSql: string;
}

/** `shape`'s list text, null unless every row meets the fields' guards and `more`. */
export function guardedList(shape: JsonListShape, more: readonly string[] = []): string {
  // A caller's guard may be a field's too (a stored text's `is not null`): each is tested once.
  const guards = [...new Set([...shape.guards, ...more])];
  return guards.length === 0 ? shape.unguardedSql : `case when bool_and(${guards.map((guard) => `(${guard})`).join(' and ')}) then ${shape.unguardedSql} end`;
}

/** Distinct selections get a statement each; the gateway sends a few texts, and past this many the usual path serves. */
const MAX_SHAPES = 32;

/** The shapes of one kind of list: `fields` writable, in `orderBy`'s order (an SQL ORDER BY list). */
export class JsonListWriter {
  private readonly shapes = new Map<string, JsonListShape | null>();

  constructor(
    private readonly fields: JsonFields,
    private readonly orderBy: string,
  ) {}

  /** The statement parts writing `selection`, or null when a field is not writable here (or too many shapes were seen). */
  shape(selection: readonly PlainField[]): JsonListShape | null {
    const signature = selection.map(({ key, field }) => `${key}:${field}`).join(',');
    const known = this.shapes.get(signature);
    if (known !== undefined) return known;
    if (this.shapes.size >= MAX_SHAPES) return null;
    const shape = this.build(selection, this.shapes.size);
    this.shapes.set(signature, shape);
    return shape;
  }

  private build(selection: readonly PlainField[], id: number): JsonListShape | null {
    const pieces: JsonPiece[] = [];
    const guards: string[] = [];
    for (const { key, field } of selection) {
      const json = this.fields[field];
      // A response key is a GraphQL name (the parser saw to it): no quote or backslash to escape in either language.
      if (json === undefined || !/^[_A-Za-z][_0-9A-Za-z]*$/.test(key)) return null;
      pieces.push({ text: `${pieces.length === 0 ? '{' : ','}"${key}":` }, ...json.pieces);
      if (json.guard && !guards.includes(json.guard)) guards.push(json.guard);
    }
    pieces.push({ text: '}' });
    const unguardedSql = `'[' || string_agg(${joined(pieces)}, ',' order by ${this.orderBy}) || ']'`;
    const shape = { id, guards, unguardedSql, listSql: '' };
    shape.listSql = guardedList(shape);
    return shape;
  }
}

/** The pieces as one SQL text expression, adjacent literal text joined (each `||` costs PostgreSQL a copy), literals quoted. */
function joined(pieces: readonly JsonPiece[]): string {
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
