/**
 * A course's live classes written as JSON text by PostgreSQL, for a plain
 * selection of columns (platform/database/json-list-text.ts says how, and
 * why byte for byte): the list in its order (`scheduled_at, id`).
 *
 * DateTime is the column scheduled_at_json, which holds the scalar's text
 * already, quotes included (migrations/scheduled-at-json.ts, a stored
 * generated column: formatting it per read was most of what these
 * statements cost PostgreSQL more than rows do; bench/README-results.md,
 * session 26). It is null for years outside 1 to 9999 (the scalar writes
 * years 0 to 9999): a course with such a class gets no text (null) and is
 * read the usual way.
 *
 * Fields not listed here (objects, enums, computed ones) are not plain
 * columns: a selection asking one is answered the usual way.
 */
import { JsonListWriter, type JsonFields, type JsonListShape } from '../../../platform/database/json-list-text.js';
import type { PlainField } from '../../../platform/graphql/plain-selection.js';

const FIELD_JSON: JsonFields = {
  __typename: { pieces: [{ text: '"LiveClass"' }] },
  id: { pieces: [{ text: '"' }, { sql: 'id::text' }, { text: '"' }] },
  title: { pieces: [{ sql: 'to_json(title)::text' }] },
  description: { pieces: [{ sql: `coalesce(to_json(description)::text, 'null')` }] },
  durationMinutes: { pieces: [{ sql: 'duration_minutes::text' }] },
  scheduledAt: { pieces: [{ sql: 'scheduled_at_json' }], guard: 'scheduled_at_json is not null' },
};

export type ClassJsonShape = JsonListShape;

const writer = new JsonListWriter(FIELD_JSON, 'scheduled_at, id');

/** The statement parts writing `fields`, or null when one of them is not a plain column (or too many shapes were seen). */
export function classJsonShape(fields: readonly PlainField[]): ClassJsonShape | null {
  return writer.shape(fields);
}
