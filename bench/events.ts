/**
 * The event backbone's throughput and latency on this machine:
 * - events/s published: concurrent producers, one event per transaction
 *   (insert + NOTIFY + commit), as fast as they go, no consumer running;
 * - end to end, commit to handler: producers at a steady rate while one,
 *   then two consumer processes of a group handle every event; p50/p99 of
 *   (handler start - commit returned), and a check that no event was lost or
 *   handled twice. The handler does nothing, so the figures are the
 *   backbone's; BENCH_EVENTS_HANDLER=write makes each one write a row
 *   through its transaction, as a real one would (one more round trip per
 *   event, in sequence, in each consumer).
 * - CPU time per event of the producing process (this one) and of the
 *   consumer processes, and the load average of each phase: on a shared
 *   machine, these say whether the bench's own processes were the limit
 *   (they are not: at ~2,000 events/s the producer uses well under a core)
 *   or the CPU everyone shares.
 *
 *   node --import tsx bench/events.ts
 *   (BENCH_EVENTS_RATE=2000 BENCH_EVENTS_SECONDS=20 BENCH_EVENTS_PUBLISHERS=32 BENCH_EVENTS_HANDLER=noop|write)
 *
 * PostgreSQL: DATABASE_URL's server (in a throwaway database), or an
 * embedded one in a temporary directory, with its default durability.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { loadConfig } from '../platform/config.js';
import { prepareDatabase } from '../platform/bootstrap/prepare-database.js';
import { closePools, createKysely, getPool } from '../platform/database/connection.js';
import { DEMO_COMPANIES } from '../platform/demo/demo-ids.js';
import { publishEvent } from '../platform/events/publish-event.js';
import { createLogger } from '../platform/logger.js';
import { backendCpu, backendCpuSince } from './support/backend-cpu.js';
import { ownCpuMs } from '../platform/process-stats.js';
import { percentile } from './support/percentile.js';
import { throwawayDatabase } from './support/throwaway-database.js';

export interface EndToEndFigures {
  consumers: number;
  targetPerSecond: number;
  publishedPerSecond: number;
  handledPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  events: number;
  lost: number;
  /** Deliveries again of an event already handled (at least once: allowed, but none expected here). */
  redeliveries: number;
  /** Events whose processed mark (and handler's write) committed twice: must be 0. */
  duplicates: number;
  /** CPU time per event of the bench's own producing process, and of all consumer processes together (µs). */
  producerCpuUsPerEvent: number;
  consumersCpuUsPerEvent: number;
  /** CPU time per event of the PostgreSQL backends of the bench's database (µs), when the server runs on this machine. */
  databaseCpuUsPerEvent: number | null;
  /** 1-minute load average when the phase ended (the machine is shared: figures are only as good as this). */
  loadAverage: number;
}

export interface EventsBenchResult {
  cpus: number;
  handler: 'noop' | 'write';
  /** One 8 KiB write + fdatasync on the database's disk, in ms: what a durable commit waits for. */
  diskSyncMs: number;
  publishers: number;
  publishedPerSecond: number;
  oneConsumer: EndToEndFigures;
  twoConsumers: EndToEndFigures;
}

// Producers at once: a server's many concurrent requests. PostgreSQL then commits them in groups
// (one WAL flush for all that are ready), which is what makes durable one-event transactions fast.
const PUBLISHERS = Number(process.env.BENCH_EVENTS_PUBLISHERS ?? 32);
const HANDLER = process.env.BENCH_EVENTS_HANDLER === 'write' ? 'write' : 'noop';
const COMPANY_ID = DEMO_COMPANIES.bheem.id;
const now = () => performance.timeOrigin + performance.now();
const CONSUMER_PROCESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'events-consumer-process.ts');

function taskPayload() {
  const at = new Date().toISOString();
  return {
    company_id: COMPANY_ID,
    actor_id: '2',
    task_id: randomUUID(),
    task_name: 'Benchmark task',
    description: null,
    status: 'TODO',
    due_date: at,
    project_id: randomUUID(),
    project_name: 'Benchmarks',
    assignee_id: null,
    created_at: at,
    updated_at: at,
  };
}

async function publishOne(db: Kysely<any>): Promise<{ id: string; committedAt: number }> {
  const payload = taskPayload();
  const { id } = await db
    .transaction()
    .execute((trx) => publishEvent(trx, { topic: 'project.task.created', companyId: COMPANY_ID, key: payload.task_id, payload, source: 'bench' }));
  return { id, committedAt: now() };
}

/** `PUBLISHERS` concurrent producers; at `rate` events/s overall, or as fast as they can when rate is 0. */
async function publishFor(db: Kysely<any>, seconds: number, rate: number): Promise<{ committed: Map<string, number>; perSecond: number }> {
  const committed = new Map<string, number>();
  const start = now();
  const end = start + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: PUBLISHERS }, async () => {
      for (;;) {
        const index = next++;
        const due = rate > 0 ? start + (index * 1000) / rate : now();
        if (due >= end || now() >= end) return;
        const wait = due - now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        const { id, committedAt } = await publishOne(db);
        committed.set(id, committedAt);
      }
    }),
  );
  return { committed, perSecond: committed.size / ((now() - start) / 1000) };
}

/** How long the disk takes to make a small write durable (a commit waits for one such flush). */
function measureDiskSync(directory: string): number {
  const file = path.join(directory, 'fsync-probe');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(8192, 1);
  const start = now();
  for (let index = 0; index < 50; index += 1) {
    writeSync(fd, block);
    fdatasyncSync(fd);
  }
  const perSync = (now() - start) / 50;
  closeSync(fd);
  rmSync(file, { force: true });
  return perSync;
}

const round = (value: number) => Math.round(value * 10) / 10;

interface ConsumerChild {
  child: ChildProcess;
  held: number[];
  /** The process's CPU time so far (ms), as last reported. */
  cpuMs: number;
  exited: Promise<void>;
}

function startConsumerProcess(databaseUrl: string, group: string, onHandled: (batch: [string, number][]) => void): ConsumerChild {
  const child = fork(CONSUMER_PROCESS, [JSON.stringify({ databaseUrl, group, handler: HANDLER })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const state: ConsumerChild = { child, held: [], cpuMs: 0, exited: new Promise((resolve) => child.on('exit', () => resolve())) };
  child.on('message', (message: any) => {
    state.cpuMs = message.cpuMs;
    if (message.type === 'held') state.held = message.partitions;
    if (message.type === 'handled') onHandled(message.batch);
  });
  return state;
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function endToEnd(db: Kysely<any>, databaseUrl: string, consumers: number, rate: number, seconds: number, print: (line: string) => void): Promise<EndToEndFigures> {
  const group = `bench-${consumers}`;
  const handled = new Map<string, number>();
  let redeliveries = 0;
  const children = Array.from({ length: consumers }, () =>
    startConsumerProcess(databaseUrl, group, (batch) => {
      for (const [id, at] of batch) {
        if (handled.has(id)) redeliveries += 1;
        else handled.set(id, at);
      }
    }),
  );
  try {
    await until(
      `${consumers} consumer process(es) holding every partition`,
      () => {
        const held = children.map((child) => child.held.length);
        return held.every((count) => count > 0) && held.reduce((a, b) => a + b, 0) === 8;
      },
      60_000,
    );
    print(`  ${consumers} consumer process(es) ready; publishing ${rate} events/s for ${seconds} s`);
    const started = now();
    const producerCpuAtStart = ownCpuMs();
    const databaseCpuAtStart = await backendCpu(db);
    const consumersCpuAtStart = children.reduce((sum, child) => sum + child.cpuMs, 0);
    const { committed, perSecond } = await publishFor(db, seconds, rate);
    const producerCpu = ownCpuMs() - producerCpuAtStart;
    await until('every event handled', () => [...committed.keys()].every((id) => handled.has(id)), 60_000).catch((error) => print(`  ${error.message}`));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the consumers' last CPU reports
    const consumersCpu = children.reduce((sum, child) => sum + child.cpuMs, 0) - consumersCpuAtStart;
    const databaseCpu = backendCpuSince(databaseCpuAtStart, await backendCpu(db));
    const lastHandled = Math.max(...[...committed.keys()].map((id) => handled.get(id) ?? 0));
    const latencies = [...committed]
      .filter(([id]) => handled.has(id))
      .map(([id, at]) => handled.get(id)! - at)
      .sort((a, b) => a - b);
    const rows = await sql<{ n: number; distinct: number }>`
      SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct
      FROM ${sql.table(HANDLER === 'write' ? 'public.bench_handled' : 'events.processed')}
      WHERE ${sql.ref(HANDLER === 'write' ? 'consumer_group' : 'group_name')} = ${group}`.execute(db);
    const figures: EndToEndFigures = {
      consumers,
      targetPerSecond: rate,
      publishedPerSecond: round(perSecond),
      handledPerSecond: round(handled.size / ((lastHandled - started) / 1000)),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies.at(-1) ?? NaN),
      events: committed.size,
      lost: committed.size - latencies.length,
      redeliveries,
      duplicates: rows.rows[0]!.n - rows.rows[0]!.distinct,
      producerCpuUsPerEvent: Math.round((producerCpu * 1000) / committed.size),
      consumersCpuUsPerEvent: Math.round((consumersCpu * 1000) / committed.size),
      databaseCpuUsPerEvent: databaseCpu === undefined ? null : Math.round((databaseCpu * 1000) / committed.size),
      loadAverage: round(os.loadavg()[0]!),
    };
    print(
      `  ${consumers} consumer(s): ${figures.publishedPerSecond} published/s, ${figures.handledPerSecond} handled/s, ` +
        `commit→handler p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms; lost ${figures.lost}, redelivered ${figures.redeliveries}, doubled ${figures.duplicates}; ` +
        `CPU per event: producer ${figures.producerCpuUsPerEvent} µs, consumers ${figures.consumersCpuUsPerEvent} µs, database ${figures.databaseCpuUsPerEvent ?? '?'} µs; load ${figures.loadAverage}`,
    );
    return figures;
  } finally {
    for (const { child } of children) if (child.connected) child.disconnect();
    await Promise.all(children.map((child) => child.exited));
  }
}

export async function runEventsBench(print: (line: string) => void = console.log): Promise<EventsBenchResult> {
  const rate = Number(process.env.BENCH_EVENTS_RATE ?? 2000);
  const seconds = Number(process.env.BENCH_EVENTS_SECONDS ?? 20); // "sustained": long enough for GC pauses and WAL flush stalls to land in the run
  const database = await throwawayDatabase('events', print);
  const databaseUrl = database.url;
  const probeDirectory = database.dataDir ?? os.tmpdir();
  try {
    getPool(databaseUrl, { max: PUBLISHERS }); // one connection per producer (before anything opens the pool)
    await prepareDatabase({ config: loadConfig({ DATABASE_URL: databaseUrl }), databaseUrl, log: createLogger('bench', 'warn') }, [], { seed: false });
    const db = createKysely<any>(databaseUrl);
    await sql`CREATE TABLE public.bench_handled (consumer_group text NOT NULL, event_id uuid NOT NULL)`.execute(db);

    const diskSyncMs = round(measureDiskSync(probeDirectory));
    print(`events: ${os.cpus().length} CPUs, load average ${os.loadavg().map(round).join(' ')}; disk flush ${diskSyncMs} ms`);
    print(`events: handler ${HANDLER === 'write' ? 'writes a row per event' : 'does nothing (BENCH_EVENTS_HANDLER=write: a row per event)'}`);
    print(`events: publishing as fast as ${PUBLISHERS} producers go for 3 s (one event per transaction)`);
    await publishFor(db, 0.5, 0); // warm-up
    const burstCpu = ownCpuMs();
    const burstDatabaseCpu = await backendCpu(db);
    const burst = await publishFor(db, 3, 0);
    const perEvent = (ms: number | undefined) => (ms === undefined ? '?' : Math.round((ms * 1000) / burst.committed.size));
    print(
      `  ${round(burst.perSecond)} events/s published; CPU per event: producer ${perEvent(ownCpuMs() - burstCpu)} µs, ` +
        `database ${perEvent(backendCpuSince(burstDatabaseCpu, await backendCpu(db)))} µs; load ${round(os.loadavg()[0]!)}`,
    );
    // The consumers start from now: the burst above is not theirs to handle.
    const oneConsumer = await endToEnd(db, databaseUrl, 1, rate, seconds, print);
    const twoConsumers = await endToEnd(db, databaseUrl, 2, rate, seconds, print);
    return { cpus: os.cpus().length, handler: HANDLER, diskSyncMs, publishers: PUBLISHERS, publishedPerSecond: round(burst.perSecond), oneConsumer, twoConsumers };
  } finally {
    await closePools();
    await database.drop();
    await database.embedded?.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runEventsBench();
  console.log(JSON.stringify(result, null, 2));
}
