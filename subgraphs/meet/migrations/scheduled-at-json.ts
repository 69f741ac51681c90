/**
 * `live_classes.scheduled_at_json`: scheduled_at as the JSON text the DateTime
 * scalar writes (toISOString's: milliseconds, `Z`, in quotes), for the course
 * lists PostgreSQL writes (repositories/live-class-json.ts): copying a stored
 * text costs PostgreSQL far less than formatting it per row per read
 * (bench/README-results.md, session 26). Null for years outside 1 to 9999,
 * which that text cannot write (those lists are read as rows).
 *
 * A stored generated column, so every insert and every update of scheduled_at
 * (by any path, raw SQL too) recomputes it and adding it fills existing rows.
 * Its function must be IMMUTABLE, and is, though to_json is declared STABLE
 * (for its other types): for a timestamp without time zone to_json always
 * writes ISO 8601 (XSD form), whatever DateStyle; the time is taken at 'UTC'
 * explicitly, never the session's TimeZone; IntervalStyle governs only an
 * interval's output. The body is SQL-standard (BEGIN ATOMIC), parsed once at
 * creation: its literals (offsets written out) and functions are bound then,
 * not under a caller's settings or search_path.
 *
 * The text: the UTC time floored to the millisecond (towards the past before
 * 1970 too) plus 100 µs, so that to_json (which drops trailing zeros) always
 * writes four digits of fraction ending in 1, that `1"` then made `Z"`.
 */
import { sql, type Kysely } from 'kysely';

export async function addScheduledAtJson(db: Kysely<any>): Promise<void> {
  await sql`CREATE FUNCTION meet.date_time_json(at timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    BEGIN ATOMIC
      SELECT CASE WHEN at >= '0001-01-01 00:00:00+00'::timestamptz AND at < '10000-01-01 00:00:00+00'::timestamptz
        THEN replace(to_json(date_trunc('milliseconds', at AT TIME ZONE 'UTC') + interval '100 microseconds')::text, '1"', 'Z"') END;
    END`.execute(db);
  // Adding a stored generated column rewrites the table: every existing row gets its text.
  await sql`ALTER TABLE meet.live_classes
    ADD COLUMN scheduled_at_json text GENERATED ALWAYS AS (meet.date_time_json(scheduled_at)) STORED`.execute(db);
}
