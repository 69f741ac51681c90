/**
 * A timestamptz column read as its milliseconds since the epoch (a float8,
 * which pg reads as a number), for reads whose rows only answer GraphQL: the
 * DateTime scalar writes a whole number of milliseconds without a Date, so
 * neither pg's parsing into a Date nor the Date itself runs per row, and
 * PostgreSQL writes a short number instead of its date text. Exact: the
 * epoch is numeric, microseconds are floored to milliseconds as pg's parser
 * truncates them (towards the past, before 1970 too), and any millisecond of
 * years 0 to 9999 is an integer a float8 holds exactly.
 */
import { sql, type RawBuilder } from 'kysely';

/** Milliseconds since 1970-01-01T00:00:00Z, what `Date#getTime` would give. */
export type EpochMillis = number;

export function epochMillis(column: string): RawBuilder<EpochMillis> {
  return sql<EpochMillis>`floor(extract(epoch from ${sql.ref(column)}) * 1000)::float8`;
}
