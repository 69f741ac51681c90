/**
 * The answer path of two checkouts in one process, alternating blocks of replayed requests (see
 * gateway-replay.ts): both see the same machine load at the same moments, so that a ratio of their CPU per
 * request holds on a busy machine. Every answer of both is checked once first.
 *   node --import tsx bench/gateway-replay-ab.ts <recording.json> <rootA> <rootB> [rounds] [requests per block] [operation]
 */
import { canonical, type OperationName } from './gateway/operations.js';
import { answerKey, type Recorded, readRecording } from './support/replay-recording.js';

const [file, rootA, rootB, roundsArg, blockArg, operationArg] = process.argv.slice(2);
if (!file || !rootA || !rootB) {
  console.error('Usage: bench/gateway-replay-ab.ts <recording.json> <rootA> <rootB> [rounds] [requests per block] [operation]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 20);
const block = Number(blockArg ?? 40);
const operation = (operationArg ?? 'courseList') as OperationName;

const recording = readRecording(file);
const answers = new Map(Object.entries(recording.answers).map(([key, text]) => [key, Buffer.from(text)]));
const requests = recording.requests.filter((recorded) => recorded.operation === operation);

async function side(root: string) {
  const load = (path: string) => import(`${root}/${path}`);
  const { answerChunks } = await load('gateway/answer-chunks.ts');
  const { answerText } = await load('gateway/subgraph-answer-text.ts');
  const { PlanExecutor } = await load('gateway/execution/plan-executor.ts');
  const { apolloPlanner } = await load('gateway/planning/apollo-planner.ts');
  const { loadSupergraph } = await load('gateway/supergraph/load-supergraph.ts');
  const { graphqlRuntime } = await load('platform/subgraph/subscriptions/graphql-runtime.ts');
  const { OPERATIONS } = await load('bench/gateway/operations.ts');
  const loaded = loadSupergraph(recording.supergraph);
  let token = '';
  const executor = new PlanExecutor({
    planner: apolloPlanner(loaded),
    supergraphSchema: loaded.supergraphGraphQLSchema,
    // A checkout whose executor reads answers itself passes `read` (entity-answer-reader.ts); older ones do not.
    send: async (
      fetch: { serviceName: string; operation: string; operationName?: string },
      variables: Record<string, unknown>,
      _context: unknown,
      read?: (text: string) => unknown,
    ) => {
      const body = JSON.stringify({ query: fetch.operation, variables, operationName: fetch.operationName });
      const bytes = answers.get(answerKey(token, fetch.serviceName, body));
      if (!bytes) throw new Error(`no recorded answer from ${fetch.serviceName}`);
      const text = answerText(bytes);
      return read?.(text) ?? JSON.parse(text);
    },
  });
  const prepared = executor.prepareOutside(OPERATIONS[operation].query, undefined, loaded.apiGraphQLSchema, graphqlRuntime.specifiedRules);
  return async (recorded: Recorded): Promise<Buffer> => {
    token = recorded.token;
    // As the fast lane runs and writes it (older checkouts ignore the splice flag and `spliced`).
    const result = await executor.run(prepared, recorded.variables, undefined, true);
    const chunks: string[] = answerChunks({ errors: result.errors, data: result.data, extensions: result.extensions }, result.spliced);
    return chunks.length === 1 ? Buffer.from(chunks[0]!) : Buffer.concat(chunks.map((chunk) => Buffer.from(chunk)));
  };
}

const sides = [await side(rootA), await side(rootB)];
for (let round = 0; round < 50; round++)
  for (const recorded of requests) {
    const [a, b] = [await sides[0]!(recorded), await sides[1]!(recorded)];
    const body = JSON.parse(a.toString('utf8')) as { data?: unknown; errors?: unknown };
    if (body.errors !== undefined || canonical(body.data) !== recorded.expected) throw new Error(`${operation}: a wrong answer`);
    // The two checkouts' answers byte for byte: a change to the answer path must not change a byte.
    if (!a.equals(b)) throw new Error(`${operation}: the two checkouts' answers differ`);
  }
const totals: [number, number] = [0, 0];
const ratios: number[] = [];
for (let round = 0; round < rounds; round++) {
  const perRequest: [number, number] = [0, 0];
  // A then B in even rounds, B then A in odd ones.
  for (const which of round % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const)) {
    const before = process.cpuUsage();
    for (let index = 0; index < block; index++) await sides[which]!(requests[index % requests.length]!);
    const used = process.cpuUsage(before);
    perRequest[which] = (used.user + used.system) / 1000 / block;
    totals[which] += perRequest[which];
  }
  ratios.push(perRequest[1]! / perRequest[0]!);
}
ratios.sort((a, b) => a - b);
const { loadavg } = await import('node:os');
console.log(
  `${operation}: A ${(totals[0]! / rounds).toFixed(3)} ms, B ${(totals[1]! / rounds).toFixed(3)} ms CPU per request; B/A of sums ${(totals[1]! / totals[0]!).toFixed(3)}, median round ${ratios[Math.floor(rounds / 2)]!.toFixed(3)} (${ratios[0]!.toFixed(2)}-${ratios[rounds - 1]!.toFixed(2)}), ${rounds} rounds of ${block}, load ${loadavg()[0]!.toFixed(1)}`,
);
