/**
 * Subscription fan-out on one gateway process: N concurrent graphql-ws
 * subscribers (default 10,000, from several client processes so that the
 * clients are not what is measured), one event raised in the event backbone
 * and delivered to all, with fields of three subgraphs (meet streams the
 * event, academy and calendar complete it). Figures: delivery latency
 * p50/p99 (publish → client receipt, over several events), the CPU time
 * per event of the gateway, of the client processes, of each subgraph's
 * process, of this process (the publish, the receipts) and of PostgreSQL,
 * summed for the host (on a shared machine,
 * latency is mostly who gets a core; CPU is the steadier figure),
 * and the gateway process's memory per subscriber (RSS and heap, after GC,
 * compared with before the subscribers came). Per delivery (one subscriber,
 * one event): the gateway's write and read system calls and bytes written
 * (Linux's /proc/<pid>/io) and its context switches, the counts that say
 * whether each subscriber costs one write, whatever the load.
 *
 * Subscribers use BENCH_SUB_IDENTITIES distinct callers (default 10):
 * identical subscriptions of one caller share one upstream subscription and
 * one completion per event, which is what makes fan-out cheap.
 *
 * The gateway runs as production runs it: compiled (bench/gateway/checkout-code.ts),
 * with gateway/node-flags.ts's flags (and --expose-gc, for the memory reading),
 * NODE_ENV=production, callers' tokens from a Passport double. So do the
 * subgraphs (since 2026-12-06, session 20; before, they ran in this process
 * from the sources, with V8's default young generation): academy, meet and
 * calendar each in its own process, compiled, with platform/subgraph/node-flags.ts's
 * flags (bench/support/probed-subgraphs.ts), each answering the bench's
 * questions (CPU, GC pauses, profiles) through bench/support/subgraph-probe.mjs.
 *
 *   node --import tsx bench/subscriptions.ts
 *   (BENCH_SUB_CLIENTS=10000 BENCH_SUB_PROCESSES=4 BENCH_SUB_EVENTS=5 BENCH_SUB_IDENTITIES=10)
 *   BENCH_SUB_CLIENT=light|ws: the subscribers' client (default light: a
 *   hand-written reader, bench/support/light-subscriber.ts, each read into one
 *   buffer per process since 2026-12-06; ws: the `ws` package's client,
 *   heavier, what this bench used before 2026-12-05). Either counts every
 *   `next` frame and takes its receipt time as it reads it; the clients share
 *   the gateway's cores, so their CPU is part of the latency measured.
 *   BENCH_SUB_FORM=dist|tsx: the gateway compiled (default) or transpiled by tsx.
 *   BENCH_SUB_GATEWAY=<checkout>: another checkout's gateway (/work/wt/base, say)
 *   under this bench, for A/B comparisons with the same instrument.
 *   BENCH_SUB_CPU_PROFILE=/tmp/gateway.cpuprofile: the gateway's CPU profile
 *   over the measured events only (open it in Chrome DevTools), and each
 *   subgraph's beside it, <file>.<subgraph>.cpuprofile.
 *   BENCH_SUB_HEAP_PROFILE=/tmp/alloc: each subgraph's sampling heap profile
 *   of the measured events, objects GC collected kept (what was allocated),
 *   <file>.<subgraph>.heapprofile, and its bytes per event printed.
 *   BENCH_SUB_SUBGRAPHS=<checkout>: another checkout's subgraphs (A/B).
 *   BENCH_SUB_SUBGRAPH_FLAGS="--trace-gc": more node flags for each subgraph (before its own).
 *   BENCH_SUB_WARMUP=5: events after the first fully delivered one, before
 *   the measured ones (the subgraphs' code JIT-compiled, as when serving).
 *   BENCH_SUB_GATEWAY_FLAGS="--trace-gc --perf-basic-prof": more node flags
 *   for the gateway (--perf-basic-prof names JIT code for `perf record -p`).
 *   BENCH_SUB_SETTLE=0: no full GC of the gateway (nor of the subgraphs'
 *   processes and this one) before the measured events.
 *   BENCH_SUB_CLIENT_POLICY=normal|batch: how the client processes are
 *   scheduled (support/client-policy.ts), printed with the figures. Default
 *   normal: a client woken by a frame may preempt the gateway mid-fan-out.
 *   batch (SCHED_BATCH, Linux's chrt): a woken client does not preempt the
 *   gateway, as clients on other hosts never do; they keep their share of
 *   the cores, so their CPU is still in the latency.
 *
 * Also printed: where an event's time goes (the gateway's fan-out timings,
 * gateway/subscriptions/fan-out-timings.ts, beside the clients' receipts)
 * and the gateway's GC pauses during the measured events.
 *
 * PostgreSQL: DATABASE_URL's server (in a throwaway database), or an
 * embedded one in a temporary directory.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { prepareDatabase } from '../platform/bootstrap/prepare-database.js';
import { loadConfig } from '../platform/config.js';
import { closePools, createKysely } from '../platform/database/connection.js';
import { REPO_ROOT } from '../platform/paths.js';
import { ownCpuMs } from '../platform/process-stats.js';
import { backendCpu, backendCpuSince } from './support/backend-cpu.js';
import { fullGc } from './support/full-gc.js';
import { checkoutCode, parseForm, type CheckoutCode } from './gateway/checkout-code.js';
import { describeClientPolicy, parseClientPolicy, scheduleClients, type ClientPolicy } from './support/client-policy.js';
import { startProductionEnv } from './gateway/production-env.js';
import { lightSubscriber } from './support/light-subscriber.js';
import { percentile } from './support/percentile.js';
import { eventPath, type EventPath, type RaisedEvent } from './support/event-path.js';
import type { FanOutTimings } from '../gateway/subscriptions/fan-out-timings.js';
import { throwawayDatabase } from './support/throwaway-database.js';
import { DEMO_COMPANIES, DEMO_LIVE_CLASSES } from '../platform/demo/demo-ids.js';
import { publishEvent } from '../platform/events/publish-event.js';
import { createLogger } from '../platform/logger.js';
import { SUBGRAPH_MODULES } from '../subgraphs/registry.js';
import { startProbedSubgraphs, type ProbeCpu, type ProbedSubgraphs } from './support/probed-subgraphs.js';

const SELF = fileURLToPath(import.meta.url);
/** The subgraphs a live class's status reaches: meet streams the event, academy and calendar complete it. */
const SUBGRAPHS = ['academy', 'meet', 'calendar'] as const;
const cpuMs = (cpu: ProbeCpu) => cpu.userMs + cpu.systemMs;
const GATEWAY_PROCESS = path.join(path.dirname(SELF), 'support/subscriptions-gateway.mjs');
const CLASS = DEMO_LIVE_CLASSES[0];
const BHEEM = DEMO_COMPANIES.bheem.id;
const QUERY = `subscription { liveClassStatusChanged(liveClassId: "${CLASS.id}") { id status startedAt course { fullname } calendarEvent { start } } }`;

type ClientKind = 'light' | 'ws';

export interface SubscriptionsBenchResult {
  /** The subscribers' client: the measuring instrument, not the gateway. */
  client: ClientKind;
  /** How the client processes were scheduled (support/client-policy.ts). */
  clientPolicy: ClientPolicy;
  /** How the gateway ran (compiled or transpiled, which checkout). */
  gateway: string;
  subscribers: number;
  identities: number;
  clientProcesses: number;
  events: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time per event, user and system, while the events were delivered. */
  gatewayCpuMsPerEvent: number;
  /** Of which in the kernel (the writes to the sockets, and on loopback the receiving side's TCP work). */
  gatewaySystemMsPerEvent: number;
  clientsCpuMsPerEvent: number;
  /** The subgraphs' processes' CPU per event (meet streams the event, academy and calendar complete it for each caller), summed. */
  subgraphsCpuMsPerEvent: number;
  /** The same, each subgraph's. */
  subgraphCpuMsPerEvent: Record<string, number>;
  /** This process's CPU per event: the publish and the bench's bookkeeping (the clients' receipt times). */
  benchCpuMsPerEvent: number;
  /** What each subgraph process allocated per event (bytes, a sampling heap profile's estimate), with BENCH_SUB_HEAP_PROFILE only. */
  subgraphAllocatedBytesPerEvent?: Record<string, number>;

  /** PostgreSQL's backends serving the bench's database, per event (NaN when the server is not on this host). */
  postgresCpuMsPerEvent: number;
  /** The gateway's GC pauses during the measured events: how many, and their time per event (major GCs apart). */
  gatewayGcPauses: number;
  gatewayGcMsPerEvent: number;
  gatewayMajorGcMsPerEvent: number;
  /** The same for the subgraphs' processes, summed. */
  subgraphsGcPauses: number;
  /** The same, each subgraph's. */
  subgraphGcPauses: Record<string, number>;
  subgraphsGcMsPerEvent: number;
  subgraphsMajorGcMsPerEvent: number;
  /** Where an event's time went, ms after the publish (medians over the measured events). */
  path: EventPath;
  /**
   * Per delivery (one subscriber, one event), while the events were delivered: the gateway's write and
   * read system calls and bytes written (Linux's /proc/<pid>/io; NaN elsewhere), and its context switches.
   */
  perDelivery: { writeSyscalls: number; readSyscalls: number; bytesWritten: number; voluntarySwitches: number; involuntarySwitches: number };
  /** Whether the gateway's heap was settled (a full GC) before the measured events. */
  settled: boolean;
  rssPerSubscriberKiB: number;
  heapPerSubscriberKiB: number;
}

type ToClients = { type: 'connect'; client: ClientKind; url: string; tokens: string[]; count: number; offset: number } | { type: 'drain'; events: number } | { type: 'close' };
type FromClients = { type: 'connected'; failed: number } | { type: 'received'; times: number[]; cpuMs: number } | { type: 'drained'; cpuMs: number };
type ToGateway = { type: 'memory' } | { type: 'cpu' } | { type: 'settle' } | { type: 'profile'; action: 'start' | 'stop' } | { type: 'stop' };
type FromGateway =
  | { type: 'listening'; url: string }
  | { type: 'memory'; rss: number; heap: number; clients: number }
  | { type: 'profiled' }
  | { type: 'settled' }
  | { type: 'cpu'; userMs: number; systemMs: number; gc: GcPauses; timings: FanOutTimings[]; syscalls?: Syscalls; contextSwitches: ContextSwitches };

/** The gateway's read and write system calls and bytes written so far (Linux only). */
interface Syscalls {
  reads: number;
  writes: number;
  writtenBytes: number;
}

interface ContextSwitches {
  voluntary: number;
  involuntary: number;
}

/** The gateway's main-thread GC pauses so far (bench/support/subscriptions-gateway.mjs). */
interface GcPauses {
  count: number;
  ms: number;
  majorMs: number;
}

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const round = (value: number) => Math.round(value * 10) / 10;
const loadAverage = () =>
  os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');

function request<T>(child: ChildProcess, message: object, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (answer: { type: string }) => {
      if (answer.type !== type) return;
      child.off('message', onMessage);
      resolve(answer as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

function openFileLimit(): number {
  try {
    return Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()) || Infinity;
  } catch {
    return Infinity;
  }
}

/** The environment of the gateway (plus NODE_ENV=production) and of the subgraphs here (whose only part is completing events). */
function benchEnv(databaseUrl: string, secrets: Record<string, string>): Record<string, string | undefined> {
  const { NODE_ENV: _production, ...shared } = secrets;
  return {
    ...process.env,
    ...shared,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    MOODLE_SCHEMA: 'moodle',
    MOODLE_PROVISION: 'true',
    ACADEMY_CONSUME_EVENTS: 'false',
    CALENDAR_CONSUME_EVENTS: 'false',
    CALENDAR_SYNC_INTERVAL_SECONDS: '0',
    DOCUMENTS_INDEX_CONTENT: 'false',
    MEET_RECONCILE_INTERVAL_SECONDS: '0',
    GATEWAY_RATE_LIMIT_STORE: 'off',
    // Ten identities hold all the subscribers: a thousand each, past the per-user cap.
    GATEWAY_MAX_SUBSCRIPTIONS_PER_USER: '0',
  };
}

/** Where the gateway's modules are: the compiled build's folder, or the checkout's sources. */
const codeFolder = (code: CheckoutCode) => (code.form === 'dist' ? path.dirname(path.dirname(code.gatewayEntry(1).at(-1)!)) : code.root);

export async function runSubscriptionsBench(print: (line: string) => void = console.log): Promise<SubscriptionsBenchResult> {
  const subscribers = env('BENCH_SUB_CLIENTS', 10_000);
  const processes = env('BENCH_SUB_PROCESSES', 4);
  const events = env('BENCH_SUB_EVENTS', 5);
  const identities = env('BENCH_SUB_IDENTITIES', 10);
  const client: ClientKind = process.env.BENCH_SUB_CLIENT === 'ws' ? 'ws' : 'light';
  const code = await checkoutCode(process.env.BENCH_SUB_GATEWAY ?? REPO_ROOT, parseForm(process.env.BENCH_SUB_FORM, 'BENCH_SUB_FORM'), print);
  const limit = openFileLimit();
  if (limit < subscribers + 1024) {
    throw new Error(
      `subscriptions: the open-file limit (ulimit -n = ${limit}) is too low for ${subscribers} sockets; raise it (ulimit -n ${subscribers + 4096}) or set BENCH_SUB_CLIENTS lower`,
    );
  }
  const database = await throwawayDatabase('subscriptions', print);
  const production = await startProductionEnv();
  const shared = benchEnv(database.url, production.env);
  const config = loadConfig(shared);
  const log = createLogger('bench', 'warn');
  const deps = { config, databaseUrl: database.url, log };
  const children: ChildProcess[] = [];
  let probed: ProbedSubgraphs | undefined;
  try {
    const modules = await Promise.all(SUBGRAPHS.map(async (name) => (await SUBGRAPH_MODULES[name]!())!));
    await prepareDatabase(deps, modules, { seed: true });
    // Each subgraph in its own process, as production runs them (their checkout: this one, or BENCH_SUB_SUBGRAPHS's).
    const subgraphCode = await checkoutCode(process.env.BENCH_SUB_SUBGRAPHS ?? REPO_ROOT, code.form, print);
    probed = await startProbedSubgraphs(subgraphCode, SUBGRAPHS, { ...shared, ...production.env });
    for (const subgraph of probed.subgraphs) config.subgraphUrls[subgraph.name] = subgraph.url;
    const subgraphsDescription = `${subgraphCode.description}; each in its own process, node ${[...subgraphCode.subgraphEntry('<name>')].filter((arg) => arg.startsWith('--')).join(' ') || '(no flags)'}, NODE_ENV=production`;

    // The gateway alone in its process, so that its memory is its own.
    const gateway = fork(GATEWAY_PROCESS, [], {
      execPath: code.node.binary,
      execArgv: [
        ...code.gatewayNodeFlags,
        '--expose-gc',
        ...(process.env.BENCH_SUB_GATEWAY_FLAGS?.split(' ').filter(Boolean) ?? []),
        ...(code.form === 'tsx' ? ['--import', 'tsx'] : []),
      ],
      env: { ...shared, NODE_ENV: 'production', BENCH_SUB_CODE: codeFolder(code), BENCH_SUB_URLS: JSON.stringify(config.subgraphUrls) },
    });
    children.push(gateway);
    const { url } = await new Promise<FromGateway & { type: 'listening' }>((resolve) => gateway.once('message', (message) => resolve(message as never)));
    const before = await request<FromGateway & { type: 'memory' }>(gateway, { type: 'memory' }, 'memory');

    const tokens = await Promise.all(
      Array.from({ length: identities }, (_, index) =>
        production.sign({ userId: `bench-${index}`, companyId: BHEEM, roles: ['admin'], name: `Bench ${index}`, moodleUserId: '2' }),
      ),
    );
    print(`subscriptions: ${subscribers} subscribers (${identities} callers) from ${processes} client processes (${client} client); ${os.cpus().length} CPUs`);
    print(`  gateway: ${code.description}, node ${code.gatewayNodeFlags.join(' ')}`);
    print(`  subgraphs (${SUBGRAPHS.join(', ')}): ${subgraphsDescription}`);
    print(
      `  clients: ${client === 'light' ? 'light (bench/support/light-subscriber.ts: frames by hand, each read into one buffer per process)' : 'ws (the ws package)'}; ` +
        `every next frame counted, its receipt time taken when read; they share this host's ${os.cpus().length} cores with the gateway, so their CPU (below) is in the latency`,
    );
    const clients = Array.from({ length: processes }, () => fork(SELF, ['clients'], { execArgv: ['--import', 'tsx'] }));
    children.push(...clients);
    const clientPolicy = scheduleClients(clients, parseClientPolicy(process.env.BENCH_SUB_CLIENT_POLICY));
    print(`  client processes: ${describeClientPolicy(clientPolicy)}`);
    print(
      "  latency: from the publish (Date.now() before the INSERT into the event outbox) to each subscriber's read of its next frame " +
        'in its client process (Date.now() there, same host clock): the outbox, the wake-up relay, meet, the gateway, the sockets and the client',
    );
    const share = Math.ceil(subscribers / processes);
    const started = performance.now();
    const connected = await Promise.all(
      clients.map((child, index) =>
        request<FromClients & { type: 'connected' }>(
          child,
          { type: 'connect', client, url: url.replace('http', 'ws'), tokens, count: Math.min(share, subscribers - index * share), offset: index * share } satisfies ToClients,
          'connected',
        ),
      ),
    );
    const failed = connected.reduce((sum, answer) => sum + answer.failed, 0);
    if (failed > 0) throw new Error(`subscriptions: ${failed} subscribers could not subscribe`);
    print(`  subscribed in ${round((performance.now() - started) / 1000)} s`);

    const db = createKysely<any>(database.url);
    const raise = () =>
      publishEvent(db, {
        topic: 'meet.class.started',
        companyId: BHEEM,
        key: CLASS.id,
        source: 'meet',
        payload: { company_id: BHEEM, live_class_id: CLASS.id, course_id: CLASS.course, status: 'LIVE' },
      });
    // Warm-up: until one event reaches every subscriber, the upstream subscriptions are not all attached.
    const delivered = (child: ChildProcess) =>
      new Promise<FromClients & { type: 'received' }>((resolve) => child.once('message', (message: FromClients) => message.type === 'received' && resolve(message)));
    const gatewayCpu = () => request<FromGateway & { type: 'cpu' }>(gateway, { type: 'cpu' } satisfies ToGateway, 'cpu');
    let raised = 0;
    for (;;) {
      const waiting = clients.map(delivered);
      await raise();
      raised++;
      const outcome = await Promise.race([Promise.all(waiting), new Promise<false>((resolve) => setTimeout(() => resolve(false), 5_000))]);
      if (outcome) break;
      print('  warm-up event did not reach everyone yet; again');
      for (const child of clients) child.removeAllListeners('message');
    }
    // A few more, so that the subgraphs' processes (which see one upstream execution per caller and event) run
    // JIT-compiled code during the measured events, as a subgraph serving traffic does (BENCH_SUB_WARMUP, default 5).
    for (let more = env('BENCH_SUB_WARMUP', 5); more > 0; more--) {
      const waiting = clients.map(delivered);
      await raise();
      raised++;
      await Promise.all(waiting);
    }
    // Every warm-up event fully received (a late one would otherwise count in the first measured event).
    const drained = await Promise.all(clients.map((child) => request<FromClients & { type: 'drained' }>(child, { type: 'drain', events: raised } satisfies ToClients, 'drained')));
    let clientsCpu = drained.reduce((sum, message) => sum + message.cpuMs, 0);
    // The subscribers' connection burst leaves the gateway a debt of young objects to copy and an old
    // generation past its limit; a gateway whose clients came over minutes has paid it before an event.
    // Paid here (a full GC) unless BENCH_SUB_SETTLE=0, so that the events carry only their own GC.
    const settled = process.env.BENCH_SUB_SETTLE !== '0';
    // The subgraphs too (the set-up's seeding and 10,000 subscriptions' messages), and this process.
    if (settled) {
      await request(gateway, { type: 'settle' } satisfies ToGateway, 'settled');
      await Promise.all(probed.subgraphs.map((subgraph) => subgraph.settle()));
      fullGc();
    }

    const profiling = process.env.BENCH_SUB_CPU_PROFILE;
    // A mark for tools attached to the gateway from outside (perf record -p): the measured events start now.
    print(`  measuring ${events} events`);
    // The subgraphs' too, beside the gateway's: <file>.<subgraph>.cpuprofile.
    const subgraphFile = (base: string, subgraph: string, extension: string) => `${base}.${subgraph}.${extension}`;
    if (profiling) {
      await request(gateway, { type: 'profile', action: 'start' } satisfies ToGateway, 'profiled');
      for (const subgraph of probed.subgraphs) await subgraph.profile('start', subgraphFile(profiling, subgraph.name, 'cpuprofile'));
    }
    // What the subgraphs allocate during the events: <file>.<subgraph>.heapprofile (collected objects kept).
    const heapProfiling = process.env.BENCH_SUB_HEAP_PROFILE;
    if (heapProfiling) for (const subgraph of probed.subgraphs) await subgraph.heap('start', subgraphFile(heapProfiling, subgraph.name, 'heapprofile'));
    const latencies: number[] = [];
    const raisedEvents: RaisedEvent[] = [];
    const gatewayCpuBefore = await gatewayCpu();
    const clientsCpuBefore = clientsCpu;
    const subgraphsCpu = () => Promise.all(probed!.subgraphs.map((subgraph) => subgraph.cpu()));
    const subgraphsCpuBefore = await subgraphsCpu();
    const benchCpuBefore = ownCpuMs();
    const postgresCpuBefore = await backendCpu(db);
    for (let round = 0; round < events; round++) {
      const waiting = clients.map(delivered);
      const raisedAt = Date.now();
      await raise();
      const answers = await Promise.all(waiting);
      for (const { times } of answers) for (const time of times) latencies.push(time - raisedAt);
      raisedEvents.push({ raisedAt, receipts: answers.flatMap((answer) => [Math.min(...answer.times), Math.max(...answer.times)]) });
      clientsCpu = answers.reduce((sum, message) => sum + message.cpuMs, 0);
    }
    const benchCpuMs = ownCpuMs() - benchCpuBefore;
    const subgraphsCpuAfter = await subgraphsCpu();
    const postgresCpuMs = backendCpuSince(postgresCpuBefore, await backendCpu(db)) ?? Number.NaN;
    const subgraphCpuMs = (index: number) => cpuMs(subgraphsCpuAfter[index]!) - cpuMs(subgraphsCpuBefore[index]!);
    const subgraphsCpuMs = SUBGRAPHS.reduce((sum, _name, index) => sum + subgraphCpuMs(index), 0);
    const subgraphsGc = (key: keyof GcPauses) => subgraphsCpuAfter.reduce((sum, after, index) => sum + after.gc[key] - subgraphsCpuBefore[index]!.gc[key], 0);
    const gatewayCpuAfter = await gatewayCpu();
    const gatewaySystemMs = gatewayCpuAfter.systemMs - gatewayCpuBefore.systemMs;
    const gatewayCpuMs = gatewayCpuAfter.userMs - gatewayCpuBefore.userMs + gatewaySystemMs;
    const gcDuring = (key: keyof GcPauses) => gatewayCpuAfter.gc[key] - gatewayCpuBefore.gc[key];
    const deliveries = events * subscribers;
    const perDelivery = (after: number | undefined, before: number | undefined) => Math.round((((after ?? Number.NaN) - (before ?? Number.NaN)) / deliveries) * 100) / 100;
    const syscallsDuring = (key: keyof Syscalls) => perDelivery(gatewayCpuAfter.syscalls?.[key], gatewayCpuBefore.syscalls?.[key]);
    const switchesDuring = (key: keyof ContextSwitches) => perDelivery(gatewayCpuAfter.contextSwitches[key], gatewayCpuBefore.contextSwitches[key]);
    if (profiling) {
      await request(gateway, { type: 'profile', action: 'stop' } satisfies ToGateway, 'profiled');
      for (const subgraph of probed.subgraphs) await subgraph.profile('stop', subgraphFile(profiling, subgraph.name, 'cpuprofile'));
      print(`  gateway CPU profile: ${profiling}; the subgraphs': ${profiling}.<subgraph>.cpuprofile`);
    }
    let allocated: Record<string, number> | undefined;
    if (heapProfiling) {
      allocated = {};
      for (const subgraph of probed.subgraphs) {
        allocated[subgraph.name] = Math.round((await subgraph.heap('stop', subgraphFile(heapProfiling, subgraph.name, 'heapprofile'))) / events);
      }
    }
    const after = await request<FromGateway & { type: 'memory' }>(gateway, { type: 'memory' }, 'memory');
    latencies.sort((a, b) => a - b);
    const result: SubscriptionsBenchResult = {
      client,
      clientPolicy,
      gateway: `${code.form} ${code.root}`,
      subscribers,
      identities,
      clientProcesses: processes,
      events,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1]!,
      gatewayCpuMsPerEvent: Math.round(gatewayCpuMs / events),
      gatewaySystemMsPerEvent: Math.round(gatewaySystemMs / events),
      clientsCpuMsPerEvent: Math.round((clientsCpu - clientsCpuBefore) / events),
      subgraphsCpuMsPerEvent: Math.round(subgraphsCpuMs / events),
      subgraphCpuMsPerEvent: Object.fromEntries(SUBGRAPHS.map((name, index) => [name, round(subgraphCpuMs(index) / events)])),
      benchCpuMsPerEvent: Math.round(benchCpuMs / events),
      subgraphAllocatedBytesPerEvent: allocated,
      postgresCpuMsPerEvent: Math.round(postgresCpuMs / events),
      gatewayGcPauses: gcDuring('count'),
      gatewayGcMsPerEvent: round(gcDuring('ms') / events),
      gatewayMajorGcMsPerEvent: round(gcDuring('majorMs') / events),
      subgraphsGcPauses: subgraphsGc('count'),
      subgraphGcPauses: Object.fromEntries(SUBGRAPHS.map((name, index) => [name, subgraphsCpuAfter[index]!.gc.count - subgraphsCpuBefore[index]!.gc.count])),
      subgraphsGcMsPerEvent: round(subgraphsGc('ms') / events),
      subgraphsMajorGcMsPerEvent: round(subgraphsGc('majorMs') / events),
      perDelivery: {
        writeSyscalls: syscallsDuring('writes'),
        readSyscalls: syscallsDuring('reads'),
        bytesWritten: Math.round(syscallsDuring('writtenBytes')),
        voluntarySwitches: switchesDuring('voluntary'),
        involuntarySwitches: switchesDuring('involuntary'),
      },
      path: eventPath(raisedEvents, gatewayCpuAfter.timings),
      settled,
      rssPerSubscriberKiB: round((after.rss - before.rss) / subscribers / 1024),
      heapPerSubscriberKiB: round((after.heap - before.heap) / subscribers / 1024),
    };
    print(`  ${events} events × ${subscribers} deliveries: min ${latencies[0]} ms, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms`);
    print(
      `  CPU per event (user + system): gateway ${result.gatewayCpuMsPerEvent} ms (system ${result.gatewaySystemMsPerEvent}), ${client} client processes ${result.clientsCpuMsPerEvent} ms (load average ${loadAverage()})`,
    );
    const hostCpu = result.gatewayCpuMsPerEvent + result.clientsCpuMsPerEvent + result.subgraphsCpuMsPerEvent + result.benchCpuMsPerEvent + (result.postgresCpuMsPerEvent || 0);
    const perSubgraph = (values: Record<string, number>, unit: (value: number) => string) =>
      Object.entries(values)
        .map(([name, value]) => `${name} ${unit(value)}`)
        .join(', ');
    print(
      `  CPU per event on this host: gateway ${result.gatewayCpuMsPerEvent} + clients ${result.clientsCpuMsPerEvent} + subgraphs ${result.subgraphsCpuMsPerEvent} ` +
        `(${perSubgraph(result.subgraphCpuMsPerEvent, String)}) + the bench (this process: the publish, the receipts) ${result.benchCpuMsPerEvent} + ` +
        `PostgreSQL ${result.postgresCpuMsPerEvent} = ${hostCpu} ms, i.e. at least ${Math.round(hostCpu / os.cpus().length)} ms of wall on ${os.cpus().length} cores ` +
        `if none of it waited on another (the gateway's own part runs on one core)`,
    );
    const { perDelivery: each } = result;
    print(
      `  gateway per delivery (one subscriber, one event): ${each.writeSyscalls} write and ${each.readSyscalls} read system calls, ${each.bytesWritten} bytes written, ` +
        `${each.voluntarySwitches} voluntary and ${each.involuntarySwitches} involuntary context switches`,
    );
    const { path: way } = result;
    print(
      way.sharedSubscriptions > 0
        ? `  where an event's time goes, ms after the publish (median of ${events} events; first–last of the gateway's ${way.sharedSubscriptions} shared subscriptions): ` +
            `event at the gateway ${way.receivedFirst}–${way.receivedLast}, completed ${way.completedFirst}–${way.completedLast}, ` +
            `last frame written ${way.writtenFirst}–${way.writtenLast}; clients' receipts ${way.receiptFirst}–${way.receiptLast}; ` +
            `the gateway's loop idle ${way.loopIdle} ms between its first receipt and last write`
        : `  clients' receipts ${way.receiptFirst}–${way.receiptLast} ms after the publish (median of ${events} events); this gateway publishes no fan-out timings`,
    );
    // p99 over a few events lies in the slowest one's tail: each event's path, to see which.
    const span = (first: number, last: number) => (Number.isFinite(first) ? `${Math.round(first)}–${Math.round(last)}` : '–');
    for (const [index, times] of way.events.entries()) {
      print(
        `    event ${index + 1}: at the gateway ${span(times.receivedFirst, times.receivedLast)}, completed ${span(times.completedFirst, times.completedLast)}, ` +
          `written ${span(times.writtenFirst, times.writtenLast)}, receipts ${span(times.receiptFirst, times.receiptLast)}, loop idle ${Number.isFinite(times.loopIdle) ? Math.round(times.loopIdle) : '–'} ms`,
      );
    }
    print(
      `  gateway GC during the events: ${result.gatewayGcPauses} pauses, ${result.gatewayGcMsPerEvent} ms per event (major ${result.gatewayMajorGcMsPerEvent}); heap ${settled ? "settled by a full GC before them (and the subgraphs' processes')" : 'not settled before them (BENCH_SUB_SETTLE=0)'}`,
    );
    print(
      `  subgraphs' processes' GC during the events (summed): ${result.subgraphsGcPauses} pauses (${perSubgraph(result.subgraphGcPauses, String)}), ${result.subgraphsGcMsPerEvent} ms per event (major ${result.subgraphsMajorGcMsPerEvent})`,
    );
    if (result.subgraphAllocatedBytesPerEvent) {
      print(
        `  allocated per event (sampling heap profile, collected objects kept): ${perSubgraph(result.subgraphAllocatedBytesPerEvent, (bytes) => `${Math.round(bytes / 1024)} KiB`)}`,
      );
    }
    print(`  gateway memory per subscriber: ${result.rssPerSubscriberKiB} KiB RSS, ${result.heapPerSubscriberKiB} KiB heap (${after.clients} client subscriptions)`);
    print(
      `  target: 10,000 subscribers, p99 < 250 ms, < 20 KiB each: ${subscribers >= 10_000 && result.p99Ms < 250 && result.rssPerSubscriberKiB < 20 ? 'met' : 'NOT met'} ` +
        `(client processes ${clientPolicy}, load average ${loadAverage()})`,
    );
    for (const child of clients) child.send({ type: 'close' } satisfies ToClients);
    return result;
  } finally {
    for (const child of children) if (child.connected) child.send({ type: 'stop' });
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null
          ? undefined
          : new Promise((resolve) => {
              child.once('exit', resolve);
              setTimeout(() => child.kill(), 5_000).unref();
            }),
      ),
    );
    await probed?.stop();
    await closePools();
    await database.drop();
    await database.embedded?.stop();
    await production.stop();
  }
}

const NEXT = Buffer.from('"type":"next"');

/** A client process: `count` graphql-ws subscribers (the protocol by hand, to keep the client light). */
function runClientsProcess(): void {
  const sockets: (WebSocket | net.Socket)[] = [];
  let received: number[] = [];
  let expected = 0;
  let total = 0;
  let drain: { frames: number; done: () => void } | undefined;
  const receive = () => {
    received.push(Date.now());
    total++;
    if (received.length === expected) {
      process.send!({ type: 'received', times: received, cpuMs: ownCpuMs() } satisfies FromClients);
      received = [];
    }
    if (drain && total >= drain.frames) drain.done();
  };
  const drained = () => {
    drain = undefined;
    process.send!({ type: 'drained', cpuMs: ownCpuMs() } satisfies FromClients);
  };
  const subscribeLight = (url: string, token: string) => {
    const { socket, subscribed } = lightSubscriber({ url, token, query: QUERY, onNext: receive });
    sockets.push(socket);
    return subscribed;
  };
  const subscribeWs = (url: string, token: string) =>
    new Promise<boolean>((resolve) => {
      // Light on purpose (no UTF-8 check, events recognised without decoding them): the client's CPU is not the gateway's.
      const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false, skipUTF8Validation: true });
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      socket.on('message', (data: Buffer) => {
        if (data.includes(NEXT)) return receive();
        const message = JSON.parse(String(data)) as { type: string };
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
          resolve(true);
        } else if (message.type === 'ping') socket.send('{"type":"pong"}');
      });
      socket.on('error', () => resolve(false));
      socket.on('close', () => resolve(false));
      sockets.push(socket);
    });
  process.on('message', async (message: ToClients | ToGateway) => {
    if (message.type === 'connect') {
      expected = message.count;
      const subscribeOne = message.client === 'light' ? subscribeLight : subscribeWs;
      let failed = 0;
      // A bounded number of handshakes at a time: the gateway's accept queue is finite.
      for (let index = 0; index < message.count; index += 200) {
        const batch = Array.from({ length: Math.min(200, message.count - index) }, (_, k) =>
          subscribeOne(message.url, message.tokens[(message.offset + index + k) % message.tokens.length]!),
        );
        failed += (await Promise.all(batch)).filter((ok) => !ok).length;
      }
      process.send!({ type: 'connected', failed } satisfies FromClients);
    } else if (message.type === 'drain') {
      drain = { frames: message.events * expected, done: drained };
      if (total >= drain.frames) drained();
    } else {
      for (const socket of sockets) 'terminate' in socket ? socket.terminate() : socket.destroy();
      process.exit(0);
    }
  });
}

const role = process.argv[2];
if (role === 'clients') runClientsProcess();
else if (process.argv[1] === SELF) {
  await runSubscriptionsBench();
  process.exit(0);
}
