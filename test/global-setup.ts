/**
 * Once per test run: a real PostgreSQL (DATABASE_URL's server, or an embedded
 * one under .data/test-postgres), and two template databases that test files
 * clone from: `bheem_template` (migrated, empty) and `bheem_template_seeded`
 * (migrated, demo data).
 */
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { loadConfig, SUBGRAPH_NAMES } from '../platform/config.js';
import { closePools } from '../platform/database/connection.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../platform/database/embedded-postgres.js';
import { prepareDatabase } from '../platform/bootstrap/prepare-database.js';
import { createLogger } from '../platform/logger.js';
import { SUBGRAPH_MODULES } from '../subgraphs/registry.js';
import { dropDatabase, dropDatabases, DropTimeoutError } from './support/database-drop.js';
import { ensureInstalledTestTools } from './support/test-tools.js';
import { ensureWebBuild } from '../scripts/lib/ensure-web-build.js';

// Names carry this run's pid, so that several test runs on one machine (and one server) never collide.
const RUN = `r${process.pid}`;
const TEMPLATE_EMPTY = `bheem_tpl_${RUN}_empty`;
const TEMPLATE_SEEDED = `bheem_tpl_${RUN}_seeded`;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function recreate(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await dropDatabase(client, database);
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Drops databases left by runs that died (their pid is gone) or by this run; never another live run's. Bounded like a
 * test file's drop (support/database-drop.ts): when one does not end, fails naming the blocked writer and what is left.
 */
async function dropDatabasesOfDeadRuns(serverUrl: string, includeOwn: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^bheem_(test|tpl)_r[0-9]+_'`);
    const names = rows
      .map(({ datname }) => datname)
      .filter((datname) => {
        const pid = Number(datname.match(/_r(\d+)_/)![1]);
        return (includeOwn && pid === process.pid) || (pid !== process.pid && !processAlive(pid));
      });
    await dropDatabases(client, names);
  } finally {
    await client.end();
  }
}

let embedded: EmbeddedServer | undefined;

export default async function setup(project: TestProject) {
  // As in vitest.config.ts `env` (which global setup does not see): Moodle's tables provisioned in schema `moodle`.
  process.env.MOODLE_SCHEMA ??= 'moodle';
  process.env.MOODLE_PROVISION ??= 'true';
  await ensureInstalledTestTools();
  // Once for the run, before any file: two test files building web/dist at once would empty each other's output.
  // A failure (no network for web/'s first npm ci) fails only the tests that need the pages, with this reason.
  try {
    await ensureWebBuild();
  } catch (error) {
    console.error(`web/dist could not be built, so the browser and page tests will fail: ${(error as Error).message}`);
  }
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    // A cluster of this run's own, thrown away at the end.
    embedded = await startEmbeddedPostgres(`${process.cwd()}/.data/test/${RUN}`, () => {}, { ephemeral: true });
    serverUrl = embedded.url('postgres');
  }
  // Another run's leftovers, and a later run drops what this one could not: a drop that does not end only warns here.
  await dropDatabasesOfDeadRuns(serverUrl, false).catch((error: unknown) => {
    if (!(error instanceof DropTimeoutError)) throw error;
    console.warn(`test set-up: ${error.message}; left for a later run`);
  });
  const log = createLogger('test-setup', 'warn');
  const modules = await Promise.all(SUBGRAPH_NAMES.filter((name) => SUBGRAPH_MODULES[name]).map((name) => SUBGRAPH_MODULES[name]!()));
  for (const [template, seed] of [
    [TEMPLATE_EMPTY, false],
    [TEMPLATE_SEEDED, true],
  ] as const) {
    await recreate(serverUrl, template);
    const databaseUrl = withDatabase(serverUrl, template);
    await prepareDatabase({ config: loadConfig({ ...process.env, DATABASE_URL: databaseUrl }), databaseUrl, log }, modules, { seed });
  }
  await closePools(); // a template must have no open connections to be cloned
  project.provide('databaseServerUrl', serverUrl);
  project.provide('templateDatabases', { empty: TEMPLATE_EMPTY, seeded: TEMPLATE_SEEDED, prefix: `bheem_test_${RUN}_` });
  return async () => {
    if (embedded) await embedded.stop();
    else await dropDatabasesOfDeadRuns(serverUrl, true);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseServerUrl: string;
    templateDatabases: { empty: string; seeded: string; prefix: string };
  }
}
