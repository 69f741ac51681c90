/**
 * The representations a compiled fetch builds from its `requires`
 * (execution/compiled-plan.ts), on the entity fetch's usual one type
 * condition: what merging the fragment's fields into an empty object gave.
 */
import type { FetchNode } from '@apollo/query-planner';
import { describe, expect, it } from 'vitest';
import { type CompiledFetch, compilePlan } from '../execution/compiled-plan.js';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const schema = graphqlRuntime.buildSchema(`
  interface Item { id: ID! }
  type Course implements Item { id: ID! code: String }
  type Lesson implements Item { id: ID! }
  type Query { items: [Item] }
`);

function requiresOf(typeCondition: string, fields: string[]) {
  const node = {
    kind: 'Fetch',
    serviceName: 'meet',
    operation: 'query($representations:[_Any!]!){_entities(representations:$representations){...on Course{title}}}',
    variableUsages: [],
    requires: [{ kind: 'InlineFragment', typeCondition, selections: fields.map((name) => ({ kind: 'Field', name })) }],
  } as unknown as FetchNode;
  return (compilePlan(node, schema, false) as CompiledFetch).requires!;
}

describe('compiled requires', () => {
  it('builds the fragment fields of an entity of its type, and nothing of another', () => {
    const requires = requiresOf('Course', ['__typename', 'id']);
    expect(requires({ __typename: 'Course', id: '1', code: 'A' })).toEqual({ __typename: 'Course', id: '1' });
    expect(requires({ __typename: 'Lesson', id: '2' })).toEqual({});
  });

  it('gives an empty representation when an input is missing', () => {
    const requires = requiresOf('Course', ['__typename', 'code']);
    expect(requires({ __typename: 'Course', id: '1' })).toEqual({});
    expect(requires({ __typename: 'Course', id: '1', code: null })).toEqual({ __typename: 'Course', code: null });
  });

  it('takes every implementation of an abstract condition', () => {
    const byInterface = requiresOf('Item', ['__typename', 'id']);
    expect(byInterface({ __typename: 'Lesson', id: '2' })).toEqual({ __typename: 'Lesson', id: '2' });
    expect(byInterface({ __typename: 'Query', id: '3' })).toEqual({});
  });
});
