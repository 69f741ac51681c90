/**
 * `npm run events:prune [-- --older-than-days <n>]`: deletes processed
 * events (and their bookkeeping) older than n days, EVENT_RETENTION_DAYS by
 * default. Consumers also do this on their own, hourly. Groups no process
 * has run for --abandoned-after-days (default 14) hold nothing back.
 */
import { parseArgs } from 'node:util';
import { withEventsDatabase } from '../platform/events/cli-database.js';
import { pruneEvents } from '../platform/events/prune-events.js';

const { values } = parseArgs({ options: { 'older-than-days': { type: 'string' }, 'abandoned-after-days': { type: 'string' } } });

await withEventsDatabase(async (db, config) => {
  const days = values['older-than-days'] !== undefined ? Number(values['older-than-days']) : config.eventRetentionDays;
  if (!Number.isFinite(days) || days < 0) throw new Error('--older-than-days takes a number of days');
  const abandonedAfterDays = values['abandoned-after-days'] !== undefined ? Number(values['abandoned-after-days']) : undefined;
  if (abandonedAfterDays !== undefined && !(abandonedAfterDays >= 0)) throw new Error('--abandoned-after-days takes a number of days');
  const abandonedAfterMs = abandonedAfterDays === undefined ? undefined : abandonedAfterDays * 86_400_000;
  const result = await pruneEvents(db, { maxAgeMs: days * 86_400_000, abandonedAfterMs });
  if (!result.ran) return console.log('another process is pruning right now; nothing done');
  for (const group of result.abandonedGroups) console.warn(`warning: consumer group "${group}" is abandoned (no process seen for long): its events were not kept for it`);
  console.log(
    `pruned ${result.events} events, ${result.processed} processed marks, ${result.ingested} ingestion ids, ${result.deadLetters} resolved dead letters (older than ${days} days)`,
  );
});
