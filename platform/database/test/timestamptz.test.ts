/**
 * parseTimestamptz reads what PostgreSQL writes: the same instant as the
 * server's own epoch (to the millisecond, microseconds truncated) and as
 * pg's parser, in zones with whole-hour, half-hour and 45-minute offsets,
 * with and without fractions, and hands the rare forms (BC, infinity, offsets
 * with seconds, years before 100) to pg's parser.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { parseTimestamptz } from '../timestamptz.js';

const pgParse = pg.types.getTypeParser(1184, 'text') as (text: string) => Date | number | null;
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: inject('databaseServerUrl') });
  await client.connect();
});
afterAll(() => client?.end());

const INSTANTS = `(VALUES
  ('2026-12-05 03:54:51.123456+00'::timestamptz), ('2026-12-05 03:54:51+00'), ('2026-12-05 03:54:51.5+00'),
  ('2026-12-05 03:54:51.999999+00'), ('2026-12-05 03:54:51.000001+00'), ('2026-03-29 01:30:00+00'),
  ('2026-10-25 00:59:59.9+00'), ('2000-02-29 23:59:59.12+00'), ('1970-01-01 00:00:00+00'),
  ('2199-12-31 23:59:59.999+00'), ('1900-01-01 00:00:00+00'), ('9999-12-31 23:59:59+00')) AS t(ts)`;

it('reads every instant as PostgreSQL counts it, in any session zone', async () => {
  for (const zone of ['UTC', 'Asia/Kolkata', 'America/St_Johns', 'Asia/Kathmandu', 'America/New_York', 'Pacific/Chatham']) {
    await client.query(`SET TIME ZONE '${zone}'`);
    const { rows } = await client.query<{ text: string; millis: string }>(`SELECT ts::text AS text, floor(extract(epoch FROM ts) * 1000)::bigint::text AS millis FROM ${INSTANTS}`);
    for (const { text, millis } of rows) {
      const parsed = parseTimestamptz(text);
      expect(parsed, `${zone} ${text}`).toBeInstanceOf(Date);
      expect((parsed as Date).getTime(), `${zone} ${text}`).toBe(Number(millis));
      if (Number(millis) >= 0) expect((parsed as Date).getTime(), `${zone} ${text}`).toBe((pgParse(text) as Date).getTime());
    }
  }
});

it('leaves the rare forms to pg', async () => {
  // Monrovia kept an offset with seconds until 1972, so every tz database keeps it as a zone of its own
  // (Amsterdam's, used before, is a link to Brussels in newer ones: no seconds in 1900 there).
  await client.query(`SET TIME ZONE 'Africa/Monrovia'`);
  const { rows } = await client.query<{ text: string }>(
    `SELECT ts::text AS text FROM (VALUES ('1900-06-01 12:00:00+00'::timestamptz), ('infinity'), ('-infinity'), ('0044-03-15 12:00:00+00 BC'), ('0099-01-01 00:00:00+00'), ('12345-01-01 00:00:00+00')) AS t(ts)`,
  );
  expect(rows[0]!.text).toMatch(/-00:43:08$/); // Monrovia Mean Time, an offset with seconds
  for (const { text } of rows) expect(parseTimestamptz(text), text).toEqual(pgParse(text));
  await client.query('RESET TIME ZONE');
});
