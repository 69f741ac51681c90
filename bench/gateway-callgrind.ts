/**
 * Instructions per request of the whole gateway process (HTTP in and out, the
 * token, the identity signatures, metrics, the executor): our compiled gateway
 * under valgrind's callgrind, its subgraphs a stub answering each fetch with a
 * fixed answer, so that only the gateway's work is counted. Instrumentation is
 * off through start-up and warm-up and on for exactly N requests, then dumped:
 * the dump's total over N is the instructions per request.
 *
 *   node --import tsx bench/gateway-callgrind.ts [--root <checkout>] [--operation lookup|joinLiveClass]
 *     [--requests 1000] [--warmup 2000] [--vus 4] [--out /tmp/cg.out] [--dry]
 *   node --import tsx bench/gateway-callgrind.ts --operation courseList|coursePage --recording /tmp/replay.json ...
 *   ... --dry --node-flags '--trace-gc-nvp'   (the gateway's collections, one line each, in its output)
 *
 * The course list and page need the bench stack's real answers (~120 kB a list):
 * `--recording` is a file bench/gateway-replay.ts recorded; the harness sends its
 * first request of the operation (its variables) and the stub answers each
 * fetch with what the subgraph answered that caller for the same body (any
 * other body is a failure). The first answer is checked against the recorded
 * data, every later one must be byte for byte the first.
 *
 * The measured requests' dump is `<out>.1`. `--dry`: the same without valgrind (checks the harness), printing
 * the gateway's CPU time per measured request from /proc (all its threads, GC helpers included; load-dependent).
 * `--node-flags`: more V8/Node flags for the gateway, after its own (space-separated).
 * `--root`: the checkout whose gateway runs (compiled by its own cache, as
 * bench/gateway/checkout-code.ts does; default this one). The gateway runs with
 * `--perf-basic-prof`, so that bench/support/callgrind-names.ts can name the
 * JIT's code in the dump (callgrind knows only native symbols). Every answer is
 * checked. V8's optimizing compiler may still be at work after a short warm-up
 * (31 % of a lookup's count after 2 000 requests, bench/README-results.md):
 * warm up long, and compare builds over more than one run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { SUBGRAPH_NAMES } from '../platform/config.js';
import { checkoutCode } from './gateway/checkout-code.js';
import { canonical, OPERATIONS } from './gateway/operations.js';
import { startProductionEnv } from './gateway/production-env.js';
import { exchangeKey, exchangesOf, readRecording } from './support/replay-recording.js';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: '.' },
    operation: { type: 'string', default: 'lookup' },
    requests: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '2000' },
    vus: { type: 'string', default: '4' },
    out: { type: 'string', default: '/tmp/callgrind.gateway.out' },
    recording: { type: 'string' },
    /** Without valgrind: the same requests, to check the harness quickly. */
    dry: { type: 'boolean', default: false },
    /** More flags for the gateway's node (`--trace-gc-nvp`), space-separated. */
    'node-flags': { type: 'string', default: '' },
  },
});
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const vus = Number(values.vus);
const root = path.resolve(values.root!);

/** The bench's operations (bench/gateway/operations.ts), each with the one subgraph answer it needs. */
const CASES = {
  lookup: {
    query: 'query CourseLookup($id: ID!) { course(id: $id) { id shortname fullname summary } }',
    answer: { data: { course: { id: '42', shortname: 'ALG-1', fullname: 'Algebra one', summary: 'Groups, rings and fields' } } },
  },
  joinLiveClass: {
    query: 'mutation Join($id: ID!) { joinLiveClass(id: $id) { roomName canPublish livekitUrl token expiresAt } }',
    answer: {
      data: {
        joinLiveClass: {
          roomName: 'company-1-class-42',
          canPublish: false,
          livekitUrl: 'wss://livekit.bench.invalid',
          token: 'x'.repeat(400),
          expiresAt: '2026-12-06T06:00:00.000Z',
        },
      },
    },
  },
} as const;
interface Case {
  query: string;
  variables: (sent: number) => Record<string, unknown>;
  /** The stub's answer to a fetch (the service is the URL's first segment), undefined for one not expected. */
  answer: (service: string, body: string) => string | undefined;
  /** Whether a (200) answer's text is right. */
  check: (text: string) => boolean;
}

function fixedCase(name: keyof typeof CASES): Case {
  const answerText = JSON.stringify(CASES[name].answer);
  return {
    query: CASES[name].query,
    variables: (sent) => ({ id: String(sent % 400) }),
    answer: () => answerText,
    check: (text) => text.trimEnd() === answerText,
  };
}

function recordedCase(name: 'courseList' | 'coursePage', file: string | undefined): Case {
  if (!file) throw new Error(`--operation ${name} needs --recording <file> (bench/gateway-replay.ts record)`);
  const recording = readRecording(file);
  const recorded = recording.requests.find((request) => request.operation === name);
  if (!recorded) throw new Error(`${file} holds no ${name}`);
  const exchanges = exchangesOf(recording, recorded);
  let first: string | undefined;
  return {
    query: OPERATIONS[name].query,
    variables: () => recorded.variables,
    answer: (service, body) => exchanges.get(exchangeKey(service, body)),
    check: (text) => {
      if (first !== undefined) return text === first;
      const body = JSON.parse(text) as { data?: unknown; errors?: unknown };
      if (body.errors !== undefined || canonical(body.data) !== recorded.expected) return false;
      first = text;
      return true;
    },
  };
}

const operation: Case =
  values.operation === 'courseList' || values.operation === 'coursePage'
    ? recordedCase(values.operation, values.recording)
    : values.operation in CASES
      ? fixedCase(values.operation as keyof typeof CASES)
      : (() => {
          throw new Error(`--operation: one of ${[...Object.keys(CASES), 'courseList', 'coursePage'].join(', ')}`);
        })();

// Every subgraph at one stub, told apart by the URL's first segment (read whole first, as a subgraph does).
let fetches = 0;
let unexpected = '';
const stub = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    fetches++;
    const service = request.url?.split('/')[1] ?? '';
    const body = Buffer.concat(chunks).toString('utf8');
    const answer = operation.answer(service, body);
    if (answer === undefined) {
      unexpected ||= `${service}: ${body.slice(0, 300)}`;
      response.writeHead(500).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    response.end(answer);
  });
});
// Valgrind slows the gateway down: an idle pooled socket must not be closed under it (a mutation is not sent twice).
stub.keepAliveTimeout = 3_600_000;
await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
const stubPort = (stub.address() as AddressInfo).port;

const production = await startProductionEnv();
/** A fixed UUID per number (tokens' subjects and companies are UUIDs). */
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const tokens = await Promise.all(
  Array.from({ length: 200 }, (_, index) =>
    production.sign({
      userId: uuid(index),
      companyId: uuid(1_000 + (index % 4)),
      roles: ['admin'],
      name: `User ${index}`,
      email: `u${index}@bench.invalid`,
      moodleUserId: String(index + 2),
    }),
  ),
);

const code = await checkoutCode(root, 'dist', (line) => console.log(line));
console.log(`the gateway runs ${code.description}`);
/** Valgrind names its control pipes after HOST too: callgrind_control must be given the same. */
const GATEWAY_HOST = '127.0.0.1';
const port = 20_000 + Math.floor(Math.random() * 20_000);
const underValgrind = values.dry ? [] : ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${values.out}`];
const valgrind = spawn(
  underValgrind[0] ?? code.node.binary,
  [
    ...underValgrind.slice(1),
    ...(underValgrind.length ? [code.node.binary] : []),
    ...code.gatewayNodeFlags,
    ...values['node-flags']!.split(' ').filter(Boolean),
    '--perf-basic-prof',
    ...code.gatewayEntry(1),
  ],
  {
    cwd: code.root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      ...production.env,
      LOG_LEVEL: 'warn',
      HOST: GATEWAY_HOST,
      // Valgrind slows everything down some fifty times: no fetch may be cut for taking long.
      GATEWAY_REQUEST_TIMEOUT_MS: '3600000',
      GATEWAY_SUBGRAPH_TIMEOUT_MS: '3600000',
      GATEWAY_PORT: String(port),
      GATEWAY_RATE_LIMIT_STORE: 'off',
      GATEWAY_INTROSPECTION: 'false',
      GATEWAY_FIELD_SUGGESTIONS: 'false',
      DATABASE_URL: '',
      ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${stubPort}/${name}/graphql`])),
    },
  },
);
const gatewayPid = valgrind.pid!;
// The gateway does not outlive the driver, whatever ends it.
process.on('exit', () => valgrind.kill('SIGKILL'));

const client = new Pool(`http://127.0.0.1:${port}`, { connections: vus });
const started = Date.now();
for (;;) {
  try {
    const { statusCode, body } = await client.request({ path: '/health/live', method: 'GET' });
    await body.dump();
    if (statusCode === 200) break;
  } catch {}
  if (valgrind.exitCode !== null) throw new Error('the gateway exited');
  if (Date.now() - started > 900_000) throw new Error('the gateway was not live within 900 s');
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
console.log(`gateway live after ${((Date.now() - started) / 1000).toFixed(0)} s`);

let sent = 0;
async function drive(count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const token = tokens[sent++ % tokens.length]!;
      const { statusCode, body } = await client.request({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: operation.query, variables: operation.variables(sent) }),
      });
      const text = await body.text();
      if (unexpected) throw new Error(`a fetch the recording does not hold: ${unexpected}`);
      if (statusCode !== 200 || !operation.check(text)) throw new Error(`a wrong answer (${statusCode}): ${text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: vus }, worker));
}

const callgrindControl = (...args: string[]) =>
  values.dry ? '' : execFileSync('callgrind_control', [...args, String(gatewayPid)], { encoding: 'utf8', env: { ...process.env, HOST: GATEWAY_HOST } });
await drive(warmup);
console.log(`warmed up with ${warmup} requests (${fetches} subgraph fetches)`);
/** The gateway's CPU time so far (all its threads: GC helpers included), in ms, from /proc. */
const gatewayCpuMs = () => {
  const fields = readFileSync(`/proc/${gatewayPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
};
callgrindControl('--instr=on');
const fetchesBefore = fetches;
const cpuBefore = gatewayCpuMs();
await drive(requests);
const cpuMs = gatewayCpuMs() - cpuBefore;
callgrindControl('--dump');
callgrindControl('--instr=off');
const measuredFetches = fetches - fetchesBefore;

await client.close();
valgrind.kill('SIGTERM');
await new Promise((resolve) => valgrind.once('exit', resolve));
await production.stop();
stub.close();

if (values.dry) {
  console.log(
    `dry run: ${requests} requests answered right (${measuredFetches} subgraph fetches), gateway CPU ${(cpuMs / requests).toFixed(3)} ms a request (all threads, load ${loadavg()[0]!.toFixed(1)})`,
  );
  process.exit(0);
}
// The dump asked for is part 1, `<out>.1` (the final one, at exit, holds what ran after it).
const dump = `${values.out}.1`;
const totals = Number(/^totals: (\d+)/m.exec(readFileSync(dump, 'utf8'))?.[1] ?? Number.NaN);
console.log(
  `${values.operation}: ${requests} requests (${measuredFetches} subgraph fetches), ${(totals / requests / 1000).toFixed(1)} k instructions per request (${dump}; JIT names: /tmp/perf-${gatewayPid}.map)`,
);
