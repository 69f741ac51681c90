/**
 * DataLoader factories for the two shapes every subgraph needs: one row per
 * key (entity references) and many rows per key (a course's live classes).
 * Loaders are created per request, never shared, so one caller's rows can
 * never be served to another.
 */
import DataLoader from 'dataloader';

export function rowLoader<Row, Key extends string = string>(
  fetch: (keys: readonly Key[]) => Promise<readonly Row[]>,
  keyOf: (row: Row) => string,
): DataLoader<Key, Row | null> {
  return new DataLoader<Key, Row | null>(async (keys) => {
    const byKey = new Map<string, Row>();
    for (const row of await fetch(keys)) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

export function groupLoader<Row, Key extends string = string>(
  fetch: (keys: readonly Key[]) => Promise<readonly Row[]>,
  groupOf: (row: Row) => string,
): DataLoader<Key, Row[]> {
  return new DataLoader<Key, Row[]>(async (keys) => {
    const groups = new Map<string, Row[]>();
    for (const row of await fetch(keys)) {
      const key = groupOf(row);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(row);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}
