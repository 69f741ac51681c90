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
import { REPO_ROOT } from '../platform/paths.js';
import { checkoutCode } from './gateway/checkout-code.js';
import { checkoutLabel, interleave, interleaveOptions, prepareCheckouts, startGatewayAt, type Contender } from './gateway/interleave.js';
import { withBenchStack } from './gateway/with-bench-stack.js';

const options = interleaveOptions(process.argv.slice(2));
const print = (line: string) => console.log(line);

const codes = await prepareCheckouts(options.checkouts, print);
const subgraphCode = await checkoutCode(REPO_ROOT, 'dist', print);
print(`the subgraphs run ${subgraphCode.description}`);
await withBenchStack(print, async (stack) => {
  const { fixture, fixturePath } = stack.data;
  const { subgraphs, supergraphPath, meter } = await stack.startSubgraphs(stack.database.url, { code: subgraphCode, label: '' });
  const contenders: Contender[] = [];
  for (const [index, checkout] of options.checkouts.entries()) {
    const { service, url } = await startGatewayAt(codes[index]!, `gateway-${index}`, {
      scratch: stack.scratch,
      subgraphUrls: subgraphs.urls,
      supergraphPath,
      databaseUrl: stack.database.url,
      env: stack.production.env,
      fixture,
    });
    stack.services.push(service);
    const pid = service.child.pid!;
    contenders.push({ label: checkoutLabel(checkout, index), url, read: async () => ({ gateway: (await meter.read(pid)).gateway! }) });
    print(`started ${contenders.at(-1)!.label}`);
  }
  await interleave(contenders, { ...options, fixturePath, roles: ['gateway'], print });
});
process.exit(0);
