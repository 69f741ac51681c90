/**
 * Dead letters of the event consumers:
 *   npm run events:dead-letters -- list [--group <g>] [--all] [--limit <n>] [--json]
 *   npm run events:dead-letters -- replay (--group <g> | <id>...)
 *   npm run events:dead-letters -- discard <id>...
 * A replay hands the events to their group's running consumers again; the
 * outcome shows in `list --all` (resolution "replayed", or a new error).
 */
import { parseArgs } from 'node:util';
import { withEventsDatabase } from '../platform/events/cli-database.js';
import { discardDeadLetters, listDeadLetters, requestReplay } from '../platform/events/dead-letters.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    group: { type: 'string', short: 'g' },
    all: { type: 'boolean', default: false },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const [command, ...ids] = positionals;
const usage = 'Usage: npm run events:dead-letters -- list [--group g] [--all] [--limit n] [--json] | replay (--group g | <id>...) | discard <id>...';

if (ids.some((id) => !/^\d+$/.test(id))) {
  console.error(`Dead letter ids are numbers (see "list").\n${usage}`);
  process.exit(2);
}

const exitCode = await withEventsDatabase(async (db): Promise<number> => {
  switch (command) {
    case 'list': {
      const letters = await listDeadLetters(db, { group: values.group, includeResolved: values.all, limit: values.limit ? Number(values.limit) : 100 });
      if (values.json) {
        console.log(JSON.stringify(letters, null, 2));
        return 0;
      }
      if (letters.length === 0) console.log('no dead letters');
      for (const letter of letters) {
        const state = letter.resolvedAt ? letter.resolution : letter.replayRequestedAt ? 'replay requested' : 'open';
        console.log(`#${letter.id}  ${letter.group}  ${letter.event.topic}  event ${letter.event.id} (key ${letter.event.key})  ${state}`);
        console.log(`    ${letter.attempts} attempt(s), last ${letter.failedAt.toISOString()}: ${letter.error.split('\n')[0]}`);
      }
      return 0;
    }
    case 'replay': {
      if (!values.group && ids.length === 0) break;
      const count = await requestReplay(db, { group: values.group, ids: ids.length ? ids : undefined });
      console.log(`${count} dead letter(s) handed back to their consumers`);
      return 0;
    }
    case 'discard': {
      if (ids.length === 0) break;
      console.log(`${await discardDeadLetters(db, ids)} dead letter(s) discarded`);
      return 0;
    }
  }
  console.error(usage);
  return 2;
});
process.exitCode = exitCode;
