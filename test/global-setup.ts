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
import { ensureInstalledTestTools } from './support/test-tools.js';

export const TEMPLATE_EMPTY = 'bheem_template';
export const TEMPLATE_SEEDED = 'bheem_template_seeded';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function recreate(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

async function dropStaleTestDatabases(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'bheem_test_%'`);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
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
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    embedded = await startEmbeddedPostgres(`${process.cwd()}/.data/test`);
    serverUrl = embedded.url('postgres');
  }
  await dropStaleTestDatabases(serverUrl);
  const config = loadConfig({ ...process.env, DATABASE_URL: serverUrl });
  const log = createLogger('test-setup', 'warn');
  const modules = await Promise.all(SUBGRAPH_NAMES.filter((name) => SUBGRAPH_MODULES[name]).map((name) => SUBGRAPH_MODULES[name]!()));
  for (const [template, seed] of [[TEMPLATE_EMPTY, false], [TEMPLATE_SEEDED, true]] as const) {
    await recreate(serverUrl, template);
    const databaseUrl = withDatabase(serverUrl, template);
    await prepareDatabase({ config: loadConfig({ ...process.env, DATABASE_URL: databaseUrl }), databaseUrl, log }, modules, { seed });
  }
  await closePools(); // a template must have no open connections to be cloned
  void config;
  project.provide('databaseServerUrl', serverUrl);
  return async () => {
    await embedded?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseServerUrl: string;
  }
}
