/**
 * Our gateway against its peers, side by side in one run: the subgraphs
 * start once on a seeded database (hundreds of courses, thousands of live
 * classes, events and documents), then each gateway in turn serves the same
 * four operations, warmed up, under the same load (50 virtual users by
 * default), every request a different user and course, every answer checked.
 * Figures per gateway and operation: requests/s, p50/p95/p99, errors
 * (wrong answers included) and the gateway's own CPU time per request (user +
 * system of its processes over the run, from /proc). Plus the lookup at one
 * virtual user, against calling the owning subgraph directly: the gateway's
 * overhead without queueing.
 *
 *   npm run bench -- --only gateway [--gateways ours,apollo] [--processes 2]
 *     [--seconds 10] [--warmup 15] [--vus 50] [--operations lookup,coursePage]
 *     [--form dist|tsx] [--node 24.22.3|machine]
 *
 * Our gateway and the subgraphs run compiled, as production runs them
 * (`--form dist`, the default: the checkout compiled once per version of its
 * sources as `npm run build` does, `node <build>/gateway/main.js`,
 * bench/gateway/checkout-code.ts); `--form tsx` runs the TypeScript through
 * tsx instead. The report says which form ran, and under which Node.js: the
 * image's (the Dockerfile's FROM node:<version>) unless `--node <version>|machine`
 * says otherwise (BENCH_NODE; bench/gateway/node-runtime.ts). Node peers run on the machine's.
 *
 * Subgraphs run with REQUIRE_GATEWAY_SIGNATURE=false so that the peers, who
 * cannot sign our identity header, can forward the caller's bearer token;
 * ours still signs (so its figures include that cost).
 *
 * Our gateway runs with production's V8 flags (gateway/node-flags.ts), the
 * peers with Node's defaults; BENCH_PEER_NODE_FLAGS gives the peers flags too
 * (e.g. the same as ours), BENCH_OUR_NODE_FLAGS replaces ours.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../platform/database/embedded-postgres.js';
import { REPO_ROOT } from '../platform/paths.js';
import { DEFAULT_GATEWAY_IDS, GATEWAY_IDS, GATEWAYS, nodeFlags, type GatewayId } from './gateway/gateways.js';
import type { LoadJob } from './gateway/load-worker.js';
import { waitUntilAnswering } from './gateway/gateway-ready.js';
import { applyNodeOption } from './gateway/node-runtime.js';
import { OPERATION_NAMES, type OperationName } from './gateway/operations.js';
import { checkoutCode, parseForm, type CodeForm } from './gateway/checkout-code.js';
import { cpuPerRequest } from './gateway/cpu-meter.js';
import { formatRatios, formatTable, ratios, type RunFigures } from './gateway/report.js';
import { readSubgraphRequests, requestsPerOperation } from './gateway/subgraph-requests.js';
import { runLoadProcess } from './gateway/services.js';
import { withBenchStack } from './gateway/with-bench-stack.js';

export interface GatewayBenchOptions {
  gateways: GatewayId[];
  operations: OperationName[];
  processes: number;
  vus: number;
  seconds: number;
  warmupSeconds: number;
  /** Request budget per run (the run also stops at `seconds`). */
  maxRequests: number;
  /** Our gateway's and the subgraphs' form: compiled as production (`dist`) or `tsx`. */
  form: CodeForm;
  print: (line: string) => void;
}

export interface GatewayBenchResult {
  startedAt: string;
  machine: { cpus: number; model: string; memoryGb: number; node: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  options: Omit<GatewayBenchOptions, 'print'>;
  /** V8 flags of our gateway's process (production's, gateway/node-flags.ts) and of the peers'. */
  nodeFlags: { ours: string[]; peers: string[] };
  /** What ran for our code (the subgraphs and our gateway): its form, and how. */
  code: { form: CodeForm; description: string; node: string };
  data: Record<string, number>;
  gateways: Record<string, { label: string; notes: string }>;
  runs: RunFigures[];
  ratios: ReturnType<typeof ratios>;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function runGatewayBench(partial: Partial<GatewayBenchOptions> = {}): Promise<GatewayBenchResult> {
  const options: GatewayBenchOptions = {
    gateways: [...DEFAULT_GATEWAY_IDS],
    operations: [...OPERATION_NAMES],
    processes: 1,
    vus: 50,
    seconds: 10,
    // Long enough for V8 to finish compiling the hot paths of our gateway and the subgraphs: a
    // process in production has run for hours, and 3 s measured them partly while compiling.
    warmupSeconds: 15,
    maxRequests: 200_000,
    form: 'dist',
    print: (line) => console.log(line),
    ...partial,
  };
  const { print } = options;
  const startedAt = new Date();
  const loadAverageBefore = os.loadavg().map((value) => round(value));
  print(`gateway bench: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${loadAverageBefore.join(' ')}`);
  print(`  node flags: ours ${nodeFlags().ours.join(' ') || '(none)'}; peers ${nodeFlags().peers.join(' ') || '(none)'}`);
  print(
    `  gateways ${options.gateways.join(', ')}; ${options.processes} process(es) each; ${options.vus} virtual users; ${options.warmupSeconds} s warm-up + ${options.seconds} s per run`,
  );

  // Compiled before anything starts (at most once per version of the sources), so that a build error ends the run at once.
  const code = await checkoutCode(REPO_ROOT, options.form, print);
  print(`  our gateway and the subgraphs run ${code.description}`);
  const nodePeers = options.gateways.filter((id) => id === 'apollo' || id.startsWith('hive'));
  if (nodePeers.length > 0) print(`  ${nodePeers.join(', ')} run on the same Node.js as ours, ${code.node.version}`);

  return withBenchStack(print, async (stack) => {
    const { scratch, database, production, services } = stack;
    const { config, counts, fixture, fixturePath } = stack.data;
    const { subgraphs, supergraphPath, meter } = await stack.startSubgraphs(database.url, { code, label: '' });
    const runs: RunFigures[] = [];
    const load = (url: string, operation: OperationName, vus: number, seconds: number, direct?: LoadJob['direct']) =>
      runLoadProcess({ url, operation, fixturePath, vus, seconds, maxRequests: options.maxRequests, direct });

    // The baseline: the owning subgraph called directly, identity signed by the load generator.
    if (options.operations.includes('lookup')) {
      const direct = { audience: 'academy', secret: config.internalSigningSecret };
      await load(subgraphs.urls.academy, 'lookup', options.vus, options.warmupSeconds, direct);
      const single = await load(subgraphs.urls.academy, 'lookup', 1, Math.max(3, options.seconds / 2), direct);
      runs.push({
        gateway: 'direct',
        operation: 'lookup',
        vus: 1,
        status: 'ok',
        requests: single.requests,
        errors: single.errors,
        errorSamples: single.samples,
        requestsPerSecond: round(single.requests / single.seconds),
        latencyMs: single.latencyMs,
        cpuMsPerRequest: null,
      });
      print(`  subgraph directly, lookup at 1 VU: p50 ${single.latencyMs.p50} ms, p99 ${single.latencyMs.p99} ms, ${single.errors} errors`);
    }

    // A pass before any measurement, through the first gateway, so that the subgraphs' code is hot
    // for every gateway alike (otherwise whoever runs first pays for the subgraphs' JIT warm-up).
    let subgraphsWarm = false;
    for (const id of [options.gateways[0]!, ...options.gateways]) {
      const spec = GATEWAYS[id];
      const warmingOnly = !subgraphsWarm;
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/graphql`;
      print(`gateway bench: ${spec.label}`);
      try {
        await spec.prepare?.(print, options.form);
      } catch (error) {
        print(`  could not prepare: ${(error as Error).message}`);
        continue;
      }
      const service = await spec.start({
        scratch,
        port,
        processes: options.processes,
        subgraphUrls: subgraphs.urls,
        supergraphPath,
        databaseUrl: database.url,
        env: production.env,
        form: options.form,
      });
      services.push(service);
      try {
        await waitUntilAnswering(service, url, fixture);
      } catch (error) {
        const reason = (error as Error).message;
        print(`  could not run: ${reason}`);
        for (const operation of warmingOnly ? [] : options.operations) {
          runs.push({
            gateway: id,
            operation,
            vus: options.vus,
            status: 'failed-to-start',
            reason,
            requests: 0,
            errors: 0,
            errorSamples: [],
            requestsPerSecond: 0,
            latencyMs: { p50: 0, p95: 0, p99: 0, max: 0 },
            cpuMsPerRequest: null,
          });
        }
        await service.stop();
        continue;
      }
      if (warmingOnly) {
        print('  (warming the subgraphs up: not measured)');
        for (const operation of options.operations) await load(url, operation, options.vus, Math.max(5, options.warmupSeconds));
        subgraphsWarm = true;
        await service.stop();
        continue;
      }
      const pid = service.child.pid!;
      for (const operation of options.operations) {
        await load(url, operation, options.vus, options.warmupSeconds);
        const wholeBefore = await meter.read(pid);
        const requestsBefore = await readSubgraphRequests(subgraphs.urls);
        const result = await load(url, operation, options.vus, options.seconds);
        const wholeRequest = cpuPerRequest(wholeBefore, await meter.read(pid), result.requests);
        const subgraphRequests = requestsPerOperation(requestsBefore, await readSubgraphRequests(subgraphs.urls), result.requests);
        const figures: RunFigures = {
          gateway: id,
          operation,
          vus: options.vus,
          status: 'ok',
          requests: result.requests,
          errors: result.errors,
          errorSamples: result.samples,
          requestsPerSecond: round(result.requests / result.seconds, 1),
          latencyMs: result.latencyMs,
          cpuMsPerRequest: result.requests > 0 ? wholeRequest.gateway! : null,
          wholeRequestCpuMs: wholeRequest,
          subgraphRequests,
        };
        runs.push(figures);
        print(
          `  ${operation}: ${figures.requestsPerSecond} req/s, p50 ${result.latencyMs.p50} / p95 ${result.latencyMs.p95} / p99 ${result.latencyMs.p99} ms, ${result.errors} errors, ${figures.cpuMsPerRequest} ms CPU/request`,
        );
        print(
          `    CPU ms/request of the whole request: ${Object.entries(wholeRequest)
            .map(([role, ms]) => `${role} ${ms}`)
            .join(', ')}`,
        );
        print(
          `    subgraph requests per operation: ${Object.entries(subgraphRequests)
            .map(([name, count]) => `${name} ${count}`)
            .join(', ')}`,
        );
        if (result.samples.length > 0) print(`    first wrong answer: ${result.samples[0]}`);
      }
      if (options.operations.includes('lookup')) {
        const single = await load(url, 'lookup', 1, Math.max(3, options.seconds / 2));
        runs.push({
          gateway: id,
          operation: 'lookup',
          vus: 1,
          status: 'ok',
          requests: single.requests,
          errors: single.errors,
          errorSamples: single.samples,
          requestsPerSecond: round(single.requests / single.seconds, 1),
          latencyMs: single.latencyMs,
          cpuMsPerRequest: null,
        });
        print(`  lookup at 1 VU: p50 ${single.latencyMs.p50} ms, p99 ${single.latencyMs.p99} ms`);
      }
      await service.stop();
    }

    const result: GatewayBenchResult = {
      startedAt: startedAt.toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model ?? '?',
        memoryGb: round(os.totalmem() / 1024 ** 3, 1),
        node: process.version,
        loadAverageBefore,
        loadAverageAfter: os.loadavg().map((value) => round(value)),
      },
      options: {
        gateways: options.gateways,
        operations: options.operations,
        processes: options.processes,
        vus: options.vus,
        seconds: options.seconds,
        warmupSeconds: options.warmupSeconds,
        maxRequests: options.maxRequests,
        form: options.form,
      },
      nodeFlags: nodeFlags(),
      code: { form: code.form, description: code.description, node: code.node.version },
      data: { ...counts },
      gateways: Object.fromEntries(options.gateways.map((id) => [id, { label: GATEWAYS[id].label, notes: GATEWAYS[id].notes }])),
      runs,
      ratios: ratios(runs),
    };
    for (const line of [...formatTable(runs), ...formatRatios(result.ratios)]) print(line);
    const file = path.join(REPO_ROOT, 'bench/results', `gateway-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    print('');
    print(`gateway bench: our gateway and the subgraphs ran ${code.description}`);
    print(`gateway bench: load average after ${result.machine.loadAverageAfter.join(' ')}; figures in ${path.relative(REPO_ROOT, file)}`);
    return result;
  });
}

/** Options from command-line flags (`--gateways a,b --processes 2 ...`). */
export function gatewayBenchOptions(argv: string[]): Partial<GatewayBenchOptions> {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const list = <T extends string>(flag: string, allowed: readonly T[]): T[] | undefined => {
    const raw = value(flag);
    if (!raw) return undefined;
    const items = raw.split(',').map((item) => item.trim()) as T[];
    for (const item of items) if (!allowed.includes(item)) throw new Error(`${flag}: unknown "${item}" (one of ${allowed.join(', ')})`);
    return items;
  };
  const number = (flag: string) => (value(flag) === undefined ? undefined : Number(value(flag)));
  const options: Partial<GatewayBenchOptions> = {
    gateways: list('--gateways', GATEWAY_IDS),
    operations: list('--operations', OPERATION_NAMES),
    processes: number('--processes'),
    vus: number('--vus'),
    seconds: number('--seconds'),
    warmupSeconds: number('--warmup'),
    form: value('--form') === undefined ? undefined : parseForm(value('--form')),
  };
  return Object.fromEntries(Object.entries(options).filter(([, item]) => item !== undefined));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  applyNodeOption(process.argv.slice(2));
  runGatewayBench(gatewayBenchOptions(process.argv.slice(2))).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
