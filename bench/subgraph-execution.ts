/**
 * A subgraph's execution in-process, without HTTP or the gateway: the bench
 * data seeded, the course list and course pages planned by the gateway's
 * executor whose fetches run in this process against the real subgraph
 * schemas and data code (each answer checked), and each subgraph request so
 * recorded then replayed through the subgraph's fast path
 * (platform/subgraph/fast-path.ts) and, interleaved, through graphql-js's
 * execute as the fast path ran it before: CPU per request of each, and
 * every body compared with graphql-js's. In-process and alternating, so that
 * a busy machine's load falls on both alike; the median of the rounds' ratios
 * is the figure to read (the sums wander with the load).
 *
 *   NODE_ENV=production DATABASE_URL=... node --import tsx bench/subgraph-execution.ts [rounds] [seconds] [services]
 *   BENCH_PROFILE_DIR=<dir>: a CPU profile per service of the fast path alone. BENCH_VERBOSE=1: every round.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { PlanExecutor } from '../gateway/execution/plan-executor.js';
import { apolloPlanner } from '../gateway/planning/apollo-planner.js';
import { loadSupergraph } from '../gateway/supergraph/load-supergraph.js';
import { viewerFromClaims, type Viewer } from '../platform/auth/viewer.js';
import { checkTextInput } from '../platform/graphql/text-input.js';
import { createLogger } from '../platform/logger.js';
import { readSchemaFile } from '../platform/paths.js';
import { createFastPath } from '../platform/subgraph/fast-path.js';
import { graphqlRuntime } from '../platform/subgraph/subscriptions/graphql-runtime.js';
import type { BaseContext } from '../platform/subgraph/subgraph-module.js';
import { SUBGRAPH_MODULES } from '../subgraphs/registry.js';
import { prepareBenchData } from './gateway/bench-stack.js';
import { OPERATIONS, planRequest, type OperationName } from './gateway/operations.js';
import { supergraphWithUrls } from './gateway/peers/supergraph-file.js';
import { startProductionEnv } from './gateway/production-env.js';
import { createScratch, startDatabase } from './gateway/services.js';

const { parse, execute } = graphqlRuntime;
const [roundsArg, secondsArg, servicesArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 4);
const seconds = Number(secondsArg ?? 2);
const print = (line: string) => console.log(line);

interface Recorded {
  service: string;
  document: DocumentNode;
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  viewer: Viewer;
}

const scratch = createScratch();
const database = await startDatabase(scratch, print);
const production = await startProductionEnv();
try {
  const { config, fixture } = await prepareBenchData(scratch, database.url, production, print);
  const log = createLogger('bench', 'warn');
  const deps = { config, databaseUrl: database.url, log };
  const services = (servicesArg ?? 'academy,meet,calendar,documents').split(',');
  const subgraphs = new Map<
    string,
    { schema: GraphQLSchema; createContext: (base: BaseContext) => object; fastPath: ReturnType<typeof createFastPath>; jsPath: ReturnType<typeof createFastPath> }
  >();
  for (const name of ['academy', 'meet', 'calendar', 'documents'] as const) {
    const module = await SUBGRAPH_MODULES[name]!();
    const runtime = await module.start(deps);
    const schema = buildSubgraphSchema({ typeDefs: parse(readSchemaFile(name)), resolvers: module.resolvers as never });
    const fastPath = createFastPath({ service: name, schema, formatError: (formatted) => formatted, includeStacktrace: false, accountedFor: [] });
    const jsPath = createFastPath({ service: name, schema, formatError: (formatted) => formatted, includeStacktrace: false, accountedFor: [], engine: 'graphql-js' });
    subgraphs.set(name, { schema, createContext: runtime.createContext as never, fastPath, jsPath });
  }
  const contextOf = (service: string, viewer: Viewer) => subgraphs.get(service)!.createContext({ viewer, requestId: 'bench', log });

  // Record: the gateway's plans, their fetches executed here with graphql-js.
  const recorded: Recorded[] = [];
  const documents = new Map<string, DocumentNode>();
  let viewer: Viewer;
  const loaded = loadSupergraph(supergraphWithUrls({}));
  const executor = new PlanExecutor({
    planner: apolloPlanner(loaded),
    supergraphSchema: loaded.supergraphGraphQLSchema,
    send: async (fetch, variables) => {
      const subgraph = subgraphs.get(fetch.serviceName);
      if (!subgraph) throw new Error(`no subgraph ${fetch.serviceName} here`);
      let document = documents.get(fetch.operation);
      if (!document) documents.set(fetch.operation, (document = parse(fetch.operation)));
      recorded.push({ service: fetch.serviceName, document, query: fetch.operation, variables, operationName: fetch.operationName, viewer });
      const result = await execute({
        schema: subgraph.schema,
        document,
        variableValues: variables,
        operationName: fetch.operationName,
        contextValue: contextOf(fetch.serviceName, viewer),
      });
      return JSON.parse(JSON.stringify(result));
    },
  });
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const wanted: OperationName[] = [...Array<OperationName>(4).fill('courseList'), ...Array<OperationName>(8).fill('coursePage'), ...Array<OperationName>(8).fill('lookup')];
  for (const operation of wanted) {
    const planned = planRequest(operation, fixture, random);
    viewer = viewerFromClaims(JSON.parse(Buffer.from(planned.token.split('.')[1]!, 'base64url').toString()))!;
    const prepared = executor.prepareOutside(OPERATIONS[operation].query, undefined, loaded.apiGraphQLSchema, graphqlRuntime.specifiedRules);
    if (!('plan' in prepared)) throw new Error(`${operation}: not planned`);
    const result = await executor.run(prepared, planned.variables, undefined);
    const body = JSON.parse(JSON.stringify({ errors: result.errors, data: result.data }));
    if (!planned.check(body)) throw new Error(`${operation}: a wrong answer: ${JSON.stringify(body).slice(0, 400)}`);
  }
  print(
    `recorded ${recorded.length} subgraph requests: ${[...new Set(recorded.map((r) => r.service))].map((s) => `${s} ${recorded.filter((r) => r.service === s).length}`).join(', ')}`,
  );

  /** graphql-js as the fast path ran it before: checks, execute, the body. */
  const reference = async (request: Recorded) => {
    checkTextInput(request.document, request.variables);
    const subgraph = subgraphs.get(request.service)!;
    const result = await execute({
      schema: subgraph.schema,
      document: request.document,
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue: contextOf(request.service, request.viewer),
    });
    return `${JSON.stringify({ errors: result.errors, data: result.data, extensions: result.extensions })}\n`;
  };
  const fast = async (request: Recorded) => {
    const answer = await subgraphs
      .get(request.service)!
      .fastPath.execute(
        { document: request.document, variables: request.variables, operationName: request.operationName, contentType: 'application/json' },
        contextOf(request.service, request.viewer),
      );
    if (!answer) throw new Error(`fast path refused a ${request.service} request`);
    return answer.body;
  };
  const viaJs = async (request: Recorded) => {
    const answer = await subgraphs
      .get(request.service)!
      .jsPath.execute(
        { document: request.document, variables: request.variables, operationName: request.operationName, contentType: 'application/json' },
        contextOf(request.service, request.viewer),
      );
    return answer!.body;
  };
  // BENCH_ENGINES=1: the fast path's two engines against each other (graphql-js's engine as the reference).
  const engines = process.env.BENCH_ENGINES ? { 'graphql-js': viaJs, 'fast path': fast } : { 'graphql-js': reference, 'fast path': fast };
  // BENCH_PROFILE_DIR=<dir>: a CPU profile of each service's fast path alone, after the rounds.
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const session = profileDir ? new Session() : undefined;
  session?.connect();

  for (const service of services) {
    const requests = recorded.filter((request) => request.service === service);
    if (requests.length === 0) continue;
    for (const request of requests) {
      const [a, b] = [await reference(request), await fast(request)];
      if (a !== b) throw new Error(`${service}: the fast path's body differs:\n${a.slice(0, 300)}\n${b.slice(0, 300)}`);
    }
    const totals: Record<string, { cpu: number; count: number }> = {};
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = Object.entries(engines);
      if (round % 2 === 1) order.reverse();
      const line: string[] = [];
      const perRequest: Record<string, number> = {};
      for (const [name, run] of order) {
        for (const request of requests) await run(request); // warm
        let count = 0;
        const started = performance.now();
        const before = process.cpuUsage();
        while (performance.now() - started < seconds * 1000) {
          for (const request of requests) {
            await run(request);
            count++;
          }
        }
        const cpu = process.cpuUsage(before);
        const ms = (cpu.user + cpu.system) / 1000;
        const total = (totals[name] ??= { cpu: 0, count: 0 });
        total.cpu += ms;
        total.count += count;
        line.push(`${name} ${(ms / count).toFixed(3)}`);
        perRequest[name] = ms / count;
      }
      ratios.push(perRequest['fast path']! / perRequest['graphql-js']!);
      if (process.env.BENCH_VERBOSE) print(`${service} round ${round + 1}: ${line.join(', ')} ms CPU/request (load ${os.loadavg()[0]!.toFixed(1)})`);
    }
    const [a, b] = Object.values(totals).map((total) => total.cpu / total.count);
    print(
      `${service}: graphql-js ${a!.toFixed(3)}, fast path ${b!.toFixed(3)} ms CPU/request, ratio ${(b! / a!).toFixed(3)}, median of ${rounds} rounds' ratios ${ratios.sort((x, y) => x - y)[Math.floor(rounds / 2)]!.toFixed(3)} (load ${os.loadavg()[0]!.toFixed(1)})`,
    );
    if (session) {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      const started = performance.now();
      while (performance.now() - started < seconds * 2000) for (const request of requests) await fast(request);
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(path.join(profileDir!, `${service}.cpuprofile`), JSON.stringify(profile));
    }
  }
} finally {
  await production.stop();
  await database.stop?.();
}
process.exit(0);
