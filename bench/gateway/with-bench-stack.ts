/**
 * The lifetime of a bench run's stack: a scratch folder, a database (embedded
 * or BENCH_DATABASE_URL's), the production environment (its Passport double),
 * the seeded bench data, then whatever the run starts on them (copies of the
 * database, subgraphs, gateways, CPU meters), all stopped at the end however
 * the run ended. Used by the entry points of bench/ that stand a stack up.
 */
import { closePools } from '../../platform/database/connection.js';
import { prepareBenchData, startBenchSubgraphs } from './bench-stack.js';
import type { CpuMeter } from './cpu-meter.js';
import { startProductionEnv, type ProductionEnv } from './production-env.js';
import { copyDatabase, createScratch, startDatabase, type BenchDatabase, type Scratch, type Service, type SubgraphCheckout } from './services.js';

export interface BenchStack {
  scratch: Scratch;
  /** The seeded database. */
  database: BenchDatabase;
  production: ProductionEnv;
  data: Awaited<ReturnType<typeof prepareBenchData>>;
  /** Processes to stop at the end (the run may stop them earlier). */
  services: Service[];
  /** Meters to close at the end. */
  meters: CpuMeter[];
  /** A copy of the seeded database (one per checkout, so that PostgreSQL's backends are counted per checkout), dropped at the end. */
  copyDatabase: (suffix: string) => Promise<BenchDatabase>;
  /** The five subgraphs of a checkout on `databaseUrl`, the supergraph over them and their CPU meter (startBenchSubgraphs), stopped at the end. */
  startSubgraphs: (databaseUrl: string, checkout: SubgraphCheckout) => ReturnType<typeof startBenchSubgraphs>;
}

export async function withBenchStack<T>(print: (line: string) => void, run: (stack: BenchStack) => Promise<T>): Promise<T> {
  const scratch = createScratch();
  const database = await startDatabase(scratch, print);
  const production = await startProductionEnv();
  const services: Service[] = [];
  const meters: CpuMeter[] = [];
  const copies: BenchDatabase[] = [];
  try {
    const data = await prepareBenchData(scratch, database.url, production, print);
    return await run({
      scratch,
      database,
      production,
      data,
      services,
      meters,
      copyDatabase: async (suffix) => {
        const copy = await copyDatabase(database.url, suffix);
        copies.push(copy);
        return copy;
      },
      startSubgraphs: async (databaseUrl, checkout) => {
        const started = await startBenchSubgraphs(scratch, databaseUrl, data.subgraphEnv, print, checkout);
        services.push(...started.subgraphs.services);
        meters.push(started.meter);
        return started;
      },
    });
  } finally {
    // Whatever is connected to a scratch database closes before it is dropped, however the run ended:
    // DROP DATABASE ... WITH (FORCE) ends the sessions still there, and a client of this process told so
    // (57P01) throws an unhandled 'error' that kills the process, hiding how the run went.
    await Promise.allSettled(meters.map((meter) => meter.close()));
    await Promise.allSettled(services.map((service) => service.stop()));
    for (const copy of copies) await copy.stop().catch(() => {});
    await closePools();
    await production.stop();
    await database.stop();
  }
}
