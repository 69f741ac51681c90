/**
 * A/B(/C...) of our gateway across checkouts, interleaved: every checkout's
 * gateway runs at once over the same subgraphs, and short load runs go to
 * each in turn, round after round, so that a shared machine's changing load
 * falls on all alike. Prints each round's gateway CPU ms/request and the
 * ratio to the first checkout, then the sums (bench/gateway/interleave.ts).
 * bench/subgraphs-interleaved.ts gives each checkout its own subgraphs too.
 *
 *   BENCH_AB_ROOTS=/wt/base,/wt/x,. node --import tsx bench/gateway-interleaved.ts \
 *     --rounds 4 --seconds 3 --vus 8 --operations lookup,courseList [--form dist|tsx]
 *
 * Each gateway runs compiled as production runs it (its checkout's own build,
 * bench/gateway/checkout-code.ts), or through tsx where a checkout has no build
 * script or its entry ends in `@tsx` (`BENCH_AB_ROOTS=.@tsx,.@dist`: one checkout
 * both ways); the subgraphs are this checkout's, compiled.
 */
import { startBenchStack } from './gateway/bench-stack.js';
import { REPO_ROOT } from '../platform/paths.js';
import { checkoutCode } from './gateway/checkout-code.js';
import { checkoutLabel, interleave, interleaveOptions, prepareCheckouts, startGatewayAt, type Contender } from './gateway/interleave.js';
import type { CpuMeter } from './gateway/cpu-meter.js';
import { startProductionEnv } from './gateway/production-env.js';
import { createScratch, startDatabase, type Service } from './gateway/services.js';

const options = interleaveOptions(process.argv.slice(2));
const print = (line: string) => console.log(line);

const codes = await prepareCheckouts(options.checkouts, print);
const subgraphCode = await checkoutCode(REPO_ROOT, 'dist', print);
print(`the subgraphs run ${subgraphCode.description}`);
const scratch = createScratch();
const database = await startDatabase(scratch, print);
const services: Service[] = [];
const production = await startProductionEnv();
let meter: CpuMeter | undefined;
try {
  const stack = await startBenchStack(scratch, database.url, production, print, subgraphCode);
  const { fixture, fixturePath, subgraphs, supergraphPath } = stack;
  meter = stack.meter;
  services.push(...subgraphs.services);
  const contenders: Contender[] = [];
  for (const [index, checkout] of options.checkouts.entries()) {
    const { service, url } = await startGatewayAt(codes[index]!, `gateway-${index}`, {
      scratch,
      subgraphUrls: subgraphs.urls,
      supergraphPath,
      databaseUrl: database.url,
      env: production.env,
      fixture,
    });
    services.push(service);
    const pid = service.child.pid!;
    contenders.push({ label: checkoutLabel(checkout, index), url, read: async () => ({ gateway: (await stack.meter.read(pid)).gateway! }) });
    print(`started ${contenders.at(-1)!.label}`);
  }
  await interleave(contenders, { ...options, fixturePath, roles: ['gateway'], print });
} finally {
  // Whatever is connected to the scratch database closes before it is dropped, however the run ended:
  // DROP DATABASE ... WITH (FORCE) ends the sessions still there, and a client of this process told so
  // (57P01) throws an unhandled 'error' that kills the process, hiding how the run went.
  await Promise.allSettled(services.map((service) => service.stop()));
  await meter?.close();
  await production.stop();
  await database.stop();
}
process.exit(0);
