/**
 * The stored JSON texts of events (start_json, end_json, title_json:
 * migrations/event-json-texts.ts) checked against what the DateTime scalar
 * and JSON.stringify write of each row's values, for every event of the
 * database: the course lists PostgreSQL writes copy them, so whatever wrote an
 * event (a mutation, a CalDAV pull, a domain event, a series split, raw SQL)
 * must have left them right. A time's: JSON.stringify(toISOString()) when it is
 * a whole millisecond in years 1 to 9999; `null` (the text) for no end; else
 * SQL null.
 */
import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';

/** The scalar's text of a time given as microseconds since the epoch, or null when the stored text must be null. */
function scalarText(micros: bigint): string | null {
  if (micros % 1000n !== 0n) return null;
  const date = new Date(Number(micros / 1000n));
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999 ? JSON.stringify(date.toISOString()) : null;
}

/** Checks every event's stored texts; returns how many events there are (a caller may expect some). */
export async function expectStoredJsonTexts(db: Kysely<any>): Promise<number> {
  // Microseconds as exact text (extract is numeric): no float rounding of far times.
  const { rows } = await sql<{ id: string; title: string; start: string; end: string | null; title_json: string; start_json: string | null; end_json: string | null }>`
    SELECT id, title, (extract(epoch FROM start_time) * 1000000)::numeric(30, 0)::text AS start,
      (extract(epoch FROM end_time) * 1000000)::numeric(30, 0)::text AS end, title_json, start_json, end_json
    FROM calendar.calendar_events`.execute(db);
  for (const row of rows) {
    const expected = { title: JSON.stringify(row.title), start: scalarText(BigInt(row.start)), end: row.end === null ? 'null' : scalarText(BigInt(row.end)) };
    expect({ id: row.id, title: row.title_json, start: row.start_json, end: row.end_json }).toEqual({ id: row.id, ...expected });
  }
  return rows.length;
}
