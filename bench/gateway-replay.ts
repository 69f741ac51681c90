/**
 * The gateway's answer path in-process, fed recorded subgraph answers: what
 * the executor does per request (plan run, subgraph JSON parsed, merging,
 * shaping, the client's JSON written out as UTF-8) without HTTP, signing or
 * the subgraphs, so that it can be timed and profiled quietly on a shared
 * machine. Every replayed answer is checked against the seeded data.
 *
 *   record: starts the bench stack (bench-stack.ts), runs the course list
 *   and course pages once through an in-process executor whose fetches go to
 *   the real subgraphs, and saves each subgraph answer by request body:
 *     node --import tsx bench/gateway-replay.ts record /tmp/replay.json
 *   replay: the same operations against the saved answers, for N seconds each:
 *     node --import tsx [--cpu-prof] bench/gateway-replay.ts replay /tmp/replay.json [seconds] [operations]
 *   BENCH_REPLAY_REQUESTS=N runs N requests of each operation instead of `seconds` (instruction counts).
 *   BENCH_REPLAY_EMOJI=1 puts an emoji into every course's shortname and every title (one character past Latin-1
 *   is enough to make a string two-byte). BENCH_REPLAY_WHOLE=1 decodes and writes as before answer-chunks.ts.
 *   BENCH_REPLAY_SPLICE=0 parses every subgraph answer whole (no text kept, execution/raw-json.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'undici';
import { answerChunks } from '../gateway/answer-chunks.js';
import { answerText } from '../gateway/subgraph-answer-text.js';
import type { AnswerReader, SubgraphAnswer } from '../gateway/execution/execute-plan.js';
import type { PreparedOperation, SplicedResult } from '../gateway/execution/plan-executor.js';
import { PlanExecutor } from '../gateway/execution/plan-executor.js';
import { apolloPlanner } from '../gateway/planning/apollo-planner.js';
import { loadSupergraph } from '../gateway/supergraph/load-supergraph.js';
import { graphqlRuntime } from '../platform/subgraph/subscriptions/graphql-runtime.js';
import { canonical, OPERATIONS, type OperationName } from './gateway/operations.js';
import { answerKey, type Recording, readRecording } from './support/replay-recording.js';

const [mode, file, ...rest] = process.argv.slice(2);
if ((mode !== 'record' && mode !== 'replay') || !file) {
  console.error('Usage: bench/gateway-replay.ts record|replay <file> [seconds] [operations]');
  process.exit(2);
}

type Sender = (service: string, body: string) => Promise<Buffer>;

// Each step its own function, so that a CPU profile of a replay tells them apart.
const requestBody = (query: string, variables: Record<string, unknown>, operationName: string | undefined) => JSON.stringify({ query, variables, operationName });
/** As subgraph-data-source.ts reads an answer (BENCH_REPLAY_WHOLE=1: decoded as it was before subgraph-answer-text.ts). */
const parseAnswer = (bytes: Buffer, read?: AnswerReader) => {
  const text = process.env.BENCH_REPLAY_WHOLE === '1' ? bytes.toString('utf8') : answerText(bytes);
  return (read?.(text) ?? JSON.parse(text)) as SubgraphAnswer;
};
/** As fast-lane.ts writes it (BENCH_REPLAY_WHOLE=1: one string, as before answer-chunks.ts), encoded as the socket does. */
const encodeAnswer = (result: SplicedResult) => {
  const answer = { errors: result.errors, data: result.data, extensions: result.extensions };
  if (process.env.BENCH_REPLAY_WHOLE === '1') return Buffer.from(`${JSON.stringify(answer)}\n`);
  const chunks = answerChunks(answer, result.spliced);
  return chunks.length === 1 ? Buffer.from(chunks[0]!) : Buffer.concat(chunks.map((chunk) => Buffer.from(chunk)));
};

function executorOver(supergraph: string, send: Sender) {
  const loaded = loadSupergraph(supergraph);
  const executor = new PlanExecutor({
    planner: apolloPlanner(loaded),
    supergraphSchema: loaded.supergraphGraphQLSchema,
    send: async (fetch, variables, _context, read) => {
      // As subgraph-data-source.ts: the body stringified, the answer read or parsed.
      return parseAnswer(await send(fetch.serviceName, requestBody(fetch.operation, variables, fetch.operationName)), read);
    },
  });
  const prepared = new Map<OperationName, PreparedOperation>();
  const prepare = (name: OperationName) => {
    let operation = prepared.get(name);
    if (!operation) {
      const outcome = executor.prepareOutside(OPERATIONS[name].query, undefined, loaded.apiGraphQLSchema, graphqlRuntime.specifiedRules);
      if (!('plan' in outcome)) throw new Error(`${name}: ${outcome.errors.map((error) => error.message).join('; ')}`);
      prepared.set(name, (operation = outcome));
    }
    return operation;
  };
  /** One request as the fast lane answers it: run, the body stringified, encoded as the socket write does. */
  return async (name: OperationName, variables: Record<string, unknown>): Promise<Buffer> => {
    // As fast-lane.ts runs it: the answer may hold subgraph text (BENCH_REPLAY_SPLICE=0: never).
    return encodeAnswer(await executor.run(prepare(name), variables, undefined, process.env.BENCH_REPLAY_SPLICE !== '0'));
  };
}

if (mode === 'record') {
  const os = await import('node:os');
  const { withBenchStack } = await import('./gateway/with-bench-stack.js');
  const { planRequest } = await import('./gateway/operations.js');
  const { checkoutCode } = await import('./gateway/checkout-code.js');
  const { REPO_ROOT } = await import('../platform/paths.js');
  const print = (line: string) => console.log(line);
  // The subgraphs answer as production's compiled ones do (their answers are what is recorded).
  const code = await checkoutCode(REPO_ROOT, 'dist', print);
  print(`the subgraphs run ${code.description}`);
  await withBenchStack(print, async (stack) => {
    const { fixture } = stack.data;
    const { subgraphs, supergraphPath, meter } = await stack.startSubgraphs(stack.database.url, { code, label: '' });
    const recording: Recording = { supergraph: readFileSync(supergraphPath, 'utf8'), requests: [], answers: {} };
    let token = '';
    const run = executorOver(recording.supergraph, async (service, body) => {
      const response = await request(subgraphs.urls[service as keyof typeof subgraphs.urls], {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      const text = await response.body.text();
      recording.answers[answerKey(token, service, body)] = text;
      return Buffer.from(text);
    });
    // Seeded choices: every company's course list, and course pages of several companies.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const wanted: OperationName[] = ['courseList', 'courseList', 'courseList', 'courseList', ...Array<OperationName>(8).fill('coursePage')];
    for (const operation of wanted) {
      const planned = planRequest(operation, fixture, random);
      token = planned.token;
      const body = JSON.parse((await run(operation, planned.variables)).toString()) as { data?: unknown };
      if (!planned.check(body)) throw new Error(`${operation}: a wrong answer while recording`);
      const expected = canonical(body.data);
      recording.requests.push({ operation, variables: planned.variables, expected, token });
    }
    writeFileSync(file, JSON.stringify(recording));
    await meter.close();
    print(`recorded ${recording.requests.length} requests, ${Object.keys(recording.answers).length} subgraph answers into ${file} (load ${os.loadavg()[0]!.toFixed(1)})`);
  });
  process.exit(0);
}

const recording = readRecording(file);
const seconds = Number(rest[0] ?? 5);
const operations = (rest[1] ?? 'courseList,coursePage').split(',') as OperationName[];
console.log(`the executor runs in this process, on Node.js ${process.version} (the machine's: run this file under another node to measure it)`);
const emoji = process.env.BENCH_REPLAY_EMOJI === '1';
// Every one, in the answers and the expected data alike (one is enough to make a string two-byte).
const withEmoji = (text: string) => (emoji ? text.replace(/"(shortname|title)":"/g, '"$1":"\u{1F393}') : text);
const answers = new Map(Object.entries(recording.answers).map(([key, text]) => [key, Buffer.from(withEmoji(text))]));
let token = '';
const run = executorOver(recording.supergraph, async (service, body) => {
  const text = answers.get(answerKey(token, service, body));
  if (text === undefined) throw new Error(`no recorded answer from ${service} for ${body.slice(0, 200)}`);
  return text;
});

for (const operation of operations) {
  const requests = recording.requests.filter((recorded) => recorded.operation === operation);
  const expected = requests.map((recorded) => withEmoji(recorded.expected));
  // Warm up, checking every answer once.
  for (let round = 0; round < 50; round++) {
    for (const [index, recorded] of requests.entries()) {
      token = recorded.token;
      const body = JSON.parse((await run(operation, recorded.variables)).toString('utf8')) as { data?: unknown; errors?: unknown };
      if (body.errors !== undefined || canonical(body.data) !== expected[index]) throw new Error(`${operation}: a wrong answer on replay: ${JSON.stringify(body).slice(0, 300)}`);
    }
  }
  let count = 0;
  let bytes = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  // BENCH_REPLAY_REQUESTS=N: exactly N requests (for instruction counts, e.g. under callgrind), not `seconds`.
  const fixed = Number(process.env.BENCH_REPLAY_REQUESTS ?? 0);
  while (fixed > 0 ? count < fixed : performance.now() - started < seconds * 1000) {
    for (const recorded of requests) {
      token = recorded.token;
      bytes += (await run(operation, recorded.variables)).length;
      count++;
    }
  }
  const cpu = process.cpuUsage(cpuBefore);
  console.log(
    `${operation}${emoji ? ' (emoji)' : ''}: ${count} requests, ${((cpu.user + cpu.system) / 1000 / count).toFixed(3)} ms CPU each, ${((performance.now() - started) / count).toFixed(3)} ms wall, ${Math.round(bytes / count)} bytes`,
  );
}
