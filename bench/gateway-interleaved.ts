/**
 * A/B(/C...) of our gateway across checkouts, interleaved: every checkout's
 * gateway runs at once over the same subgraphs, and short load runs go to
 * each in turn, round after round, so that a shared machine's changing load
 * falls on all alike. Prints each round's gateway CPU ms/request and the
 * ratio to the first checkout, then the sums.
 *
 *   BENCH_AB_ROOTS=/wt/base,/wt/x,. node --import tsx bench/gateway-interleaved.ts \
 *     --rounds 4 --seconds 3 --vus 8 --operations lookup,courseList
 */
import { startBenchStack } from './gateway/bench-stack.js';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../platform/database/embedded-postgres.js';
import { GATEWAYS } from './gateway/gateways.js';
import { OPERATIONS, planRequest, type OperationName } from './gateway/operations.js';
import { startProductionEnv } from './gateway/production-env.js';
import { createScratch, runLoadProcess, startDatabase, waitUntil, type Service } from './gateway/services.js';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1]! : fallback;
};
const rounds = Number(arg('--rounds', '4'));
const seconds = Number(arg('--seconds', '3'));
const vus = Number(arg('--vus', '8'));
const operations = arg('--operations', 'lookup,courseList').split(',') as OperationName[];
const roots = (process.env.BENCH_AB_ROOTS ?? '')
  .split(',')
  .filter(Boolean)
  .map((root) => path.resolve(root));
if (roots.length < 2) throw new Error('BENCH_AB_ROOTS: two or more checkouts, the first the reference');

const print = (line: string) => console.log(line);
const load = os.loadavg;

const scratch = createScratch();
const database = await startDatabase(scratch, print);
const services: Service[] = [];
const production = await startProductionEnv();
try {
  const { fixture, fixturePath, subgraphs, supergraphPath, meter } = await startBenchStack(scratch, database.url, production, print);
  services.push(...subgraphs.services);
  const run = (url: string, operation: OperationName, s: number) => runLoadProcess({ url, operation, fixturePath, vus, seconds: s, maxRequests: 200_000 });

  const gateways: { label: string; url: string; pid: number }[] = [];
  for (const [index, root] of roots.entries()) {
    const port = await freePort();
    process.env.BENCH_BASELINE_ROOT = root;
    const service = GATEWAYS['ours-baseline'].start({
      scratch,
      port,
      processes: 1,
      subgraphUrls: subgraphs.urls,
      supergraphPath,
      databaseUrl: database.url,
      env: production.env,
    });
    services.push(service);
    const url = `http://127.0.0.1:${port}/graphql`;
    const probe = planRequest('lookup', fixture);
    await waitUntil(service, async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${probe.token}` },
        body: JSON.stringify({ query: OPERATIONS.lookup.query, variables: probe.variables }),
        signal: AbortSignal.timeout(5000),
      });
      return response.status < 500 && (await response.text()).includes('"data"');
    });
    gateways.push({ label: `${index}:${path.basename(root)}`, url, pid: service.child.pid! });
    print(`started ${gateways.at(-1)!.label}`);
  }
  // Warm every gateway (JIT, caches) and the subgraphs before measuring.
  for (const gateway of gateways) for (const operation of operations) await run(gateway.url, operation, 2);

  const sums = new Map<string, { cpu: number; requests: number }>();
  for (let round = 0; round < rounds; round++) {
    // Alternate the order each round: neither side always runs first.
    const order = round % 2 === 0 ? gateways : [...gateways].reverse();
    for (const operation of operations) {
      const perGateway = new Map<string, number>();
      for (const gateway of order) {
        const before = await meter.read(gateway.pid);
        const result = await run(gateway.url, operation, seconds);
        const after = await meter.read(gateway.pid);
        const cpu = after.gateway! - before.gateway!;
        const key = `${operation} ${gateway.label}`;
        const sum = sums.get(key) ?? { cpu: 0, requests: 0 };
        sum.cpu += cpu;
        sum.requests += result.requests;
        sums.set(key, sum);
        perGateway.set(gateway.label, result.requests > 0 ? cpu / result.requests : Number.NaN);
      }
      const reference = perGateway.get(gateways[0]!.label)!;
      print(
        `round ${round + 1} ${operation} (load ${load()[0]!.toFixed(1)}): ${gateways.map((g) => `${g.label} ${perGateway.get(g.label)!.toFixed(3)} (${(perGateway.get(g.label)! / reference).toFixed(2)})`).join('  ')}`,
      );
    }
  }
  for (const operation of operations) {
    const reference = sums.get(`${operation} ${gateways[0]!.label}`)!;
    print(
      `sum ${operation}: ${gateways
        .map((g) => {
          const sum = sums.get(`${operation} ${g.label}`)!;
          return `${g.label} ${(sum.cpu / sum.requests).toFixed(3)} ms/req over ${sum.requests} (${(sum.cpu / sum.requests / (reference.cpu / reference.requests)).toFixed(2)})`;
        })
        .join('  ')}`,
    );
  }
} finally {
  await Promise.allSettled(services.map((service) => service.stop()));
  await database.stop?.();
}
process.exit(0);
