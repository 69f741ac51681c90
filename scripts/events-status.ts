/**
 * `npm run events:status [-- --json]`: lag of every consumer group (events
 * behind, age of the oldest, dead letters, connected processes) and the
 * size of the outbox. A group no process has run for --abandoned-after-days
 * (default 14) is flagged: pruning no longer keeps its events.
 */
import { parseArgs } from 'node:util';
import { withEventsDatabase } from '../platform/events/cli-database.js';
import { readConsumerStatus, readOutboxStatus } from '../platform/events/event-status.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, 'abandoned-after-days': { type: 'string' } } });
const abandonedAfterDays = values['abandoned-after-days'] !== undefined ? Number(values['abandoned-after-days']) : undefined;
if (abandonedAfterDays !== undefined && !(abandonedAfterDays >= 0)) throw new Error('--abandoned-after-days takes a number of days');

await withEventsDatabase(async (db) => {
  const abandonedAfterMs = abandonedAfterDays === undefined ? undefined : abandonedAfterDays * 86_400_000;
  const [groups, outbox] = await Promise.all([readConsumerStatus(db, { abandonedAfterMs }), readOutboxStatus(db)]);
  if (values.json) {
    console.log(JSON.stringify({ outbox, groups }, null, 2));
    return;
  }
  console.log(`outbox: ${outbox.events} events${outbox.oldestCreatedAt ? `, oldest ${outbox.oldestCreatedAt.toISOString()}` : ''}`);
  if (groups.length === 0) {
    console.log('no consumer groups yet');
    return;
  }
  console.table(
    groups.map((group) => ({
      group: group.group,
      behind: group.behind,
      'oldest (s)': Math.round(group.oldestAgeSeconds * 10) / 10,
      'dead letters': group.deadLetters,
      'replays pending': group.replaysPending,
      processes: group.members,
      partitions: group.partitions,
      'last progress': group.lastProgressAt?.toISOString() ?? '-',
      'last seen': group.lastSeenAt.toISOString(),
      abandoned: group.abandoned ? 'yes' : '',
      topics: group.topics.join(' '),
    })),
  );
  for (const group of groups.filter((group) => group.abandoned)) {
    console.warn(
      `warning: consumer group "${group.group}" has not run since ${group.lastSeenAt.toISOString()}: pruning no longer keeps its events` +
        ` (DELETE FROM events.consumer_groups WHERE name = '${group.group}' if it is gone for good)`,
    );
  }
});
