/**
 * `calendar_events.start_json` and `end_json`: start_time and end_time as the
 * JSON text the DateTime scalar writes (toISOString's: milliseconds, `Z`, in
 * quotes), and `title_json`, the title as JSON.stringify writes it, for the
 * course lists PostgreSQL writes
 * (repositories/course-event-json.ts): copying a stored text costs
 * PostgreSQL far less than formatting it per row per read (bench/
 * README-results.md, sessions 26 and 28). meet's scheduled_at_json is the
 * same idea (meet/migrations/scheduled-at-json.ts).
 *
 * A time's text is null when it is not exactly the time: outside years 1 to
 * 9999 (the scalar writes years 0 to 9999, to_json four digits for 1 to 9999
 * only), or not a whole millisecond (the scalar floors; a ranged list must
 * then be read as rows anyway, as occurrenceCount compares milliseconds where
 * SQL compares microseconds). A null text means "read this course as rows",
 * so a null end_time is the text `null`, as the scalar's field writes it.
 *
 * Stored generated columns: every insert and every update of the times (the
 * mutations, CalDAV pulls, domain events' upserts, recurrence edits, raw SQL)
 * recomputes them, and adding them fills the existing rows. The function must
 * be IMMUTABLE, and is, though to_json and date_trunc of a timestamptz are
 * declared STABLE: the time is taken at 'UTC' explicitly (a timestamp without
 * time zone, never the session's TimeZone), and to_json of one always writes
 * ISO 8601 (XSD form) whatever DateStyle; IntervalStyle governs only an
 * interval's output. The body is SQL-standard (BEGIN ATOMIC), parsed once at
 * creation: its literals and functions are bound then, not under a caller's
 * settings or search_path.
 *
 * title_json is to_json of the title (its escapes are JSON.stringify's;
 * json-list-text.ts), through an IMMUTABLE wrapper for the same reason: to_json
 * of text depends on no setting.
 *
 * A time's text: to_json of the UTC time plus 100 µs, so that it always writes four
 * digits of fraction ending in 1 (to_json drops trailing zeros), that `1"`
 * then made `Z"`.
 *
 * Cost: adding the columns rewrites the table under an ACCESS EXCLUSIVE lock
 * (reads and writes of events wait), the functions evaluated three times a row,
 * the indexes rebuilt; ~52 bytes more a row and the title's length again.
 */
import { sql, type Kysely } from 'kysely';

export async function addEventJsonTexts(db: Kysely<any>): Promise<void> {
  await sql`CREATE FUNCTION calendar.date_time_json(at timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    BEGIN ATOMIC
      SELECT CASE WHEN at >= '0001-01-01 00:00:00+00'::timestamptz AND at < '10000-01-01 00:00:00+00'::timestamptz
          AND date_trunc('milliseconds', at AT TIME ZONE 'UTC') = at AT TIME ZONE 'UTC'
        THEN replace(to_json(at AT TIME ZONE 'UTC' + interval '100 microseconds')::text, '1"', 'Z"') END;
    END`.execute(db);
  await sql`CREATE FUNCTION calendar.string_json(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    BEGIN ATOMIC
      SELECT to_json(value)::text;
    END`.execute(db);
  // One ALTER: the table is rewritten once for all three columns.
  await sql`ALTER TABLE calendar.calendar_events
    ADD COLUMN start_json text GENERATED ALWAYS AS (calendar.date_time_json(start_time)) STORED,
    ADD COLUMN end_json text GENERATED ALWAYS AS (CASE WHEN end_time IS NULL THEN 'null' ELSE calendar.date_time_json(end_time) END) STORED,
    ADD COLUMN title_json text GENERATED ALWAYS AS (calendar.string_json(title)) STORED`.execute(db);
}
