/**
 * An entity answer's `__typename` as execute-plan.ts merges it: an answer
 * without one (or a falsy one), or naming an @interfaceObject's interface,
 * leaves the entity's own type; any other is merged as the subgraph said.
 * With no rewrite and no repeated representation the answer's type is left
 * out of the merge instead of being set on the answer first: the merged
 * data must be the same either way.
 */
import { describe, expect, it } from 'vitest';
import type { CompiledFetch, CompiledNode } from '../execution/compiled-plan.js';
import { executePlan, type PlanRun } from '../execution/execute-plan.js';

type Json = Record<string, unknown>;

const root: CompiledFetch = { kind: 'Fetch', serviceName: 'root', operation: '{list{__typename id}}', operationName: undefined, variableUsages: [], isMutation: false };

function entityFetch(extra: Partial<CompiledFetch> = {}): CompiledFetch {
  return {
    kind: 'Fetch',
    serviceName: 'other',
    operation: 'query Q($representations:[_Any!]!){_entities(representations:$representations){...on Item{name}}}',
    operationName: 'Q',
    variableUsages: [],
    isMutation: false,
    requires: (entity) => ({ __typename: entity.__typename, id: entity.id }),
    ...extra,
  };
}

/** The root's four items (the last without a type), then `fetch` answering `answers` in their order. */
async function merged(fetch: CompiledFetch, answers: (Json | null)[]): Promise<Json> {
  const run: PlanRun = {
    variables: {},
    errors: [],
    data: {},
    send: async (sent) => {
      if (sent === root)
        return {
          data: {
            list: [
              { __typename: 'Item', id: '1' },
              { __typename: 'Item', id: '2' },
              { __typename: 'Item', id: '3' },
              { id: '4', __typename: 'Item' },
            ],
          },
        };
      return { data: { _entities: answers } };
    },
  };
  const plan: CompiledNode = { kind: 'Sequence', nodes: [root, { kind: 'Flatten', path: ['list', '@'], node: fetch }] };
  await executePlan(plan, run);
  expect(run.errors).toEqual([]);
  return run.data;
}

describe('entity answers merged with their __typename', () => {
  it('keeps the entity type for an answer without one or a falsy one, and takes any other', async () => {
    const data = await merged(entityFetch(), [{ name: 'a' }, { name: 'b', __typename: null }, { __typename: 'Other', name: 'c' }, { __typename: '', name: 'd' }]);
    expect(data).toEqual({
      list: [
        { __typename: 'Item', id: '1', name: 'a' },
        { __typename: 'Item', id: '2', name: 'b' },
        { __typename: 'Other', id: '3', name: 'c' },
        { __typename: 'Item', id: '4', name: 'd' },
      ],
    });
    expect(Object.keys((data.list as Json[])[0]!)).toEqual(['__typename', 'id', 'name']);
  });

  it('keeps the entity type where an @interfaceObject answers its interface', async () => {
    const fetch = entityFetch({ interfaceTypenames: new Set(['Iface']) });
    const data = await merged(fetch, [{ __typename: 'Iface', name: 'a' }, { __typename: 'Other', name: 'b' }, null, { name: 'd' }]);
    expect(data).toEqual({
      list: [
        { __typename: 'Item', id: '1', name: 'a' },
        { __typename: 'Other', id: '2', name: 'b' },
        { __typename: 'Item', id: '3' },
        { __typename: 'Item', id: '4', name: 'd' },
      ],
    });
  });

  it('gives a rewrite the entity type on the answer', async () => {
    const seen: unknown[] = [];
    const fetch = entityFetch({ outputRewrite: (answer) => void seen.push((answer as Json).__typename) });
    const data = await merged(fetch, [{ name: 'a' }, { name: 'b', __typename: null }, { __typename: 'Other', name: 'c' }, { name: 'd' }]);
    expect(seen).toEqual(['Item', 'Item', 'Other', 'Item']);
    expect((data.list as Json[]).map((item) => item.__typename)).toEqual(['Item', 'Item', 'Other', 'Item']);
  });
});
