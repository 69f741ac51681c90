/**
 * The kernel's side of a gateway request, ours beside Grafbase's: for a fixed
 * number of requests of one operation, per request, the gateway process's
 * user and kernel CPU (/proc/<pid>/stat, every thread), its read and write
 * system calls and bytes (/proc/<pid>/io: what it sent its clients and
 * subgraphs and read from them), and with --strace every system call by
 * name (`strace -c -f`, a second run, since tracing slows the process).
 * Counts, not timings, so a loaded machine changes little of them.
 *
 *   node --import tsx bench/gateway-syscalls.ts [--operation courseList] [--requests 2000] [--vus 8]
 *     [--gateways ours,grafbase] [--strace] [--perf] [--hold]
 *
 * --perf samples each gateway with `perf record` (user and kernel, every
 * thread) over its run and prints where its cycles went, by binary and by
 * symbol; our gateway's JIT code is named only with
 * BENCH_OUR_NODE_FLAGS="--max-semi-space-size=64 --perf-basic-prof"; BENCH_PERF_CALLGRAPH=1
 * records call chains too (frame pointers: JIT code keeps them), for
 * `perf report --children` on the data file named.
 *
 * --hold keeps the stack up after the runs, printing each gateway's pid and
 * URL, until interrupted (to point `perf record -p` at it; our gateway takes
 * extra node flags from BENCH_OUR_NODE_FLAGS, e.g. --perf-basic-prof).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../platform/database/embedded-postgres.js';
import { REPO_ROOT } from '../platform/paths.js';
import { checkoutCode } from './gateway/checkout-code.js';
import { waitUntilAnswering } from './gateway/gateway-ready.js';
import { GATEWAYS } from './gateway/gateways.js';
import { startGatewayAt } from './gateway/interleave.js';
import type { OperationName } from './gateway/operations.js';
import { runLoadProcess } from './gateway/services.js';
import { withBenchStack } from './gateway/with-bench-stack.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1]! : fallback;
};
const operation = arg('--operation', 'courseList') as OperationName;
const requests = Number(arg('--requests', '2000'));
const vus = Number(arg('--vus', '8'));
const gatewayIds = arg('--gateways', 'ours,grafbase').split(',');
const withStrace = args.includes('--strace');
const withPerf = args.includes('--perf');
/** BENCH_PERF_EVENT=page-faults (or another perf event) samples that instead of cycles. */
const perfEvent = process.env.BENCH_PERF_EVENT ? ['-e', process.env.BENCH_PERF_EVENT, '-c', '1'] : ['-F', '1999'];
const hold = args.includes('--hold');
const print = (line: string) => console.log(line);

const TICK_MS = 1000 / 100; // USER_HZ

interface Reading {
  minorFaults: number;
  userMs: number;
  systemMs: number;
  io: Record<string, number>;
}

function read(pid: number): Reading {
  // Fields after the command's closing parenthesis: minflt is the 8th, utime and stime the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const io = Object.fromEntries(
    readFileSync(`/proc/${pid}/io`, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(': ') as [string, string])
      .map(([name, value]) => [name, Number(value)]),
  );
  return { minorFaults: Number(fields[7]), userMs: Number(fields[11]) * TICK_MS, systemMs: Number(fields[12]) * TICK_MS, io };
}

/** strace -c's table: calls per system call name. */
function straceCalls(text: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const line of text.split('\n')) {
    const columns = line.trim().split(/\s+/);
    // % time, seconds, usecs/call, calls, [errors,] syscall
    if (columns.length < 5 || !/^\d/.test(columns[0]!) || columns.at(-1) === 'total') continue;
    calls.set(columns.at(-1)!, Number(columns[3]));
  }
  return calls;
}

const perRequest = (value: number, count: number) => (value / Math.max(1, count)).toFixed(3);

const subgraphCode = await checkoutCode(REPO_ROOT, 'dist', print);
const ourCode = await checkoutCode(REPO_ROOT, 'dist', print);
print(`our gateway and the subgraphs run ${ourCode.description}`);
await withBenchStack(print, async (stack) => {
  const { fixture, fixturePath } = stack.data;
  const { subgraphs, supergraphPath } = await stack.startSubgraphs(stack.database.url, { code: subgraphCode, label: '' });
  const gateways: { id: string; pid: number; url: string }[] = [];
  for (const id of gatewayIds) {
    if (id === 'ours') {
      const { service, url } = await startGatewayAt(ourCode, 'gateway-ours', {
        scratch: stack.scratch,
        subgraphUrls: subgraphs.urls,
        supergraphPath,
        databaseUrl: stack.database.url,
        env: stack.production.env,
        fixture,
      });
      stack.services.push(service);
      gateways.push({ id, pid: service.child.pid!, url });
    } else {
      const spec = GATEWAYS[id as keyof typeof GATEWAYS];
      await spec.prepare?.(print, 'dist');
      const port = await freePort();
      const service = await spec.start({
        scratch: stack.scratch,
        port,
        processes: 1,
        subgraphUrls: subgraphs.urls,
        supergraphPath,
        databaseUrl: stack.database.url,
        env: stack.production.env,
        form: 'dist',
      });
      stack.services.push(service);
      const url = `http://127.0.0.1:${port}/graphql`;
      await waitUntilAnswering(service, url, fixture);
      gateways.push({ id, pid: service.child.pid!, url });
    }
  }
  const load = (url: string, maxRequests: number) => runLoadProcess({ url, operation, fixturePath, vus, seconds: 600, maxRequests });
  for (const gateway of gateways) await load(gateway.url, 1000); // JIT and pools warm

  print(`\n${operation}, ${requests} requests, ${vus} virtual users (load ${os.loadavg()[0]!.toFixed(1)}); per request:`);
  print('gateway | user ms | kernel ms | page faults | read calls | write calls | bytes read | bytes written | errors');
  for (const gateway of gateways) {
    const before = read(gateway.pid);
    const result = await load(gateway.url, requests);
    const after = read(gateway.pid);
    const io = (name: string) => perRequest(after.io[name]! - before.io[name]!, result.requests);
    print(
      `${gateway.id} | ${perRequest(after.userMs - before.userMs, result.requests)} | ${perRequest(after.systemMs - before.systemMs, result.requests)} | ${perRequest(after.minorFaults - before.minorFaults, result.requests)} | ${io('syscr')} | ${io('syscw')} | ${io('rchar')} | ${io('wchar')} | ${result.errors}`,
    );
  }

  if (withStrace) {
    const tables = new Map<string, { calls: Map<string, number>; requests: number }>();
    for (const gateway of gateways) {
      const output = path.join(stack.scratch.dir, `strace-${gateway.id}.txt`);
      const strace = spawn('strace', ['-c', '-f', '-p', String(gateway.pid), '-o', output], { stdio: 'ignore' });
      await new Promise((resolve) => setTimeout(resolve, 1500)); // attached to every thread
      const result = await load(gateway.url, requests);
      const exited = new Promise((resolve) => strace.once('exit', resolve));
      strace.kill('SIGINT');
      await exited;
      tables.set(gateway.id, { calls: straceCalls(readFileSync(output, 'utf8')), requests: result.requests });
    }
    const names = [...new Set([...tables.values()].flatMap(({ calls }) => [...calls.keys()]))];
    const total = (name: string) => [...tables.values()].reduce((sum, { calls, requests: count }) => sum + (calls.get(name) ?? 0) / count, 0);
    names.sort((a, b) => total(b) - total(a));
    print(`\nsystem calls per request (strace -c -f): syscall | ${gateways.map((gateway) => gateway.id).join(' | ')}`);
    for (const name of names)
      print(`${name} | ${gateways.map((gateway) => perRequest(tables.get(gateway.id)!.calls.get(name) ?? 0, tables.get(gateway.id)!.requests)).join(' | ')}`);
  }

  if (withPerf) {
    for (const gateway of gateways) {
      const output = path.join(stack.scratch.dir, `perf-${gateway.id}.data`);
      const perf = spawn('perf', ['record', ...perfEvent, ...(process.env.BENCH_PERF_CALLGRAPH === '1' ? ['-g'] : []), '-p', String(gateway.pid), '-o', output], {
        stdio: 'ignore',
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const result = await load(gateway.url, requests);
      const exited = new Promise((resolve) => perf.once('exit', resolve));
      perf.kill('SIGINT');
      await exited;
      const report = (sort: string, lines: number) =>
        execFileSync('perf', ['report', '-i', output, '--no-children', '--sort', sort, '--stdio', '--percent-limit', '0.4'], { encoding: 'utf8', maxBuffer: 64 << 20 })
          .split('\n')
          .filter((line) => line.trim() && !line.startsWith('#'))
          .slice(0, lines);
      print(`\nperf record of ${gateway.id}, ${result.requests} requests (${output}); by binary:`);
      for (const line of report('dso', 15)) print(line);
      print('by symbol:');
      for (const line of report('dso,sym', 60)) print(line);
    }
  }

  if (hold) {
    for (const gateway of gateways) print(`holding: ${gateway.id} pid ${gateway.pid} ${gateway.url}`);
    print(`fixture ${fixturePath}; interrupt to stop`);
    await new Promise((resolve) => process.once('SIGINT', resolve));
  }
});
process.exit(0);
