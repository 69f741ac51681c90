/**
 * Federation features this gateway does not execute, and what it does with
 * a supergraph using them (@authenticated, @requiresScopes and @policy are
 * served and enforced: authorization.test.ts, authorization-policies.test.ts); a progressive
 * @override (`label: "percent(N)"`) is served with
 * every label off: the field stays with the subgraph it is overridden from.
 * A subscription whose plan needs @fromContext is refused: its events run
 * on @apollo/gateway's executor, which would drop the contextual arguments.
 */
import { describe, expect, it } from 'vitest';
import { apolloPlanner } from '../../planning/apollo-planner.js';
import { SubscriptionPlanner } from '../../subscriptions/subscription-planner.js';
import { loadSupergraph } from '../../supergraph/load-supergraph.js';
import { graphqlRuntime } from '../../../platform/subgraph/subscriptions/graphql-runtime.js';
import { composeSupergraph } from './support/compose.js';

const link = (...directives: string[]) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: [${directives.map((name) => `"@${name}"`).join(', ')}])`;

const supergraphOf = (...subgraphs: { name: string; typeDefs: string }[]) =>
  composeSupergraph(subgraphs.map((subgraph) => ({ ...subgraph, url: `http://${subgraph.name}.invalid/graphql` })));

describe('supergraph features the gateway does not execute', () => {
  for (const [directive, applied] of [
    ['authenticated', '@authenticated'],
    ['requiresScopes', '@requiresScopes(scopes: [["read:salary"]])'],
    ['policy', '@policy(policies: [["hr"]])'],
  ] as const) {
    it(`@${directive}: the supergraph is served, with rules to enforce`, () => {
      const sdl = supergraphOf({ name: 'staff', typeDefs: `${link('key', directive)} type Query { salary: Int ${applied} name: String }` });
      const loaded = loadSupergraph(sdl);
      expect(loaded.authorization?.field('Query', 'salary', 'Int')).toBeDefined();
      expect(loaded.authorization?.field('Query', 'name', 'String')).toBeUndefined();
    });
  }

  it('a progressive @override: planned with its label off, the field fetched from the subgraph it leaves', () => {
    const sdl = supergraphOf(
      { name: 'legacy', typeDefs: `${link('key')} type Query { items: [Item!]! } type Item @key(fields: "id") { id: ID! price: Int! }` },
      { name: 'pricing', typeDefs: `${link('key', 'override')} type Item @key(fields: "id") { id: ID! price: Int! @override(from: "legacy", label: "percent(50)") }` },
    );
    const planner = apolloPlanner(loadSupergraph(sdl));
    for (let attempt = 0; attempt < 5; attempt++) {
      const plan = planner.plan(graphqlRuntime.parse('{ items { id price } }'), undefined);
      expect(plan.node).toMatchObject({ kind: 'Fetch', serviceName: 'legacy', operation: '{items{id price}}' });
    }
  });

  it('a subscription whose plan needs @fromContext: refused with OPERATION_NOT_SUPPORTED, one without planned', () => {
    const sdl = supergraphOf({
      name: 'shop',
      typeDefs: `${link('key', 'context', 'fromContext')}
        type Query { stores: [Store!]! }
        type Subscription { storeOpened: Store! }
        type Store @key(fields: "id") @context(name: "store") { id: ID! currency: String products: [Product!]! }
        type Product @key(fields: "id") { id: ID! price(currency: String @fromContext(field: "$store { currency }")): String! }`,
    });
    const planner = new SubscriptionPlanner(loadSupergraph(sdl));
    const refused = planner.plan('subscription { storeOpened { products { price } } }');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors.map((error) => error.extensions?.code)).toEqual(['OPERATION_NOT_SUPPORTED']);
    expect(planner.plan('subscription { storeOpened { id products { id } } }').ok).toBe(true);
  });
});
