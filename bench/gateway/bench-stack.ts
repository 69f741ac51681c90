/**
 * What every gateway benchmark stands on: a migrated database seeded with
 * the bench data, a token per seeded admin from the Passport double, the
 * fixture the load generator reads (prepareBenchData), then the five
 * subgraphs started as separate processes, the supergraph file over them,
 * and a CPU meter of the subgraphs and PostgreSQL (startBenchSubgraphs).
 * A bench run holds them through with-bench-stack.ts.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { prepareDatabase } from '../../platform/bootstrap/prepare-database.js';
import { loadConfig, SUBGRAPH_NAMES } from '../../platform/config.js';
import { closePools } from '../../platform/database/connection.js';
import { createLogger } from '../../platform/logger.js';
import { SUBGRAPH_MODULES } from '../../subgraphs/registry.js';
import { DEFAULT_BENCH_DATA, generateBenchData } from './bench-data.js';
import { startCpuMeter } from './cpu-meter.js';
import { buildFixture } from './operations.js';
import { writeSupergraph } from './peers/supergraph-file.js';
import type { ProductionEnv } from './production-env.js';
import { seedBenchData } from './seed-bench-data.js';
import { startSubgraphs, type Scratch, type SubgraphCheckout } from './services.js';

/** Environment of the subgraph processes (beside production's): quiet, no background jobs, and accepting peers' bearer tokens. */
const SUBGRAPH_ENV = {
  LOG_LEVEL: 'warn',
  REQUIRE_GATEWAY_SIGNATURE: 'false',
  MOODLE_SCHEMA: 'moodle',
  MOODLE_PROVISION: 'true',
  MEET_RECONCILE_INTERVAL_SECONDS: '0',
  CALENDAR_CONSUME_EVENTS: 'false',
  CALENDAR_SYNC_INTERVAL_SECONDS: '0',
  DOCUMENTS_JOB_INTERVAL_SECONDS: '0',
  DOCUMENTS_INDEX_CONTENT: 'false',
};

/** The seeded database, tokens and fixture; `subgraphEnv` is what every subgraph process of the bench runs with. */
export async function prepareBenchData(scratch: Scratch, databaseUrl: string, production: ProductionEnv, print: (line: string) => void) {
  const files = path.join(scratch.dir, 'files');
  const subgraphEnv = { ...production.env, ...SUBGRAPH_ENV, DOCUMENTS_STORAGE_DIR: files };
  const config = loadConfig({ ...process.env, ...subgraphEnv, DATABASE_URL: databaseUrl });
  const modules = await Promise.all(SUBGRAPH_NAMES.map((name) => SUBGRAPH_MODULES[name]!()));
  print('gateway bench: migrating a fresh database');
  await prepareDatabase({ config, databaseUrl, log: createLogger('bench', 'warn') }, modules, { seed: false });
  const now = new Date();
  const companies = generateBenchData({ ...DEFAULT_BENCH_DATA, now });
  print('gateway bench: seeding');
  const counts = await seedBenchData(config, databaseUrl, companies, now, print);
  await closePools();

  const tokens = await Promise.all(
    companies.map((company) =>
      Promise.all(
        company.admins.map((admin) =>
          production.sign({
            userId: `passport-${admin.id}`,
            companyId: company.id,
            roles: admin.roles,
            name: `${admin.firstname} ${admin.lastname}`,
            email: `${admin.username}@bench.example`,
            moodleUserId: admin.id,
          }),
        ),
      ),
    ),
  );
  const fixture = buildFixture(companies, tokens, now, config.livekit.url);
  const fixturePath = path.join(scratch.dir, 'fixture.json');
  writeFileSync(fixturePath, JSON.stringify(fixture));
  return { config, counts, fixture, fixturePath, subgraphEnv };
}

/** The five subgraphs of one checkout, in its form, on `databaseUrl`, the supergraph over them, and the CPU meter. */
export async function startBenchSubgraphs(scratch: Scratch, databaseUrl: string, subgraphEnv: Record<string, string>, print: (line: string) => void, checkout: SubgraphCheckout) {
  print(`gateway bench: starting the five subgraphs of ${checkout.code.root}, ${checkout.code.form === 'dist' ? 'compiled' : 'through tsx'}`);
  const subgraphs = await startSubgraphs(scratch, databaseUrl, subgraphEnv, checkout);
  const supergraphPath = path.join(scratch.dir, `${checkout.label}supergraph.graphql`);
  writeSupergraph(supergraphPath, subgraphs.urls);
  const meter = await startCpuMeter(Object.fromEntries(SUBGRAPH_NAMES.map((name, index) => [name, subgraphs.services[index]!.child.pid!])), databaseUrl);
  return { subgraphs, supergraphPath, meter };
}
