/**
 * Keyset paging over (timestamp DESC or ASC, uuid ASC): newest (or oldest) first, ties in id
 * order, as the lists have always been sorted. The timestamp
 * goes into cursors as whole microseconds since the epoch (text), so that a
 * page boundary is exact where a JavaScript Date would round to milliseconds.
 */
import { sql, type RawBuilder } from 'kysely';

/** The column's value as microseconds since the epoch, as text: select it beside the row for its cursor. */
export const micros = (column: string): RawBuilder<string> => sql<string>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint::text`;

/** Rows strictly after `key` ([micros, id]) in (column DESC, id ASC) order. */
export function before(column: string, idColumn: string, key: (string | number)[]): RawBuilder<boolean> {
  const [at, id] = key as [string, string];
  if (!/^-?\d{1,19}$/.test(at) || !/^[0-9a-f-]{36}$/i.test(id)) return sql<boolean>`false`;
  const boundary = sql`(timestamptz 'epoch' + ${at}::bigint * interval '1 microsecond')`;
  return sql<boolean>`(${sql.ref(column)} < ${boundary} OR (${sql.ref(column)} = ${boundary} AND ${sql.ref(idColumn)} > ${id}::uuid))`;
}

/** Rows strictly after `key` ([micros, id]) in (column ASC, id ASC) order: the oldest first, as schedules read. */
export function later(column: string, idColumn: string, key: (string | number)[]): RawBuilder<boolean> {
  const [at, id] = key as [string, string];
  if (!/^-?\d{1,19}$/.test(at) || !/^[0-9a-f-]{36}$/i.test(id)) return sql<boolean>`false`;
  const boundary = sql`(timestamptz 'epoch' + ${at}::bigint * interval '1 microsecond')`;
  return sql<boolean>`(${sql.ref(column)} > ${boundary} OR (${sql.ref(column)} = ${boundary} AND ${sql.ref(idColumn)} > ${id}::uuid))`;
}

/** A row of a page and the key its cursor is made of. */
export interface KeyedRow<T> {
  node: T;
  key: (string | number)[];
}

/** Where a page starts (a cursor's key, null for the first page) and how many rows to read. */
export interface PageWindow {
  after: (string | number)[] | null;
  limit: number;
}
