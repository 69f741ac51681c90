/**
 * Rows grouped by a key, in their order: each row is pushed onto its key's
 * list, so grouping n rows takes n steps (spreading the list into a new one
 * per row took n²/2 copies when one key had them all: a series with
 * thousands of exceptions).
 */
export function groupBy<T, V = T>(rows: Iterable<T>, keyOf: (row: T) => string, valueAt: (row: T) => V = (row) => row as unknown as V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(valueAt(row));
    else groups.set(key, [valueAt(row)]);
  }
  return groups;
}
