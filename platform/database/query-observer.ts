/**
 * A hook on every SQL statement Kysely runs in this process. Tests use it to
 * count statements per operation (so N+1 cannot creep back in); with no
 * observer registered it costs one branch per query.
 */
import type { LogEvent } from 'kysely';

type Observer = (sql: string, durationMs: number) => void;
const observers = new Set<Observer>();

export function observeQueries(observer: Observer): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

export function notifyQueryObservers(event: LogEvent): void {
  if (observers.size === 0 || event.level !== 'query') return;
  for (const observer of observers) observer(event.query.sql, event.queryDurationMillis);
}
