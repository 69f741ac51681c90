/**
 * Entity fetches of one run that ask the same of the same entities share
 * one representations list, written once into both request bodies
 * (execution/shared-representations.ts, request-body.ts): the bodies stay
 * byte for byte JSON.stringify's, and a merge between two such fetches
 * makes the second build its own list from what the first merged.
 */
import { describe, expect, it } from 'vitest';
import type { CompiledFetch, CompiledNode } from '../execution/compiled-plan.js';
import { executePlan, type PlanRun } from '../execution/execute-plan.js';
import { requestBody } from '../request-body.js';

type Json = Record<string, unknown>;

/** An entity fetch over `list.@` whose representations are `__typename`, `id` and `tag`, answering `field`. */
function entityFetch(serviceName: string, field: string): CompiledFetch {
  return {
    kind: 'Fetch',
    serviceName,
    operation: `query Q__${serviceName}($representations:[_Any!]!){_entities(representations:$representations){...on Item{${field}}}}`,
    operationName: `Q__${serviceName}`,
    variableUsages: ['from'],
    isMutation: false,
    requires: (entity) => ({ __typename: entity.__typename, id: entity.id, tag: entity.tag }),
    requiresKey: 'Item{__typename id tag}',
  };
}

const root: CompiledFetch = { kind: 'Fetch', serviceName: 'root', operation: '{list{__typename id tag}}', operationName: undefined, variableUsages: [], isMutation: false };
const flatten = (node: CompiledNode): CompiledNode => ({ kind: 'Flatten', path: ['list', '@'], node });

interface Sent {
  fetch: CompiledFetch;
  variables: Json;
  body: string;
}

/** Runs `plan` against stub subgraphs: the root lists three items, each entity fetch answers `field` per representation. */
async function runPlan(plan: CompiledNode, answers: Record<string, (representation: Json) => Json>): Promise<{ sent: Sent[]; data: Json }> {
  const sent: Sent[] = [];
  const run: PlanRun = {
    variables: { from: 'monday' },
    errors: [],
    data: {},
    send: async (fetch, variables) => {
      sent.push({ fetch, variables, body: requestBody(fetch.operation, variables, fetch.operationName) });
      if (fetch === root) return { data: { list: ['a', 'b', 'c'].map((id) => ({ __typename: 'Item', id, tag: 'old' })) } };
      const representations = variables.representations as Json[];
      return { data: { _entities: representations.map(answers[fetch.serviceName]!) } };
    },
  };
  await executePlan(plan, run);
  return { sent, data: run.data };
}

describe('shared representations', () => {
  it('sends one list to two parallel fetches asking the same, in bodies equal to JSON.stringify', async () => {
    const [calendar, meet] = [entityFetch('calendar', 'events'), entityFetch('meet', 'classes')];
    const plan: CompiledNode = { kind: 'Sequence', nodes: [root, { kind: 'Parallel', nodes: [flatten(calendar), flatten(meet)] }] };
    const { sent, data } = await runPlan(plan, { calendar: (r) => ({ events: `e-${r.id}` }), meet: (r) => ({ classes: `c-${r.id}` }) });
    const [, first, second] = sent;
    expect(second!.variables.representations).toBe(first!.variables.representations);
    for (const { fetch, variables, body } of sent) expect(body).toBe(JSON.stringify({ query: fetch.operation, variables, operationName: fetch.operationName }));
    expect(second!.body).toContain('"variables":{"from":"monday","representations":[{"__typename":"Item","id":"a","tag":"old"},');
    expect(data).toEqual({
      list: ['a', 'b', 'c'].map((id) => ({ __typename: 'Item', id, tag: 'old', events: `e-${id}`, classes: `c-${id}` })),
    });
  });

  it('builds the list again after a merge in between, from what was merged', async () => {
    const [retag, meet] = [entityFetch('retag', 'tag'), entityFetch('meet', 'classes')];
    const plan: CompiledNode = { kind: 'Sequence', nodes: [root, flatten(retag), flatten(meet)] };
    const { sent } = await runPlan(plan, { retag: (r) => ({ tag: `new-${r.id}` }), meet: (r) => ({ classes: `c-${r.id}` }) });
    const last = sent[2]!;
    expect((last.variables.representations as Json[]).map((r) => r.tag)).toEqual(['new-a', 'new-b', 'new-c']);
    expect(last.body).toBe(JSON.stringify({ query: last.fetch.operation, variables: last.variables, operationName: last.fetch.operationName }));
  });

  it('writes a shared list into bodies of any variables as JSON.stringify does', async () => {
    const [calendar, meet] = [entityFetch('calendar', 'events'), entityFetch('meet', 'classes')];
    const plan: CompiledNode = { kind: 'Sequence', nodes: [root, { kind: 'Parallel', nodes: [flatten(calendar), flatten(meet)] }] };
    const { sent } = await runPlan(plan, { calendar: () => ({}), meet: () => ({}) });
    const list = sent[2]!.variables.representations as Json[];
    const cases: [Json | undefined, string | undefined][] = [
      [{ representations: list }, 'Q'],
      [{ from: 'x', representations: list }, undefined],
      [{ from: undefined, to: 'y\u2026"', representations: list }, 'Q\u00e9'],
      [{ from: undefined, representations: list }, 'Q'],
      [{ representations: list, from: 'last' }, 'Q'],
    ];
    for (const [variables, operationName] of cases) {
      expect(requestBody('query Q { a }', variables, operationName)).toBe(JSON.stringify({ query: 'query Q { a }', variables, operationName }));
    }
  });
});
