/**
 * Answers stay in V8's one-byte strings when the supergraph's text is not:
 * a description with a character past Latin-1 (here an ellipsis) must not
 * turn the schema's names, and with them every answer's keys and
 * `__typename`s, into two-byte strings (gateway/supergraph/one-byte-names.ts).
 * v8.serialize tells the two apart: it writes a string as it is stored.
 */
import v8 from 'node:v8';
import type { PlanNode } from '@apollo/query-planner';
import type { GraphQLObjectType, OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { type CompiledFetch, compilePlan } from '../execution/compiled-plan.js';
import { rootShape } from '../execution/response-shape.js';
import { shapeResponse } from '../execution/shape-response.js';
import { apolloPlanner } from '../planning/apollo-planner.js';
import { loadSupergraph } from '../supergraph/load-supergraph.js';
import { composeSupergraph } from './conformance/support/compose.js';

const isOneByte = (text: string) => v8.serialize(text)[2] === 0x22; // '"': one-byte; 'c': two-byte

// Names built at run time: a literal in this file would be interned (one-byte) when it compiles, before the schema loads.
const joined = (...parts: string[]) => parts.join('');
const [LIST, TYPE, KEY, LABEL] = [joined('shelf', 'Contents'), joined('Shelf', 'Item'), joined('item', 'Number'), joined('display', 'Label')];

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
// Composed with stand-ins, then given the names: composing would intern them first.
const CATALOG = `${LINK}
"""Shelves and what they hold \u2026 in order."""
type Query { standInList: [StandInType!]! }
type StandInType @key(fields: "standInKey") { standInKey: ID! standInLabel: String! }`;
const STAND_INS: [string, string][] = [
  ['standInList', LIST],
  ['StandInType', TYPE],
  ['standInKey', KEY],
  ['standInLabel', LABEL],
];

describe('one-byte names', () => {
  const composed = composeSupergraph([{ name: 'catalog', url: 'http://catalog.invalid/graphql', typeDefs: CATALOG }]);
  const sdl = STAND_INS.reduce((text, [standIn, name]) => text.replaceAll(standIn, name), composed);
  const loaded = loadSupergraph(sdl);
  const schema = loaded.apiGraphQLSchema;

  it('keeps the names of a supergraph whose text is two-byte in one-byte strings', () => {
    expect(isOneByte(sdl)).toBe(false);
    const names = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys((schema.getType(TYPE) as GraphQLObjectType).getFields())];
    expect(names).toEqual([LIST, KEY, LABEL]);
    for (const name of names) expect(isOneByte(name), name).toBe(true);
  });

  it('shapes a one-byte answer, __typename included, from an operation whose text is two-byte', () => {
    const operation = graphqlRuntime.parse(`# \u2026\n{ ${LIST} { __typename ${KEY} ${LABEL} } }`);
    const shape = rootShape(schema.getQueryType()!, (operation.definitions[0] as OperationDefinitionNode).selectionSet, { schema, fragments: {} });
    const data = JSON.parse(`{"${LIST}":[{"__typename":"${TYPE}","${KEY}":"7","${LABEL}":"Lamp"}]}`);
    const answer = JSON.stringify(shapeResponse(data, shape).data);
    expect(answer).toBe(`{"${LIST}":[{"__typename":"${TYPE}","${KEY}":"7","${LABEL}":"Lamp"}]}`);
    expect(isOneByte(answer)).toBe(true);
  });

  it('sends one-byte fetch texts, so that request bodies stay one-byte, from a two-byte supergraph', () => {
    const document = graphqlRuntime.parse(`query Shelf { ${LIST} { ${KEY} ${LABEL} } }`);
    const plan = apolloPlanner(loaded).plan(document, 'Shelf');
    const fetch = compilePlan(plan.node as PlanNode, loaded.supergraphGraphQLSchema, false) as CompiledFetch;
    expect(fetch.kind).toBe('Fetch');
    expect(fetch.operation).toContain(LABEL);
    expect(isOneByte(fetch.operation)).toBe(true);
    expect(isOneByte(fetch.operationName!)).toBe(true);
    const body = JSON.stringify({ query: fetch.operation, variables: { id: '7' }, operationName: fetch.operationName });
    expect(isOneByte(body)).toBe(true);
  });
});
