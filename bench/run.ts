/**
 * `npm run bench`: every benchmark of the project, one after the other, the
 * gateway's first. `--only gateway,events` runs some of them; the gateway
 * benchmark's own flags follow (see bench/gateway.ts). A benchmark whose
 * file is absent from this checkout is skipped with a note.
 *
 *   npm run bench
 *   npm run bench -- --only gateway --processes 2
 *   npm run bench -- --only gateway --node 24.22.3
 *   npm run bench -- --only gateway --node machine
 *
 * Our gateway, subgraphs and Node peers (Apollo, Hive) run under the production image's Node.js release
 * (the Dockerfile's `FROM node:<version>`), installed on first use into
 * .data/bench-cache/node/ (bench/gateway/node-runtime.ts); `--node <version>`
 * (or BENCH_NODE) picks another exact release, `--node machine` the machine's
 * node. Benchmarks that run in the bench's own process (events, calendar,
 * documents, documents-search) and the vitest ones run on the machine's node.
 *
 * `--only profile` (never part of a bare run) profiles the gateway and one
 * subgraph under the course list and prints a summary (bench/profile.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../platform/paths.js';
import { applyNodeOption } from './gateway/node-runtime.js';

interface Benchmark {
  name: string;
  file: string;
  run: (module: Record<string, unknown>, argv: string[]) => Promise<unknown>;
  /** Runs only when named in --only (not part of a bare `npm run bench`). */
  onDemand?: boolean;
  /** Runs our services under the bench's Node (image's, --node's) and prints which; the others run on the machine's. */
  benchNode?: boolean;
}

const call = (exported: string) => async (module: Record<string, unknown>) => {
  const run = module[exported];
  if (typeof run !== 'function') throw new Error(`exports no ${exported}()`);
  return run();
};

const BENCHMARKS: Benchmark[] = [
  {
    name: 'gateway',
    file: 'bench/gateway.ts',
    benchNode: true,
    run: async (module, argv) => {
      const { runGatewayBench, gatewayBenchOptions } = module as typeof import('./gateway.js');
      return runGatewayBench(gatewayBenchOptions(argv));
    },
  },
  {
    name: 'profile',
    file: 'bench/profile.ts',
    benchNode: true,
    onDemand: true,
    run: async (module, argv) => {
      const { runProfileBench, profileBenchOptions } = module as typeof import('./profile.js');
      return runProfileBench(profileBenchOptions(argv));
    },
  },
  { name: 'events', file: 'bench/events.ts', run: call('runEventsBench') },
  { name: 'calendar', file: 'bench/calendar.ts', run: call('runCalendarBench') },
  { name: 'documents', file: 'bench/documents.ts', run: call('runDocumentsBench') },
  { name: 'documents-search', file: 'bench/documents-search.ts', run: call('runDocumentsSearchBench') },
  { name: 'subscriptions', file: 'bench/subscriptions.ts', run: call('runSubscriptionsBench'), benchNode: true },
  { name: 'fuzz', file: 'bench/fuzz.ts', run: call('runFuzzBench') },
  { name: 'gateway-fuzz', file: 'bench/gateway-fuzz.ts', run: call('runGatewayFuzzBench') },
  { name: 'amplification', file: 'bench/amplification.ts', run: call('runAmplificationBench') },
];

const argv = process.argv.slice(2);
applyNodeOption(argv);
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex >= 0 ? argv[onlyIndex + 1]?.split(',').map((name) => name.trim()) : undefined;
for (const name of only ?? []) {
  if (!BENCHMARKS.some((benchmark) => benchmark.name === name)) {
    console.error(`--only: unknown benchmark "${name}" (one of ${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')})`);
    process.exit(2);
  }
}

let failed = 0;
for (const benchmark of BENCHMARKS) {
  if (only ? !only.includes(benchmark.name) : benchmark.onDemand) continue;
  const file = path.join(REPO_ROOT, benchmark.file);
  if (!existsSync(file)) {
    console.log(`\n== ${benchmark.name}: skipped (${benchmark.file} is not in this checkout)`);
    continue;
  }
  console.log(`\n== ${benchmark.name} (${benchmark.file})${benchmark.benchNode ? '' : `, on the machine's Node.js ${process.version}`}`);
  try {
    await benchmark.run((await import(pathToFileURL(file).href)) as Record<string, unknown>, argv);
  } catch (error) {
    failed++;
    console.error(`${benchmark.name} failed:`, error);
  }
}
process.exit(failed > 0 ? 1 : 0);
