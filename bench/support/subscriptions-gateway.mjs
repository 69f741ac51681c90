/**
 * The gateway's process in bench/subscriptions.ts, in plain JavaScript so
 * that it can run the compiled build as production does (`node <flags>
 * dist/…`, no TypeScript loader), or the sources under `--import tsx`.
 * BENCH_SUB_CODE: the folder holding gateway/ and platform/ (a compiled
 * build, or a checkout's sources); the configuration is the environment's.
 * Answers the bench's messages: its CPU (user and system), its memory
 * after a full GC, a V8 CPU profile of the measured events, its GC pauses
 * (count and time, major ones apart), a full GC on demand ('settle'), and
 * the fan-out timings of each event (gateway/subscriptions/fan-out-timings.ts).
 */
import diagnostics from 'node:diagnostics_channel';
import { readFileSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { countGcPauses } from './gc-pauses.mjs';

const code = process.env.BENCH_SUB_CODE;
const load = (file) => import(pathToFileURL(path.join(code, file)).href);
const [{ startGateway }, { loadConfig }, { createLogger }, { activeClientSubscriptions }] = await Promise.all([
  load('gateway/start-gateway.js'),
  load('platform/config.js'),
  load('platform/logger.js'),
  load('gateway/subscriptions/start-subscriptions.js'),
]);

const config = loadConfig(process.env);
const running = await startGateway({ config, log: createLogger('gateway', 'warn'), subgraphUrls: JSON.parse(process.env.BENCH_SUB_URLS) });
process.send({ type: 'listening', url: running.url.replace('localhost', '127.0.0.1') });

const gcPauses = countGcPauses();

// The channel is found by name: nothing of the gateway's code to import for it.
let timings = [];
diagnostics.subscribe('bheem:gateway:subscription-fan-out', (timing) => timings.push(timing));

/** The process's read and write system calls and bytes written so far (Linux's /proc/self/io: the read and write families, sockets included), or nothing elsewhere. */
function syscalls() {
  try {
    const io = readFileSync('/proc/self/io', 'utf8');
    const count = (name) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
    return { reads: count('syscr'), writes: count('syscw'), writtenBytes: count('wchar') };
  } catch {
    return undefined;
  }
}

const profiler = new inspector.Session();
process.on('message', async (message) => {
  if (message.type === 'profile') {
    if (message.action === 'start') {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    } else {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(process.env.BENCH_SUB_CPU_PROFILE, JSON.stringify(profile));
      profiler.disconnect();
    }
    process.send({ type: 'profiled' });
  } else if (message.type === 'cpu') {
    const { userCPUTime, systemCPUTime, voluntaryContextSwitches, involuntaryContextSwitches } = process.resourceUsage();
    process.send({
      type: 'cpu',
      userMs: userCPUTime / 1000,
      systemMs: systemCPUTime / 1000,
      gc: { ...gcPauses },
      timings,
      syscalls: syscalls(),
      contextSwitches: { voluntary: voluntaryContextSwitches, involuntary: involuntaryContextSwitches },
    });
    timings = [];
  } else if (message.type === 'settle') {
    for (let index = 0; index < 2; index++) globalThis.gc?.();
    process.send({ type: 'settled' });
  } else if (message.type === 'memory') {
    for (let index = 0; index < 3; index++) globalThis.gc?.();
    const usage = process.memoryUsage();
    process.send({ type: 'memory', rss: usage.rss, heap: usage.heapUsed, clients: activeClientSubscriptions() });
  } else {
    await running.stop();
    process.exit(0);
  }
});
