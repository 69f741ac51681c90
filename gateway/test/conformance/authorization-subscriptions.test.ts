/**
 * Subscriptions are filtered as queries are (authorization.test.ts): the
 * plan streamed from the subgraph lacks what the caller may not ask, each
 * event answers it null with an UNAUTHORIZED_FIELD_OR_TYPE error, plans are
 * cached per caller's rights, and a subscription whose one root field is
 * removed is refused. Planned by the gateway's SubscriptionPlanner and
 * completed by its event executor over a composed supergraph.
 */
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { createLogger } from '../../../platform/logger.js';
import { ANONYMOUS_VIEWER } from '../../pipeline/auth-step.js';
import { executeEvent } from '../../subscriptions/execute-event.js';
import { SubscriptionPlanner, type SubscriptionPlan } from '../../subscriptions/subscription-planner.js';
import { loadSupergraph } from '../../supergraph/load-supergraph.js';
import { composeSupergraph } from './support/compose.js';

const sdl = composeSupergraph([
  {
    name: 'feed',
    url: 'http://feed.invalid/graphql',
    typeDefs: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@authenticated", "@requiresScopes"])
      type Query { latest: Tick }
      type Subscription { tick: Tick alerts: Int @authenticated }
      type Tick { n: Int! secret: String @requiresScopes(scopes: [["ops"]]) }`,
  },
]);

const viewer = (scopes?: string[]): Viewer => ({ userId: 'u1', companyId: 'c1', roles: [], scopes });
const TICK = 'subscription { tick { n secret } }';

function planned(planner: SubscriptionPlanner, query: string, caller: Viewer): SubscriptionPlan {
  const result = planner.plan(query, undefined, caller);
  if (!result.ok) throw new Error(`not planned: ${result.errors.map((error) => error.message).join()}`);
  return result.plan;
}

const event = (planner: SubscriptionPlanner, plan: SubscriptionPlan, caller: Viewer, data: Record<string, unknown>) =>
  executeEvent({ planner, plan, services: {}, viewer: caller, variables: {}, requestId: 'test', log: createLogger('authorization-subscriptions') }, { data });

describe('subscriptions under @authenticated and @requiresScopes', () => {
  it('a scoped caller first, then one without the scope: each its own plan, the removed field null in every event', async () => {
    const planner = new SubscriptionPlanner(loadSupergraph(sdl));
    const scoped = planned(planner, TICK, viewer(['ops']));
    expect(scoped.primary.operation).toContain('secret');
    expect(await event(planner, scoped, viewer(['ops']), { tick: { n: 1, secret: 's' } })).toEqual({ data: { tick: { n: 1, secret: 's' } } });

    for (const caller of [viewer(), ANONYMOUS_VIEWER]) {
      const plain = planned(planner, TICK, caller);
      expect(plain.primary.operation).not.toContain('secret');
      const answer = await event(planner, plain, caller, { tick: { n: 2 } });
      expect(answer.data).toEqual({ tick: { n: 2, secret: null } });
      expect(answer.errors).toEqual([expect.objectContaining({ path: ['tick', 'secret'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } })]);
    }
  });

  it('its root field removed: the subscription is refused with UNAUTHORIZED_FIELD_OR_TYPE; with an identity, planned', () => {
    const planner = new SubscriptionPlanner(loadSupergraph(sdl));
    const refused = planner.plan('subscription { alerts }', undefined, ANONYMOUS_VIEWER);
    expect(!refused.ok && refused.errors.map((error) => [error.path, error.extensions?.code])).toEqual([[['alerts'], 'UNAUTHORIZED_FIELD_OR_TYPE']]);
    expect(planner.plan('subscription { alerts }', undefined, viewer()).ok).toBe(true);
  });
});
