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

function requiresOf(typeCondition: string, fields: (string | { name: string; alias?: string; selections?: unknown[] })[]) {
  const node = {
    kind: 'Fetch',
    serviceName: 'meet',
    operation: 'query($representations:[_Any!]!){_entities(representations:$representations){...on Course{title}}}',
    variableUsages: [],
    requires: [{ kind: 'InlineFragment', typeCondition, selections: fields.map((field) => ({ kind: 'Field', ...(typeof field === 'string' ? { name: field } : field) })) }],
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

  it('builds leaves by name in the order asked, aliases by their names, own values only, lists as they are', () => {
    const requires = requiresOf('Course', ['__typename', { name: 'code', alias: 'short' }, 'id', 'tags']);
    const tags = ['a', 'b'];
    const built = requires({ tags, id: '1', short: 'A', code: 'not asked', __typename: 'Course' });
    expect(Object.keys(built!)).toEqual(['__typename', 'short', 'id', 'tags']);
    expect(built).toEqual({ __typename: 'Course', short: 'A', id: '1', tags });
    expect(built!.tags).toBe(tags);
    // An inherited value is not the entity's, an own undefined is missing: no representation.
    const inherited = Object.assign(Object.create({ tags: ['x'] }), { __typename: 'Course', short: 'A', id: '1' });
    expect(requires(inherited)).toEqual({});
    expect(requires({ __typename: 'Course', short: 'A', id: undefined, tags: null })).toEqual({});
    expect(requires({ __typename: 'Course', short: null, id: '', tags: 0 })).toEqual({ __typename: 'Course', short: null, id: '', tags: 0 });
  });

  it('builds a key with a sub-selection and names that need quoting', () => {
    const requires = requiresOf('Course', ['__typename', { name: 'owner', selections: [{ kind: 'Field', name: 'id' }] }, { name: 'x', alias: 'a"b' }]);
    const owner = { id: '9', name: 'not asked' };
    expect(requires({ __typename: 'Course', owner, 'a"b': 1 })).toEqual({ __typename: 'Course', owner: { id: '9' }, 'a"b': 1 });
    expect(requires({ __typename: 'Course', owner: [owner, null], 'a"b': 1 })).toEqual({ __typename: 'Course', owner: [{ id: '9' }, null], 'a"b': 1 });
    const leaves = requiresOf('Course', ['__typename', { name: 'x', alias: 'a"b\\\u2028' }]);
    expect(leaves({ __typename: 'Course', 'a"b\\\u2028': 1 })).toEqual({ __typename: 'Course', 'a"b\\\u2028': 1 });
  });
});
