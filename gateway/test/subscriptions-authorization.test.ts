/**
 * @requiresScopes on subscriptions, end to end: graphql-ws clients of the
 * real gateway, a subgraph serving graphql-ws (support/ticker-subgraph.ts).
 * A field the subscription selects is removed for callers without the
 * scope (null in every event, with its error), and one upstream
 * subscription is shared only by callers of the same rights: two callers of
 * one identity, one with the scope, never share one, so the scoped field
 * never reaches the other. A subscription whose root field is removed is
 * refused, the error naming it. A connection without a token is the
 * anonymous caller where HTTP allows one (GATEWAY_ANONYMOUS, as here), with
 * its limits. (The planner alone: conformance/authorization-subscriptions.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevUserToken } from '../../platform/auth/user-token.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { demoViewer } from '../../test/support/subgraph-client.js';
import { startGateway, type RunningGateway } from '../start-gateway.js';
import { activeClientSubscriptions } from '../subscriptions/start-subscriptions.js';
import { composeSupergraph } from './conformance/support/compose.js';
import { subscribeWs, wsUrlOf, type Subscription } from './subscriptions-support.js';
import { startTicker, type Ticker } from './support/ticker-subgraph.js';

const TYPE_DEFS = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@key", "@requiresScopes"])
  type Query { hello: String }
  type Subscription { ticks: Tick! alerts: Int @requiresScopes(scopes: [["ops"]]) }
  type Tick { n: Int! secret: String @requiresScopes(scopes: [["ops"]]) }`;
const TICKS = 'subscription { ticks { n secret } }';

let ticker: Ticker;
let gateway: RunningGateway;
let url: string;
const tokens: Record<'scoped' | 'plain' | 'teacher', string> = { scoped: '', plain: '', teacher: '' };

beforeAll(async () => {
  ticker = await startTicker({ typeDefs: TYPE_DEFS, tick: (n) => ({ n, secret: `s${n}` }) });
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory' });
  gateway = await startGateway({ config, log: createLogger('subscriptions-authorization-test'), supergraphSdl: composeSupergraph([ticker]) });
  url = wsUrlOf(gateway.url);
  // One identity, with and without the scope.
  tokens.scoped = await signDevUserToken(config.auth, demoViewer('admin', { scopes: ['ops'] }));
  tokens.plain = await signDevUserToken(config.auth, demoViewer('admin'));
  tokens.teacher = await signDevUserToken(config.auth, demoViewer('tara.teacher'));
});
afterAll(async () => {
  await gateway?.stop();
  await ticker?.stop();
});

const unauthorizedSecret = { message: expect.any(String), path: ['ticks', 'secret'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } };

describe('subscriptions under @requiresScopes, over graphql-ws', () => {
  it('the scoped caller gets the field, the others null and an error; one upstream subscription per set of rights', async () => {
    const subscribers: Subscription[] = [];
    // The scoped caller first: its plan is made and cached before the others ask.
    for (const [token, upstream] of [
      [tokens.scoped, 1],
      [tokens.plain, 2],
      [tokens.teacher, 3],
    ] as const) {
      subscribers.push(subscribeWs(url, token, TICKS));
      await expect.poll(() => ticker.running(), { timeout: 30_000 }).toBe(upstream);
    }
    // A second connection of the plain caller joins its upstream subscription.
    subscribers.push(subscribeWs(url, tokens.plain, TICKS));
    await expect.poll(() => activeClientSubscriptions(), { timeout: 30_000 }).toBe(4);
    expect(ticker.running()).toBe(3);

    ticker.publish(1);
    const [scoped, plain, teacher, plainAgain] = await Promise.all(subscribers.map((subscriber) => subscriber.event(1)));
    expect(scoped).toEqual({ data: { ticks: { n: 1, secret: 's1' } } });
    for (const denied of [plain, teacher, plainAgain]) expect(denied).toEqual({ data: { ticks: { n: 1, secret: null } }, errors: [unauthorizedSecret] });
    // Only the scoped caller's upstream subscription asked for the field.
    expect(ticker.operations.filter((operation) => operation.includes('secret'))).toHaveLength(1);

    ticker.publish(2);
    expect(await subscribers[3]!.event(2)).toEqual({ data: { ticks: { n: 2, secret: null } }, errors: [unauthorizedSecret] });
    expect(await subscribers[0]!.event(2)).toEqual({ data: { ticks: { n: 2, secret: 's2' } } });
    for (const subscriber of subscribers) subscriber.dispose();
    await expect.poll(() => activeClientSubscriptions(), { timeout: 30_000 }).toBe(0);
  });

  it('without a token, as anonymous HTTP is allowed here: the anonymous caller, the scoped field null with its error', async () => {
    const anonymous = subscribeWs(url, undefined, TICKS);
    await expect.poll(() => activeClientSubscriptions(), { timeout: 30_000 }).toBe(1);
    ticker.publish(3);
    expect(await anonymous.event(1)).toEqual({ data: { ticks: { n: 3, secret: null } }, errors: [unauthorizedSecret] });
    anonymous.dispose();
    await expect.poll(() => activeClientSubscriptions(), { timeout: 30_000 }).toBe(0);
  });

  it('a subscription whose root field is removed is refused with UNAUTHORIZED_FIELD_OR_TYPE', async () => {
    const refused = subscribeWs(url, tokens.plain, 'subscription { alerts }');
    const { error } = await refused.ended;
    expect(error).toEqual([expect.objectContaining({ path: ['alerts'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } })]);
    refused.dispose();
  });
});
