/**
 * `npm run -s token -- --user <username|id> [--role <role>]... [--ttl <seconds>]`
 * prints a dev token for a seeded user, alone on stdout.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../platform/config.js';
import { resolveDatabase } from '../platform/bootstrap/resolve-database.js';
import { closePools } from '../platform/database/connection.js';
import { createLogger } from '../platform/logger.js';
import { devTokenFor } from './lib/dev-token.js';

const { values } = parseArgs({
  options: { user: { type: 'string', short: 'u' }, role: { type: 'string', short: 'r', multiple: true }, ttl: { type: 'string' } },
});
if (!values.user) {
  console.error('Usage: npm run -s token -- --user <moodle username or id> [--role admin|manager|employee|teacher|student]... [--ttl seconds]');
  process.exit(2);
}
const config = loadConfig();
const log = createLogger('token', 'warn');
const database = await resolveDatabase(config, log);
try {
  const { token } = await devTokenFor(config, database.url, values.user, {
    roles: values.role,
    ttlSeconds: values.ttl ? Number(values.ttl) : undefined,
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  const missingTables = (error as { code?: string }).code === '42P01';
  console.error(missingTables ? 'The database has no demo data yet: run `npm start` (or `npm run migrate`) first.' : (error as Error).message);
  process.exitCode = 1;
} finally {
  await closePools();
  await database.embedded?.stop();
}
