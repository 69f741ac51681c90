/**
 * A course's teachers (Course.teachers) written as JSON text by PostgreSQL,
 * for a plain selection of the User fields that are the row's own
 * (platform/database/json-list-text.ts says how, and why byte for byte), in
 * the participants' order (`lastname, firstname, id`). The rows are
 * participantsQuery's, over the alias `TEACHER_ROWS`.
 *
 * `fullName` is UserService.fullName: first and last name joined by a space
 * and trimmed as String.prototype.trim trims (JavaScript's white space and
 * line terminators, which PostgreSQL's default trim, spaces only, is not),
 * else the username. `email` depends on the caller: not written here. A
 * null name (Moodle's columns are NOT NULL, but the tables are Moodle's)
 * makes the list's text null, and the caller reads rows.
 */
import { JsonListWriter, type JsonFields, type JsonListShape } from '../../../platform/database/json-list-text.js';
import type { PlainField } from '../../../platform/graphql/plain-selection.js';

/** The alias of the teachers' rows (participantsQuery's columns) in the statement writing them. */
export const TEACHER_ROWS = 't';

/** What String.prototype.trim removes (ECMAScript's WhiteSpace and LineTerminator), as a PostgreSQL E'' literal. */
const JS_WHITE_SPACE =
  "E'\\u0009\\u000A\\u000B\\u000C\\u000D\\u0020\\u00A0\\u1680\\u2000\\u2001\\u2002\\u2003\\u2004\\u2005\\u2006\\u2007\\u2008\\u2009\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF'";

const t = TEACHER_ROWS;
const trimmedName = `btrim(${t}.firstname || ' ' || ${t}.lastname, ${JS_WHITE_SPACE})`;

const TEACHER_FIELDS = {
  __typename: { pieces: [{ text: '"User"' }] },
  id: { pieces: [{ text: '"' }, { sql: `${t}.id::text` }, { text: '"' }] },
  username: { pieces: [{ sql: `to_json(${t}.username)::text` }], guard: `${t}.username is not null` },
  fullName: {
    pieces: [{ sql: `to_json(case when ${trimmedName} <> '' then ${trimmedName} else ${t}.username end)::text` }],
    guard: `${t}.firstname is not null and ${t}.lastname is not null and ${t}.username is not null`,
  },
} satisfies JsonFields;

const writer = new JsonListWriter(TEACHER_FIELDS, `${t}.lastname, ${t}.firstname, ${t}.id`);

/** The statement part writing a teachers list of `fields`, or null when a field is not plain here. */
export function teacherJsonShape(fields: readonly PlainField[]): JsonListShape | null {
  return writer.shape(fields);
}
