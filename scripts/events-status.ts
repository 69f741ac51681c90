/**
 * `npm run events:status [-- --json]`: lag of every consumer group (events
 * behind, age of the oldest, dead letters, connected processes) and the
 * size of the outbox.
 */
import { parseArgs } from 'node:util';
import { withEventsDatabase } from '../platform/events/cli-database.js';
import { readConsumerStatus, readOutboxStatus } from '../platform/events/event-status.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });

await withEventsDatabase(async (db) => {
  const [groups, outbox] = await Promise.all([readConsumerStatus(db), readOutboxStatus(db)]);
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
      topics: group.topics.join(' '),
    })),
  );
});
