/**
 * patches/pg-protocol+1.16.1.patch: the fields of a data row are decoded by
 * runs (consecutive non-NULL fields whose length words between them are ASCII
 * bytes), one UTF-8 decoding a run, then split: at byte offsets when the run
 * has as many characters as bytes, at each field's count of UTF-16 units when
 * it is valid UTF-8 with some multi-byte characters, else field by field as
 * before. Every field must be what decoding it alone as UTF-8 gives, and null
 * where PostgreSQL sent NULL, whichever way its run went: checked here against
 * what was inserted and against the same values' bytes (hex, decoded in
 * JavaScript), rows of every kind side by side in one result, many to a
 * network read; binary-format fields (bytes that are not UTF-8, cut anywhere)
 * against the Buffers that decoding each field alone gives; and pg-protocol's
 * Parser itself over generated rows of arbitrary bytes against that decoding.
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

// Texts whose byte lengths cross 128 (a length word with a byte >= 0x80 ends a run), multi-byte characters at
// either end of a field (é 2 bytes, 中 3, 😀 4: two UTF-16 units), empty texts and long ones (9 000 and 70 000 bytes,
// across network reads).
// biome-ignore format: one text a line reads best
const TEXTS: (string | null)[] = [
  '0b5e4a1c-1c2d-4e5f-8a9b-0123456789ab', 'Course 12 session 3', '', '1796000000000', null,
  'Réunion de l’équipe', '日本語の授業', '中', 'é', '😀', 'emoji 😀', '😀 first', '😀😀', 'end é', 'é start',
  'x'.repeat(127), 'y'.repeat(128), 'z'.repeat(200), 'w'.repeat(300), 'é'.repeat(64), 'é'.repeat(100), `${'a'.repeat(299)}é`,
  '中'.repeat(3000), `😀${'v'.repeat(69_992)}😀`, 'tab\there', 'line\nbreak', '\u0001\u007f', 'ÿ', '\u0080', '\ufffd',
];

/** Row i's five texts: every text in every position, next to every other, NULLs at the start, the middle and the end. */
function rowTexts(index: number): (string | null)[] {
  const n = TEXTS.length;
  return [0, 1, 2, 3, 4].map((k) => TEXTS[(index * (k * 2 + 1) + Math.floor(index / n) * k) % n]!);
}

it('reads every field as what was inserted and as UTF-8 decoding gives it, null as null, in every run shape', async () => {
  const count = TEXTS.length * TEXTS.length * 2;
  const rowsIn = Array.from({ length: count }, (_, index) => rowTexts(index));
  // Some rows of only NULLs, only empty texts, and a NULL alone at each end.
  rowsIn.push([null, null, null, null, null], ['', '', '', '', ''], [null, '😀', 'é', '中', 'x'], ['😀', 'é', '中', 'x', null], ['é', null, '😀', null, '中']);
  const columns = [0, 1, 2, 3, 4].map((k) => rowsIn.map((row) => row[k]));
  const { rows } = await client.query<Record<string, string | null>>(
    // The bytes as hex text, not bytea: a wrong bytea text can make pg-types' bytea parser loop for ever.
    `SELECT a, b, c, d, e, encode(convert_to(a, 'UTF8'), 'hex') AS a_bytes, encode(convert_to(c, 'UTF8'), 'hex') AS c_bytes,
            encode(convert_to(e, 'UTF8'), 'hex') AS e_bytes, i
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS r(a, b, c, d, e, i)
      ORDER BY i`,
    columns,
  );
  expect(rows).toHaveLength(rowsIn.length);
  const wrong: string[] = [];
  for (const [index, row] of rows.entries()) {
    const [a, b, c, d, e] = rowsIn[index]!;
    const asInserted = row.a === a && row.b === b && row.c === c && row.d === d && row.e === e && row.i === String(index + 1);
    const decoded = (hex: unknown) => (hex === null ? null : Buffer.from(hex as string, 'hex').toString('utf8'));
    const asDecoded = row.a === decoded(row.a_bytes) && row.c === decoded(row.c_bytes) && row.e === decoded(row.e_bytes);
    if (!asInserted || !asDecoded) wrong.push(`row ${index}: ${JSON.stringify([row.a, row.b, row.c, row.d, row.e]).slice(0, 200)}`);
  }
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(wrong).toHaveLength(0);
});

it('returns binary-format fields as the Buffers decoding each field alone gives, whatever their bytes', async () => {
  // Bytes that are not UTF-8 on their own but would be across a boundary (é's two bytes, 😀's four, cut), stray
  // continuation bytes, a lead byte at a field's end, and valid text.
  // biome-ignore format: one value a line reads best
  const values: (number[] | null)[] = [
    [0xc3], [0xa9], [0x41, 0xc3], [0xa9, 0x42], [0xf0, 0x9f], [0x98, 0x80], [0xf0, 0x9f, 0x98], [0x80], [], null,
    [0xe4, 0xb8, 0xad], [0xff, 0xfe], [0x00, 0x00, 0x00, 0x2a], [...Buffer.from('Réunion 😀')], [0xed, 0xa0, 0x80],
    // 195 bytes (length word 00 00 00 c3) from 0xa9, 240 (… f0) from 9f 98 80: the word's last byte and the field's
    // first would be é and 😀 if the word were decoded with the field.
    [0xa9, ...Array<number>(194).fill(0x61)], [0x9f, 0x98, 0x80, ...Array<number>(237).fill(0x62)],
  ];
  const rowsIn = values.flatMap((first) => values.map((second) => [first, second, first] as const));
  const toBytes = (value: number[] | null) => (value === null ? null : Buffer.from(value));
  const { rows } = await client.query<{ a: Buffer | null; b: Buffer | null; c: Buffer | null }>({
    text: 'SELECT a, b, c FROM unnest($1::bytea[], $2::bytea[], $3::bytea[]) WITH ORDINALITY AS r(a, b, c, i) ORDER BY i',
    values: [0, 1, 2].map((k) => rowsIn.map((row) => toBytes(row[k]!))),
    binary: true,
    // The Buffer pg makes of a binary field, as it gives it to the type's parser (bytea has none for binary: String()).
    types: { getTypeParser: () => (value: Buffer) => value },
  } as pg.QueryConfig);
  expect(rows).toHaveLength(rowsIn.length);
  // pg-protocol decodes every field as UTF-8 text and pg makes a binary field's Buffer from it.
  const alone = (value: number[] | null) => (value === null ? null : Buffer.from(Buffer.from(value).toString('utf8')));
  const wrong = rows.flatMap((row, index) => {
    const [a, b, c] = rowsIn[index]!;
    const same = (got: Buffer | null, value: number[] | null) => (got === null ? value === null : Buffer.isBuffer(got) && got.equals(alone(value)!));
    return same(row.a, a) && same(row.b, b) && same(row.c, c) ? [] : [`${JSON.stringify(rowsIn[index])} read ${JSON.stringify([row.a, row.b, row.c])}`];
  });
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(wrong).toHaveLength(0);
});

it('parses generated rows of arbitrary bytes as decoding each field alone does', () => {
  const { Parser } = createRequire(import.meta.url)('pg-protocol/dist/parser.js') as {
    Parser: new () => { parse(buffer: Buffer, callback: (message: { name: string; fields?: (string | null)[] }) => void): void };
  };
  // biome-ignore format: one piece a kind
  const pieces = [[0x61], [0x7a], [0x00], [0xc3, 0xa9], [0xe4, 0xb8, 0xad], [0xf0, 0x9f, 0x98, 0x80], [0x80], [0xc3], [0xf0, 0x9f], [0xff], [0xef, 0xbf, 0xbd], [0xed, 0xa0, 0x80]];
  let seed = 20;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const rows: (Buffer | null)[][] = [];
  for (let index = 0; index < 20_000; index++) {
    const kind = random(3); // ASCII only, any pieces, or valid UTF-8 only
    rows.push(
      Array.from({ length: 1 + random(7) }, () => {
        if (random(5) === 0) return null;
        const size = random(6) === 0 ? random(300) : random(9);
        const bytes = Array.from({ length: size }, () => (kind === 0 ? [0x61 + random(26)] : pieces[kind === 1 ? random(pieces.length) : random(6)]!));
        return Buffer.from(bytes.flat());
      }),
    );
  }
  const messages = rows.map((fields) => {
    const body = Buffer.concat([int(fields.length, 2), ...fields.flatMap((field) => (field === null ? [int(-1, 4)] : [int(field.length, 4), field]))]);
    return Buffer.concat([Buffer.from([0x44]), int(body.length + 4, 4), body]);
  });
  const parsed: (string | null)[][] = [];
  new Parser().parse(Buffer.concat(messages), (message) => parsed.push(message.fields!));
  expect(parsed).toHaveLength(rows.length);
  const wrong = rows.flatMap((fields, index) => {
    const expected = fields.map((field) => (field === null ? null : field.toString('utf8')));
    const got = parsed[index]!;
    return got.length === expected.length && got.every((value, k) => value === expected[k]) ? [] : [index];
  });
  expect(wrong).toHaveLength(0);
});

function int(value: number, size: 2 | 4): Buffer {
  const bytes = Buffer.alloc(size);
  if (size === 2) bytes.writeInt16BE(value);
  else bytes.writeInt32BE(value);
  return bytes;
}

it('reads rows of one field, and ASCII rows of many fields, as text and through the type parsers', async () => {
  const { rows } = await client.query<{ t: string }>(`SELECT 'Course ' || n AS t FROM generate_series(1, 3000) AS n`);
  expect(rows.map((row) => row.t)).toEqual(Array.from({ length: 3000 }, (_, index) => `Course ${index + 1}`));
  const typed = await client.query(`SELECT 42::int4 AS i, 1.5::float8 AS f, true AS b, '2026-12-06 16:00:00+00'::timestamptz AS ts, 'title' AS t, ''::text AS e`);
  expect(typed.rows).toEqual([{ i: 42, f: 1.5, b: true, ts: new Date('2026-12-06T16:00:00Z'), t: 'title', e: '' }]);
});

it('runs the patched parser (npm ci applies patches/)', () => {
  const parser = createRequire(import.meta.url).resolve('pg-protocol/dist/parser.js');
  expect(readFileSync(parser, 'utf8')).toContain('const text = bytes.utf8Slice(start, end);');
});
