/**
 * `npm run events:prune [-- --older-than-days <n>]`: deletes processed
 * events (and their bookkeeping) older than n days, EVENT_RETENTION_DAYS by
 * default. Consumers also do this on their own, hourly.
 */
import { parseArgs } from 'node:util';
import { withEventsDatabase } from '../platform/events/cli-database.js';
import { pruneEvents } from '../platform/events/prune-events.js';

const { values } = parseArgs({ options: { 'older-than-days': { type: 'string' } } });

await withEventsDatabase(async (db, config) => {
  const days = values['older-than-days'] !== undefined ? Number(values['older-than-days']) : config.eventRetentionDays;
  if (!Number.isFinite(days) || days < 0) throw new Error('--older-than-days takes a number of days');
  const result = await pruneEvents(db, { maxAgeMs: days * 86_400_000 });
  if (!result.ran) return console.log('another process is pruning right now; nothing done');
  console.log(`pruned ${result.events} events, ${result.processed} processed marks, ${result.ingested} ingestion ids, ${result.deadLetters} resolved dead letters (older than ${days} days)`);
});
