/**
 * patches/pg+8.23.1.patch: pg builds each row of a result with a builder made
 * for its list of column names (an object literal with those keys) instead of
 * cloning an empty row and storing each field by its name. The rows must be
 * what pg's own parseRow makes: the same keys in the same order, the same
 * prototype, every type parsed, NULL as null; names a literal would read
 * otherwise (`__proto__`, repeated names, quotes, line separators) as pg
 * makes them; array row mode untouched; many shapes side by side.
 */
import { createRequire } from 'node:module';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: inject('databaseServerUrl') });
  await client.connect();
});
afterAll(() => client?.end());

// pg's own row making, as the unpatched Result does it: the reference.
const Result = createRequire(import.meta.url)('pg/lib/result.js') as new (
  rowMode?: string,
) => { parseRow(fields: unknown[]): Record<string, unknown>; addFields(fields: unknown[]): void; _rowBuilder: unknown };
function referenceRows(fields: pg.FieldDef[], raw: (string | null)[][]): Record<string, unknown>[] {
  const result = new Result();
  result.addFields(fields);
  result._rowBuilder = null;
  return raw.map((row) => result.parseRow(row));
}

const STATEMENTS = [
  `SELECT 1::int AS a, 'x'::text AS b, NULL::text AS c, '2026-12-07 08:00:00.123456+00'::timestamptz AS d, 1.5::float8 AS e, true AS f, '{1,2}'::int[] AS g, 9007199254740993::int8 AS h, '{"k":1}'::jsonb AS i`,
  `SELECT 1 AS a, 2 AS a, 3 AS b`,
  `SELECT 'p' AS "__proto__", 'q' AS "constructor", 'r' AS "toString"`,
  `SELECT 1 AS "quote""d", 2 AS "back\\slash", 3 AS "line${'\u2028'}sep", 4 AS "new
line", 5 AS "中文", 6 AS " ", 7 AS "0", 8 AS "1e3"`,
  `SELECT i, CASE WHEN i % 2 = 0 THEN NULL ELSE 'odd' END AS maybe, i::text AS t FROM generate_series(1, 50) AS i`,
  `SELECT 1, 2`,
  `SELECT`,
];

it('makes the rows pg makes, for every shape of names and values', async () => {
  for (const text of STATEMENTS) {
    for (let run = 0; run < 3; run++) {
      const { rows, fields } = await client.query(text);
      const raw = (await client.query({ text, rowMode: 'array', types: { getTypeParser: () => (value: string) => value } })).rows as (string | null)[][];
      const expected = referenceRows(fields, raw);
      expect(rows, text).toEqual(expected);
      for (const [index, row] of rows.entries()) {
        expect(Object.getPrototypeOf(row), text).toBe(Object.getPrototypeOf(expected[index]));
        expect(Reflect.ownKeys(row), text).toEqual(Reflect.ownKeys(expected[index]!));
        for (const key of Reflect.ownKeys(row)) expect(Object.getOwnPropertyDescriptor(row, key), text).toEqual(Object.getOwnPropertyDescriptor(expected[index], key));
      }
    }
  }
});

it('keeps a column named __proto__ as its row’s own field, as pg does, each time the statement runs', async () => {
  for (let run = 0; run < 2; run++) {
    const { rows } = await client.query(`SELECT 'p' AS "__proto__", 'q' AS "constructor"`);
    expect(Object.getOwnPropertyDescriptor(rows[0], '__proto__')?.value).toBe('p');
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(rows[0].constructor).toBe('q');
  }
});

it('leaves rows as arrays in array mode', async () => {
  const { rows } = await client.query({ text: `SELECT 1::int AS a, 'x' AS b, NULL AS c`, rowMode: 'array' });
  expect(rows).toEqual([[1, 'x', null]]);
});

it('is the patched pg (npx patch-package applies patches/)', () => {
  const result = new Result();
  result.addFields([{ name: 'a', dataTypeID: 25, format: 'text' }]);
  expect(typeof result._rowBuilder, 'pg without patches/pg+8.23.1.patch: run `npx patch-package`').toBe('function');
});
