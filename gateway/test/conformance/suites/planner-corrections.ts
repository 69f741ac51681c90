/**
 * Where @apollo/query-planner 2.14 plans wrongly and our planning layer
 * (gateway/planning/) corrects it: an entity fetched by a key its subgraph
 * marks `resolvable: false` (several keys mixed on one type), and a field
 * no subgraph can resolve answered as a silent null. The @requires cases
 * with arguments are in requires-provides.ts.
 */
import { link, type ConformanceSuite } from '../support/conformance-case.js';

const parts = [
  { id: 'x1', sku: 'SKU-1', code: { maker: 'acme', serial: 's1', batch: 'b1' }, name: 'Bolt' },
  { id: 'x2', sku: 'SKU-2', code: { maker: 'acme', serial: 's2', batch: 'b2' }, name: 'Nut' },
];

type Part = (typeof parts)[number];

export const plannerCorrectionsSuite: ConformanceSuite = {
  name: 'where Apollo plans wrongly: keys mixed on one entity, fields no subgraph resolves',
  subgraphs: [
    {
      // Resolves parts by id only; its other keys are for others to read.
      name: 'inventory',
      typeDefs: `${link('key')}
        type Part
          @key(fields: "id")
          @key(fields: "sku", resolvable: false)
          @key(fields: "code { maker serial }", resolvable: false)
          @key(fields: "id code { serial batch }", resolvable: false) {
          id: ID! sku: ID! code: PartCode! name: String!
        }
        type PartCode { maker: ID! serial: ID! batch: ID! }`,
      resolvers: { Part: { __resolveReference: ({ id }: { id: string }) => parts.find((part) => part.id === id) ?? null } },
    },
    {
      // Resolves parts by id and batch code only, and needs the name from inventory for the label.
      name: 'orders',
      typeDefs: `${link('key', 'external', 'requires')}
        type Query { order: Order }
        type Order @key(fields: "id") { id: ID! parts: [Part!]! }
        type Part
          @key(fields: "code { maker serial }", resolvable: false)
          @key(fields: "id code { serial batch }")
          @key(fields: "sku", resolvable: false)
          @key(fields: "id", resolvable: false) {
          id: ID! sku: ID! code: PartCode! name: String! @external label: String! @requires(fields: "name")
        }
        type PartCode { maker: ID! serial: ID! batch: ID! }`,
      resolvers: {
        Query: { order: () => ({ id: 'o1', parts: [parts[0]] }) },
        Order: { parts: (order: { parts: Part[] }) => order.parts.map(({ name: _name, ...part }) => part) },
        Part: {
          __resolveReference: (reference: { id?: string; code?: { batch?: string }; name?: string }) => {
            const part = parts.find((candidate) => candidate.id === reference.id && candidate.code.batch === reference.code?.batch);
            return part ? { ...part, name: reference.name } : null;
          },
          label: ({ name }: { name?: string }) => {
            if (!name) throw new Error('Part.name was not sent');
            return `label of ${name}`;
          },
        },
      },
    },
    {
      // An interface whose only other subgraph sees it as an @interfaceObject it cannot resolve.
      name: 'assets',
      typeDefs: `${link('key', 'interfaceObject')}
        interface Asset @key(fields: "id") { id: ID! }
        type Query { asset: Asset }`,
      resolvers: {
        Query: { asset: () => ({ __typename: 'Asset', id: 'a1' }) },
        Asset: {
          __resolveReference: () => {
            throw new Error('Asset has no implementation here');
          },
        },
      },
    },
    {
      name: 'tags',
      typeDefs: `${link('key', 'interfaceObject')}
        type Asset @key(fields: "id", resolvable: false) @interfaceObject { id: ID! label: String }
        type Query { taggedAsset: Asset }`,
      resolvers: { Query: { taggedAsset: () => ({ id: 'a1' }) }, Asset: { label: () => 'tagged' } },
    },
  ],
  operations: [
    {
      name: "an @interfaceObject's only field removed by a literal condition: {}, not a planning error",
      query: '{ taggedAsset { id @skip(if: true) } }',
      expected: { data: { taggedAsset: {} } },
    },
    {
      name: 'an entity sent by the key its subgraph resolves (not one it marks resolvable: false)',
      query: '{ order { id parts { id name label } } }',
      expected: { data: { order: { id: 'o1', parts: [{ id: 'x1', name: 'Bolt', label: 'label of Bolt' }] } } },
      apolloWrong: {
        why: '@apollo/query-planner sends orders the key `code { maker serial }`, which orders marks resolvable: false: the part is not found, and the null of `label` (non-null) reaches the order',
        answer: { data: { order: null } },
      },
    },
    {
      name: 'the fields of an @interfaceObject asked where it is served',
      query: '{ taggedAsset { id label } }',
      expected: { data: { taggedAsset: { id: 'a1', label: 'tagged' } } },
    },
    {
      name: 'a field no subgraph can resolve from where the object is: an error, not a null',
      query: '{ asset { label } }',
      expected: { data: undefined, errors: [{ code: 'QUERY_PLANNING_FAILED' }] },
      apolloWrong: { why: '@apollo/query-planner plans no fetch at all, and the answer is a null without an error', answer: { data: { asset: null } } },
    },
    {
      name: "the concrete type of an @interfaceObject's object that no subgraph can tell: a planning error",
      query: '{ taggedAsset { __typename } }',
      expected: { data: undefined, errors: [{ code: 'QUERY_PLANNING_FAILED' }] },
      apolloWrong: {
        why: '@apollo/query-planner fails an internal assertion ("Subgraph assets has no entities defined"), which @apollo/gateway answers as an INTERNAL_SERVER_ERROR: a crash, not a refusal that names the cause',
        answer: { data: undefined, errors: [{ code: 'INTERNAL_SERVER_ERROR' }] },
      },
    },
  ],
};
