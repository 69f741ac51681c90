/**
 * A quiet CPU profile pair under one operation, read for you: our gateway
 * and one subgraph (calendar by default, or meet), both compiled and launched
 * as production runs them, profiled with `node --cpu-prof` while the course
 * list (by default) is served, then summarised: busy self time by area
 * (graphql-js, undici, JSON, GC, pg, Kysely, Apollo, Node's HTTP and streams,
 * our modules) and by function, as shares and as µs per request. Only the
 * load runs count (their time windows cut out of the profiles), not start-up
 * or warm-up.
 *
 *   npm run bench -- --only profile [--subgraph calendar|meet] [--operation courseList]
 *     [--rounds 4] [--seconds 5] [--warmup 5] [--vus 8] [--top 25] [--form dist|tsx]
 *
 * BENCH_BASELINE_ROOT=<another checkout> profiles its gateway and subgraph in
 * the same run, each checkout with its own five subgraphs, gateway and copy of
 * one seeded database (as bench/subgraphs-interleaved.ts), the load runs
 * interleaved round by round, and prints the two summaries side by side with
 * after/before per request. About 2 minutes expected on a quiet 2-core machine with a
 * baseline. The profiles and the summary stay in the folder printed at the end
 * (open a .cpuprofile in Chrome DevTools' Performance panel for the call tree).
 *
 * The profiler adds cost (about a tenth); shares between two profiles of one
 * run compare fairly, absolute figures run above the bench's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SUBGRAPH_NAMES, type SubgraphName } from '../platform/config.js';
import { REPO_ROOT } from '../platform/paths.js';
import { parseForm, type CodeForm } from './gateway/checkout-code.js';
import type { CpuMeter } from './gateway/cpu-meter.js';
import { prepareCheckouts, startGatewayAt } from './gateway/interleave.js';
import { OPERATION_NAMES, type OperationName } from './gateway/operations.js';
import { runLoadProcess, type Service } from './gateway/services.js';
import { withBenchStack } from './gateway/with-bench-stack.js';
import { formatSummaries, mainThreadProfile, readProfile, summarizeProfile, type Column, type Window } from './support/cpu-profile.js';

export interface ProfileBenchOptions {
  subgraph: SubgraphName;
  operation: OperationName;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  vus: number;
  top: number;
  form: CodeForm;
  /** Another checkout to profile beside this one (BENCH_BASELINE_ROOT). */
  baselineRoot?: string;
  print: (line: string) => void;
}

interface Side {
  heading: string;
  root: string;
  gateway?: Service;
  subgraphs: Service[];
  url?: string;
  meter?: CpuMeter;
  windows: Window[];
  requests: number;
  errors: number;
  cpuMs: { gateway: number; subgraph: number };
}

const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

function commitOf(root: string): string {
  try {
    const commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return `${commit}${dirty ? '+' : ''}`;
  } catch {
    return path.basename(root);
  }
}

export async function runProfileBench(partial: Partial<ProfileBenchOptions> = {}): Promise<string[]> {
  const options: ProfileBenchOptions = {
    subgraph: 'calendar',
    operation: 'courseList',
    rounds: 4,
    seconds: 5,
    warmupSeconds: 5,
    vus: 8,
    top: 25,
    form: 'dist',
    baselineRoot: process.env.BENCH_BASELINE_ROOT ? path.resolve(process.env.BENCH_BASELINE_ROOT) : undefined,
    print: (line) => console.log(line),
    ...partial,
  };
  const { print, subgraph, operation } = options;
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!.toFixed(1);
  const roots = [...(options.baselineRoot ? [options.baselineRoot] : []), REPO_ROOT];
  const sides: Side[] = roots.map((root, index) => ({
    heading: `${index === roots.length - 1 && roots.length > 1 ? 'after' : roots.length > 1 ? 'before' : 'this'} ${commitOf(root)}`,
    root,
    subgraphs: [],
    windows: [],
    requests: 0,
    errors: 0,
    cpuMs: { gateway: 0, subgraph: 0 },
  }));
  print(
    `profile: gateway and ${subgraph} under ${operation}, ${options.rounds} rounds of ${options.seconds} s at ${options.vus} virtual users${sides.length > 1 ? ' per checkout, interleaved' : ''}; load average ${loadBefore}`,
  );
  const codes = await prepareCheckouts(
    roots.map((root) => ({ root, form: options.form })),
    print,
  );
  const profileDir = mkdtempSync(path.join(os.tmpdir(), 'bheem-profile-'));
  const services = () => sides.flatMap((side) => [...(side.gateway ? [side.gateway] : []), ...side.subgraphs]);
  return withBenchStack(print, async (stack) => {
    const { scratch } = stack;
    const { fixture, fixturePath } = stack.data;
    const copies = [];
    for (const index of sides.keys()) copies.push(await stack.copyDatabase(`profile${index}`));
    for (const [index, side] of sides.entries()) {
      const databaseUrl = copies[index]!.url;
      const started = await stack.startSubgraphs(databaseUrl, {
        code: codes[index]!,
        label: `${index}-`,
        cpuProfile: { dir: profileDir, subgraphs: [subgraph] },
      });
      side.subgraphs = started.subgraphs.services;
      side.meter = started.meter;
      const { service, url } = await startGatewayAt(codes[index]!, `${index}-gateway`, {
        scratch,
        subgraphUrls: started.subgraphs.urls,
        supergraphPath: started.supergraphPath,
        databaseUrl,
        env: stack.production.env,
        fixture,
        cpuProfileDir: path.join(profileDir, `${index}-gateway`),
      });
      stack.services.push(service);
      side.gateway = service;
      side.url = url;
    }
    const load = (side: Side, seconds: number) => runLoadProcess({ url: side.url!, operation, fixturePath, vus: options.vus, seconds, maxRequests: 1_000_000 });
    print(`profile: warming up (${options.warmupSeconds} s each, not counted)`);
    for (const side of sides) await load(side, options.warmupSeconds);
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      const figures: string[] = [];
      for (const side of order) {
        const before = await side.meter!.read(side.gateway!.child.pid!);
        const start = nowMicros();
        const result = await load(side, options.seconds);
        side.windows.push({ start, end: nowMicros() });
        const after = await side.meter!.read(side.gateway!.child.pid!);
        side.requests += result.requests;
        side.errors += result.errors;
        side.cpuMs.gateway += after.gateway! - before.gateway!;
        side.cpuMs.subgraph += after[subgraph]! - before[subgraph]!;
        figures.push(`${side.heading} ${result.requests} requests, ${result.errors} errors`);
      }
      print(`profile: round ${round + 1} (load ${os.loadavg()[0]!.toFixed(1)}): ${figures.join('; ')}`);
    }
    const loadAfter = os.loadavg()[0]!.toFixed(1);
    print('profile: stopping the services (each writes its profile as it exits)');
    await Promise.allSettled(sides.map((side) => side.meter!.close()));
    // Writing a profile takes a while on a busy machine: no SIGKILL for three minutes.
    const stopping = Date.now();
    await Promise.allSettled(services().map((service) => service.stop(180_000)));
    print(`profile: stopped in ${((Date.now() - stopping) / 1000).toFixed(0)} s`);

    const lines: string[] = [
      '',
      `Profile summary: ${operation}, ${options.rounds} × ${options.seconds} s at ${options.vus} virtual users, load average ${loadBefore} before / ${loadAfter} after, ${new Date().toISOString()}`,
      ...sides.map(
        (side, index) =>
          `  ${side.heading}: ${side.root}, ${codes[index]!.form === 'dist' ? 'compiled' : 'tsx'}; ${side.requests} requests, ${side.errors} errors; CPU ms/request (from /proc, profiler on): gateway ${(side.cpuMs.gateway / side.requests).toFixed(2)}, ${subgraph} ${(side.cpuMs.subgraph / side.requests).toFixed(2)}`,
      ),
      "  Self time of the main thread's busy (not idle) samples inside the load runs: share, and µs per request. On a loaded",
      '  machine a busy sample includes time spent waiting for a core: compare shares there, and the CPU ms from /proc above.',
    ];
    for (const [role, dirOf] of [
      ['gateway', (index: number) => path.join(profileDir, `${index}-gateway`)],
      [subgraph, (index: number) => path.join(profileDir, `${index}-subgraph-${subgraph}`)],
    ] as const) {
      lines.push('', `== ${role}`);
      const columns: Column[] = sides.map((side, index) => {
        const file = mainThreadProfile(dirOf(index));
        if (!file) throw new Error(`no CPU profile in ${dirOf(index)}: did the process exit cleanly? (see ${scratch.dir})`);
        return { heading: side.heading, summary: summarizeProfile(readProfile(file), { windows: side.windows }), requests: side.requests };
      });
      lines.push(...formatSummaries(columns, { topFunctions: options.top }));
    }
    const summaryFile = path.join(profileDir, 'summary.txt');
    writeFileSync(summaryFile, `${lines.join('\n')}\n`);
    lines.push('', `profile: profiles and this summary in ${profileDir} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
    for (const line of lines) print(line);
    return lines;
  });
}

/** Options from command-line flags. */
export function profileBenchOptions(argv: string[]): Partial<ProfileBenchOptions> {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const number = (flag: string) => (value(flag) === undefined ? undefined : Number(value(flag)));
  const subgraph = value('--subgraph');
  if (subgraph !== undefined && !(SUBGRAPH_NAMES as readonly string[]).includes(subgraph)) throw new Error(`--subgraph: "${subgraph}" is not one of ${SUBGRAPH_NAMES.join(', ')}`);
  const operation = value('--operation');
  if (operation !== undefined && !(OPERATION_NAMES as readonly string[]).includes(operation))
    throw new Error(`--operation: "${operation}" is not one of ${OPERATION_NAMES.join(', ')}`);
  const options: Partial<ProfileBenchOptions> = {
    subgraph: subgraph as SubgraphName | undefined,
    operation: operation as OperationName | undefined,
    rounds: number('--rounds'),
    seconds: number('--seconds'),
    warmupSeconds: number('--warmup'),
    vus: number('--vus'),
    top: number('--top'),
    form: value('--form') === undefined ? undefined : parseForm(value('--form')),
  };
  return Object.fromEntries(Object.entries(options).filter(([, item]) => item !== undefined));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runProfileBench(profileBenchOptions(process.argv.slice(2))).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
