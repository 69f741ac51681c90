/**
 * A/B(/C...) of the whole request across checkouts: each checkout runs its
 * own five subgraphs and its own gateway, on its own copy of one seeded
 * database (so that PostgreSQL's backends are counted per checkout), and
 * short load runs go to each in turn, round after round
 * (bench/gateway/interleave.ts). Prints per round and summed the CPU
 * ms/request of the gateway, each subgraph, PostgreSQL's backends and the
 * total, with ratios to the first checkout. For subgraph code: the
 * supergraph is this checkout's, so the checkouts must share their SDL.
 *
 *   BENCH_AB_ROOTS=/wt/base,. node --import tsx bench/subgraphs-interleaved.ts \
 *     --rounds 4 --seconds 3 --vus 8 --operations lookup,courseList [--form dist|tsx]
 * Each checkout's gateway and subgraphs run compiled as production runs them
 * (its own build, bench/gateway/checkout-code.ts), or through tsx where it has
 * no build script or its entry ends in `@tsx` (`BENCH_AB_ROOTS=.@tsx,.@dist`:
 * one checkout both ways).
 * BENCH_CPU_PROFILE_DIR=<dir> profiles every subgraph (`<dir>/<index>-subgraph-<name>/`).
 */
import { SUBGRAPH_NAMES } from '../platform/config.js';
import { checkoutLabel, interleave, interleaveOptions, prepareCheckouts, startGatewayAt, type Contender } from './gateway/interleave.js';
import { withBenchStack } from './gateway/with-bench-stack.js';

const options = interleaveOptions(process.argv.slice(2));
const print = (line: string) => console.log(line);

const codes = await prepareCheckouts(options.checkouts, print);
await withBenchStack(print, async (stack) => {
  const { fixture, fixturePath } = stack.data;
  const copies = [];
  for (const index of options.checkouts.keys()) copies.push(await stack.copyDatabase(`ab${index}`));
  const contenders: Contender[] = [];
  for (const [index, checkout] of options.checkouts.entries()) {
    const databaseUrl = copies[index]!.url;
    const code = codes[index]!;
    const { subgraphs, supergraphPath, meter } = await stack.startSubgraphs(databaseUrl, { code, label: `${index}-` });
    const { service, url } = await startGatewayAt(code, `${index}-gateway`, {
      scratch: stack.scratch,
      subgraphUrls: subgraphs.urls,
      supergraphPath,
      databaseUrl,
      env: stack.production.env,
      fixture,
    });
    stack.services.push(service);
    const pid = service.child.pid!;
    contenders.push({ label: checkoutLabel(checkout, index), url, read: () => meter.read(pid) });
    print(`started ${contenders.at(-1)!.label}`);
  }
  await interleave(contenders, { ...options, fixturePath, roles: ['gateway', ...SUBGRAPH_NAMES, 'postgres', 'total'], print });
});
process.exit(0);
