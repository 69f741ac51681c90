/**
 * epochMillis: PostgreSQL gives a timestamptz as the milliseconds of the Date
 * pg would have read (microseconds truncated, before 1970 too), whatever the
 * session's zone, and the DateTime scalar writes them as it writes that Date.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { epochMillis } from '../epoch-millis.js';
import { parseTimestamptz } from '../timestamptz.js';

let pool: pg.Pool;
let db: Kysely<unknown>;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: inject('databaseServerUrl'), max: 1 });
  db = new Kysely({ dialect: new PostgresDialect({ pool }) });
});
afterAll(() => db?.destroy());

// biome-ignore format: a few instants a line
const INSTANTS = [
  '2026-12-05 03:54:51.123456+00', '2026-12-05 03:54:51+00', '2026-12-05 03:54:51.5+00', '2026-12-05 03:54:51.999999+00',
  '2026-12-05 03:54:51.000001+00', '2026-03-29 01:30:00+01', '2026-10-25 23:59:59.9-05', '2000-02-29 23:59:59.12+00',
  '1970-01-01 00:00:00+00', '1969-12-31 23:59:59.9995+00', '1969-12-31 23:59:59.000001+00', '2199-12-31 23:59:59.999+00',
  '1900-01-01 00:00:00.0005+00', '0101-01-01 00:00:00+00', '9999-12-31 23:59:59.999999+00',
  // New York's repeated hour (both instants), a zone's local-mean-time offset with seconds, the millisecond's edges
  '2026-11-01 01:30:00.123456-04', '2026-11-01 01:30:00.123456-05', '1880-06-01 12:00:00.000999+05:53:28',
  '2026-12-05 03:54:51.000999+00', '2026-12-05 03:54:51.001+00', '1969-12-31 23:59:59.001+00', '0101-01-01 00:00:00.999999+00',
];

it('gives the Date pg reads as milliseconds, in any session zone, and the scalar writes them as that Date', async () => {
  const values = sql.join(INSTANTS.map((text) => sql`(${text}::timestamptz)`));
  for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham', 'America/New_York']) {
    await sql`SET TIME ZONE ${sql.lit(zone)}`.execute(db);
    const { rows } = await sql<{ raw: string; millis: number }>`SELECT ts::text AS raw, ${epochMillis('ts')} AS millis FROM (VALUES ${values}) AS instants(ts)`.execute(db);
    expect(rows).toHaveLength(INSTANTS.length);
    for (const row of rows) {
      const date = parseTimestamptz(row.raw) as Date;
      expect(row.millis, `${zone} ${row.raw}`).toBe(date.getTime());
      expect(DateTimeScalar.serialize(row.millis)).toBe(DateTimeScalar.serialize(date));
    }
  }
});

it('is the exact millisecond across years 1 to 9999', async () => {
  // 20 000 instants half a year and an odd number of microseconds apart, against numeric's exact arithmetic.
  const { rows } = await sql<{ off: string; first: string | null }>`
    SELECT count(*) FILTER (WHERE millis IS DISTINCT FROM exact) AS off, min(ts::text) FILTER (WHERE millis IS DISTINCT FROM exact) AS first
    FROM (SELECT ts, ${epochMillis('ts')} AS millis, floor(extract(epoch FROM ts) * 1000)::float8 AS exact
          FROM (SELECT timestamptz '0001-01-01 00:00:00+00' + i * interval '182 days 13:27:41.123457' AS ts FROM generate_series(0, 19999) AS i) AS instants) AS both_ways`.execute(
    db,
  );
  expect(rows[0]).toEqual({ off: '0', first: null });
});
