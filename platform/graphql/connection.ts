/**
 * Relay-style connections with opaque cursors, forward only (`first`,
 * `after`). A cursor is base64url JSON of the sort key of the last row a
 * page read: clients pass it back and never look inside. Pages are read with
 * one row more than asked for, so `hasNextPage` costs no second query.
 */
import { badInput } from '../errors.js';

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export type CursorKey = (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key inside a cursor, checked against the shape its list writes (strings and numbers, in order). */
export function decodeCursor(cursor: string, shape: ('string' | 'number')[]): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  const valid =
    Array.isArray(key) && key.length === shape.length && key.every((value, index) => typeof value === shape[index] && (typeof value !== 'string' || value.length <= 100));
  if (!valid) throw badInput('after is not a cursor of this list', 'after');
  return key as CursorKey;
}

/** `first` checked (1..max, default `fallback`) and the cursor decoded. */
export function pageRequest(args: PageArgs, shape: ('string' | 'number')[], fallback = 50, max = 500): { first: number; after: CursorKey | null } {
  const first = args.first ?? fallback;
  if (!Number.isInteger(first) || first < 1 || first > max) throw badInput(`first must be between 1 and ${max}`, 'first');
  return { first, after: args.after ? decodeCursor(args.after, shape) : null };
}

/**
 * A page from rows read with `first + 1` as the limit. `keep` may leave rows
 * out (permission filters applied after the query): the cursors still follow
 * the rows read, so the next page starts after the last row of this one, and
 * a page may hold fewer than `first` nodes while `hasNextPage` is true.
 */
export async function toConnection<Row, Node>(
  rows: Row[],
  first: number,
  keyOf: (row: Row) => CursorKey,
  toNode: (row: Row) => Node,
  keep: (nodes: Node[]) => Promise<boolean[]> = async (nodes) => nodes.map(() => true),
): Promise<Connection<Node>> {
  const page = rows.slice(0, first);
  const nodes = page.map(toNode);
  const kept = await keep(nodes);
  const edges = nodes.flatMap((node, index) => (kept[index] ? [{ cursor: encodeCursor(keyOf(page[index]!)), node }] : []));
  const last = page.at(-1);
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: last ? encodeCursor(keyOf(last)) : null,
    },
  };
}
