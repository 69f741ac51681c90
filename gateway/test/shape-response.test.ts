/**
 * Shaping an answer that shares the merged data's objects (shape-response.ts, `reuse`): an object of leaves
 * already in its answer's form (exactly the fields asked, in order, under their response names, each leaf valid)
 * is the answer's own, and so is a list whose items all are; anything else is copied as before. Each answer is
 * checked as text (key order included) and against shaping without reuse: the same text, the same errors.
 */
import type { OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { rootShape } from '../execution/response-shape.js';
import { shapeResponse } from '../execution/shape-response.js';

const schema = graphqlRuntime.buildSchema(`
  type Query { shelf: Shelf rows: [[Item!]] items: [Item!] things: [Thing] }
  type Shelf { id: ID! items: [Item!]! tags: [String] }
  type Item { id: ID! title: String! size: Int note: String kind: Kind }
  enum Kind { LAMP DESK }
  interface Thing { id: ID! }
  type Lamp implements Thing { id: ID! watts: Int }
  type Desk implements Thing { id: ID! legs: Int }
`);

function shape(query: string) {
  const operation = graphqlRuntime.parse(query).definitions[0] as OperationDefinitionNode;
  return rootShape(schema.getQueryType()!, operation.selectionSet, { schema, fragments: {} });
}

/** Shapes `data` with reuse, checks it gives what shaping without reuse gives, and returns it. */
function shaped(query: string, data: Record<string, unknown>) {
  const selection = shape(query);
  const copied = shapeResponse(structuredClone(data), selection, false);
  const reused = shapeResponse(data, selection, true);
  expect(JSON.stringify(reused.data)).toBe(JSON.stringify(copied.data));
  expect(reused.errors.map((error) => [error.message, error.path])).toEqual(copied.errors.map((error) => [error.message, error.path]));
  return { ...reused, text: JSON.stringify(reused.data) };
}

describe('shaping with reuse', () => {
  it('keeps objects of leaves already in their form, and their lists', () => {
    const data = JSON.parse('{"shelf":{"id":"s1","items":[{"id":"1","title":"Lamp","size":null},{"id":"2","title":"Desk","size":3}]}}');
    const answer = shaped('{ shelf { id items { id title size } } }', data);
    expect(answer.text).toBe('{"shelf":{"id":"s1","items":[{"id":"1","title":"Lamp","size":null},{"id":"2","title":"Desk","size":3}]}}');
    const shelf = (answer.data as { shelf: { items: unknown[] } }).shelf;
    expect(shelf.items).toBe(data.shelf.items);
    expect(shelf.items[1]).toBe(data.shelf.items[1]);
  });

  it('copies an object with a field not asked (an entity key), a field missing, or its fields in another order', () => {
    const data = JSON.parse(
      '{"items":[{"id":"1","title":"Lamp"},{"__typename":"Item","id":"2","title":"Desk"},{"id":"3"},{"title":"Shelf","id":"4"},{"id":"5","title":"Rug","size":1}]}',
    );
    const answer = shaped('{ items { id title } }', data);
    // The third has no title, a non-null field: the item is null, and with it the list (its items are non-null).
    expect(answer.text).toBe('{"items":null}');
    expect(answer.errors.map((error) => error.path)).toEqual([['items', 2, 'title']]);
    const fine = JSON.parse('{"items":[{"id":"1","title":"Lamp"},{"__typename":"Item","id":"2","title":"Desk"},{"title":"Shelf","id":"4"},{"id":"5","title":"Rug","size":1}]}');
    const copied = shaped('{ items { id title } }', fine);
    expect(copied.text).toBe('{"items":[{"id":"1","title":"Lamp"},{"id":"2","title":"Desk"},{"id":"4","title":"Shelf"},{"id":"5","title":"Rug"}]}');
    const items = (copied.data as { items: unknown[] }).items;
    expect(items).not.toBe(fine.items);
    expect(items[0]).toBe(fine.items[0]);
    expect(items[1]).not.toBe(fine.items[1]);
  });

  it('answers aliases and __typename as asked, reusing only what already has them', () => {
    const data = JSON.parse('{"items":[{"__typename":"Item","name":"Lamp","id":"1"},{"name":"Desk","id":"2"}]}');
    const answer = shaped('{ items { __typename name: title id } }', data);
    expect(answer.text).toBe('{"items":[{"__typename":"Item","name":"Lamp","id":"1"},{"__typename":"Item","name":"Desk","id":"2"}]}');
    const items = (answer.data as { items: unknown[] }).items;
    expect(items[0]).toBe(data.items[0]);
    expect(items[1]).not.toBe(data.items[1]);
    // An aliased __typename is the gateway's to answer (an @interfaceObject subgraph may have answered its interface).
    const named = shaped('{ items { kind: __typename id } }', JSON.parse('{"items":[{"kind":"Thing","id":"1"},{"kind":"Item","id":"2"}]}'));
    expect(named.text).toBe('{"items":[{"kind":"Item","id":"1"},{"kind":"Item","id":"2"}]}');
  });

  it('bubbles a null of a non-null leaf to the nearest nullable parent, with its error', () => {
    const data = JSON.parse('{"shelf":{"id":"s1","items":[{"id":"1","title":"Lamp"},{"id":"2","title":null}]}}');
    const answer = shaped('{ shelf { id items { id title } } }', data);
    expect(answer.text).toBe('{"shelf":null}');
    expect(answer.errors.map((error) => [error.message, error.path])).toEqual([['Cannot return null for non-nullable field Item.title.', ['shelf', 'items', 1, 'title']]]);
  });

  it('does not keep an invalid leaf: an error, and a null where the type allows one', () => {
    const data = JSON.parse('{"items":[{"id":"1","size":"large","kind":"LAMP"},{"id":"2","size":2,"kind":"SOFA"}]}');
    const answer = shaped('{ items { id size kind } }', data);
    expect(answer.text).toBe('{"items":[{"id":"1","size":null,"kind":"LAMP"},{"id":"2","size":2,"kind":null}]}');
    expect(answer.errors.map((error) => error.path)).toEqual([
      ['items', 0, 'size'],
      ['items', 1, 'kind'],
    ]);
  });

  it('shapes lists of lists and lists of leaves, nulls kept where allowed', () => {
    const data = JSON.parse('{"rows":[[{"id":"1","title":"Lamp"}],null,[]],"shelf":{"id":"s1","items":[],"tags":["a",null,"b"]}}');
    const answer = shaped('{ rows { id title } shelf { tags id items { id } } }', data);
    expect(answer.text).toBe('{"rows":[[{"id":"1","title":"Lamp"}],null,[]],"shelf":{"tags":["a",null,"b"],"id":"s1","items":[]}}');
    expect((answer.data as { rows: unknown }).rows).toBe(data.rows);
  });

  it('keeps an object whose runtime type its __typename names, with that type’s fields', () => {
    const data = JSON.parse('{"things":[{"__typename":"Lamp","id":"1","watts":40},{"__typename":"Desk","id":"2"},null]}');
    const answer = shaped('{ things { __typename id ... on Lamp { watts } } }', data);
    expect(answer.text).toBe('{"things":[{"__typename":"Lamp","id":"1","watts":40},{"__typename":"Desk","id":"2"},null]}');
    expect((answer.data as { things: unknown }).things).toBe(data.things);
  });
});
