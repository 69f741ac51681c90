/**
 * DataLoader factories for the two shapes every subgraph needs: one row per
 * key (entity references) and many rows per key (a course's live classes).
 * Loaders are created per request, never shared, so one caller's rows can
 * never be served to another.
 */
import DataLoader from 'dataloader';

export function rowLoader<Row, Key extends string = string>(fetch: (keys: readonly Key[]) => Promise<readonly Row[]>, keyOf: (row: Row) => string): DataLoader<Key, Row | null> {
  return new DataLoader<Key, Row | null>(async (keys) => {
    const byKey = new Map<string, Row>();
    for (const row of await fetch(keys)) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

export function groupLoader<Row, Key extends string = string>(fetch: (keys: readonly Key[]) => Promise<readonly Row[]>, groupOf: (row: Row) => string): DataLoader<Key, Row[]> {
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

/** One parent's page of a list: `limit` rows after the cursor key `after` (null: the first page). */
export interface PageKey {
  parentId: string;
  after: (string | number)[] | null;
  limit: number;
}

/**
 * Pages of many parents' lists (each document's versions in a list of
 * documents) in one query per page shape instead of one per parent: `fetch`
 * gets the parents asking for the same window and returns at most `limit`
 * rows of each, in page order (a window function partitioned by parent).
 */
export function pageLoader<Row>(
  fetch: (parentIds: readonly string[], window: { after: PageKey['after']; limit: number }) => Promise<readonly Row[]>,
  parentOf: (row: Row) => string,
): DataLoader<PageKey, Row[], string> {
  return new DataLoader<PageKey, Row[], string>(
    async (keys) => {
      const shapes = new Map<string, PageKey[]>();
      for (const key of keys) {
        const shape = JSON.stringify([key.limit, key.after]);
        let same = shapes.get(shape);
        if (!same) shapes.set(shape, (same = []));
        same.push(key);
      }
      const pages = new Map<string, Row[]>();
      await Promise.all(
        [...shapes].map(async ([shape, same]) => {
          const { after, limit } = same[0]!;
          for (const row of await fetch([...new Set(same.map((key) => key.parentId))], { after, limit })) {
            const id = JSON.stringify([parentOf(row), shape]);
            let page = pages.get(id);
            if (!page) pages.set(id, (page = []));
            page.push(row);
          }
        }),
      );
      return keys.map((key) => pages.get(JSON.stringify([key.parentId, JSON.stringify([key.limit, key.after])])) ?? []);
    },
    { cacheKeyFn: (key) => JSON.stringify([key.parentId, key.limit, key.after]) },
  );
}
