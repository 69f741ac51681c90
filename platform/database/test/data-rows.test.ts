/**
 * patches/pg-protocol+1.16.1.patch: a row whose bytes are all ASCII is decoded
 * by one call and its fields sliced from that text; any other row field by
 * field as before. Every field must be the string UTF-8 decoding gives, and
 * null where PostgreSQL sent NULL, whichever way its row went: checked here
 * against the same values' bytes (bytea, decoded in JavaScript), rows of
 * either kind side by side in one result, many to a network read.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: inject('databaseServerUrl') });
  await client.connect();
});
afterAll(() => client?.end());

// biome-ignore format: one text a line reads best
const TEXTS: (string | null)[] = [
  '0b5e4a1c-1c2d-4e5f-8a9b-0123456789ab', 'Course 12 session 3', '', '1796000000000', null,
  'Réunion de l’équipe', '日本語の授業', 'emoji 😀 here', 'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(200), 'w'.repeat(300),
  `${'a'.repeat(299)}é`, 'tab\there', 'line\nbreak', '\u0001\u007f', 'ÿ', '\u0080',
];

it('reads every field as UTF-8 decoding gives it, null as null, rows of ASCII and others alike', async () => {
  // Every pair of texts as a row of four fields (each with its bytes), and the rows many times over.
  const pairs = TEXTS.flatMap((first) => TEXTS.map((second) => [first, second]));
  const { rows } = await client.query<{ first: string | null; second: string | null; first_bytes: Buffer | null; second_bytes: Buffer | null; n: number }>(
    `SELECT first, second, convert_to(first, 'UTF8') AS first_bytes, convert_to(second, 'UTF8') AS second_bytes, n
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS pairs(first, second, pair), generate_series(1, 20) AS n
      ORDER BY pair, n`,
    [pairs.map((pair) => pair[0]), pairs.map((pair) => pair[1])],
  );
  expect(rows).toHaveLength(pairs.length * 20);
  let mismatches = 0;
  for (const [index, row] of rows.entries()) {
    const [first, second] = pairs[Math.floor(index / 20)]!;
    const ok =
      row.first === first &&
      row.second === second &&
      row.first === (row.first_bytes?.toString('utf8') ?? null) &&
      row.second === (row.second_bytes?.toString('utf8') ?? null) &&
      row.n === (index % 20) + 1;
    if (!ok) mismatches++;
  }
  expect(mismatches).toBe(0);
});

it('reads rows of one field, and ASCII rows of many fields, as text and through the type parsers', async () => {
  const { rows } = await client.query<{ t: string }>(`SELECT 'Course ' || n AS t FROM generate_series(1, 3000) AS n`);
  expect(rows.map((row) => row.t)).toEqual(Array.from({ length: 3000 }, (_, index) => `Course ${index + 1}`));
  const typed = await client.query(`SELECT 42::int4 AS i, 1.5::float8 AS f, true AS b, '2026-12-06 16:00:00+00'::timestamptz AS ts, 'title' AS t, ''::text AS e`);
  expect(typed.rows).toEqual([{ i: 42, f: 1.5, b: true, ts: new Date('2026-12-06T16:00:00Z'), t: 'title', e: '' }]);
});

it('runs the patched parser (npm ci applies patches/)', () => {
  const parser = createRequire(import.meta.url).resolve('pg-protocol/dist/parser.js');
  expect(readFileSync(parser, 'utf8')).toContain('bytes.latin1Slice(start, end)');
});
