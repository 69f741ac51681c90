/**
 * The plans of every conformance operation use only what our executor
 * knows: node kinds it runs, and on each node only the fields it reads (or
 * knowingly ignores). An upgrade of @apollo/query-planner that adds a field
 * or a kind to these plans fails here, before it changes an answer: the
 * executor (gateway/execution/compiled-plan.ts) must learn it first.
 */
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../execution/compiled-plan.js';
import { apolloPlanner } from '../../planning/apollo-planner.js';
import { loadSupergraph } from '../../supergraph/load-supergraph.js';
import { graphqlRuntime } from '../../../platform/subgraph/subscriptions/graphql-runtime.js';
import { composeSupergraph } from './support/compose.js';
import { ALL_SUITES } from './suites/all.js';
import { requiresProvidesSuite } from './suites/requires-provides.js';

/** Per node kind, its fields our executor runs or knowingly ignores (`id`, `hasDefers`, the operation's AST: @defer's and tracing's). */
const KNOWN_FIELDS: Record<string, readonly string[]> = {
  // `readFrom`: ours, the client's fields planned under an alias (planning/client-argument-aliases.ts).
  QueryPlan: ['kind', 'node', 'readFrom'],
  Sequence: ['kind', 'nodes'],
  Parallel: ['kind', 'nodes'],
  Flatten: ['kind', 'path', 'node'],
  Condition: ['kind', 'condition', 'ifClause', 'elseClause'],
  Fetch: [
    'kind',
    'serviceName',
    'id',
    'hasDefers',
    'variableUsages',
    'requires',
    'operation',
    'operationName',
    'operationKind',
    'operationDocumentNode',
    'inputRewrites',
    'outputRewrites',
    'contextRewrites',
  ],
  ValueSetter: ['kind', 'path', 'setValueTo'],
  KeyRenamer: ['kind', 'path', 'renameKeyTo'],
  Defer: ['kind', 'primary', 'deferred'],
  // Parts of a Defer, which carry no kind of their own (`depends` is what Apollo's executor orders by; ours runs a part after its primary).
  DeferPrimary: ['subselection', 'node'],
  DeferredNode: ['depends', 'label', 'queryPath', 'subselection', 'node'],
  Field: ['kind', 'alias', 'name', 'selections'],
  InlineFragment: ['kind', 'typeCondition', 'selections'],
};

/** Every place in a plan whose fields are not all known, as "path: Kind.field". */
function unknownFields(value: unknown, at: string, into: string[]): string[] {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) unknownFields(item, `${at}[${index}]`, into);
    return into;
  }
  if (typeof value !== 'object' || value === null) return into;
  const node = value as Record<string, unknown>;
  const kind = node.kind !== undefined ? String(node.kind) : at.endsWith('.primary') ? 'DeferPrimary' : /\.deferred\[\d+\]$/.test(at) ? 'DeferredNode' : 'undefined';
  const known = KNOWN_FIELDS[kind];
  if (!known) return [...into, `${at}: kind ${kind}`];
  for (const [key, child] of Object.entries(node)) {
    if (child === undefined) continue;
    if (!known.includes(key)) into.push(`${at}: ${kind}.${key}`);
    else if (key !== 'operationDocumentNode' && key !== 'depends' && key !== 'queryPath') unknownFields(child, `${at}.${key}`, into);
  }
  return into;
}

/** Operations with @defer (defer.test.ts runs them over the @requires suite's subgraphs). */
const DEFERRED = [
  '{ posts { id ... @defer(label: "stats") { seen estimate } } }',
  '{ posts { id ... @defer(label: "outer") { seen ... @defer(label: "inner") { author { name } } } } }',
  'query($d: Boolean!) { posts { id ... @defer(if: $d) { seen } } }',
  '{ posts { id ...Seen @defer } } fragment Seen on Post { seen }',
];

describe('plan shapes of the conformance operations', () => {
  it('@defer: Defer nodes and their parts, only fields our executor knows, and every plan compiles', () => {
    const loaded = loadSupergraph(composeSupergraph(requiresProvidesSuite.subgraphs.map((subgraph) => ({ ...subgraph, url: `http://${subgraph.name}.invalid/graphql` }))));
    const planner = apolloPlanner(loaded);
    for (const query of DEFERRED) {
      const plan = planner.plan(graphqlRuntime.parse(query), undefined);
      expect(JSON.stringify(plan), query).toContain('"kind":"Defer"');
      expect(unknownFields(plan, 'plan', []), query).toEqual([]);
      expect(plan.node?.kind !== 'Subscription' && compilePlan(plan.node!, loaded.supergraphGraphQLSchema, false), query).toBeTruthy();
    }
  });

  for (const suite of ALL_SUITES) {
    it(`${suite.name}: only node kinds and fields our executor knows, and every plan compiles`, () => {
      const loaded = loadSupergraph(composeSupergraph(suite.subgraphs.map((subgraph) => ({ ...subgraph, url: `http://${subgraph.name}.invalid/graphql` }))));
      const planner = apolloPlanner(loaded);
      const planned = suite.operations.filter(
        (operation) => !operation.expected.errors?.some((error) => error.code === 'GRAPHQL_VALIDATION_FAILED' || error.code === 'QUERY_PLANNING_FAILED'),
      );
      expect(planned.length).toBeGreaterThan(0);
      for (const operation of planned) {
        const document = graphqlRuntime.parse(operation.query);
        const plan = planner.plan(document, undefined);
        expect(unknownFields(plan, 'plan', []), operation.name).toEqual([]);
        if (!plan.node) continue;
        const isMutation = graphqlRuntime.getOperationAST(document)?.operation === 'mutation';
        expect(plan.node.kind !== 'Subscription' && compilePlan(plan.node, loaded.supergraphGraphQLSchema, isMutation), operation.name).toBeTruthy();
      }
    });
  }
});
