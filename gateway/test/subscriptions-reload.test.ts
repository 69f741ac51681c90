/**
 * A supergraph reload does not drop live subscriptions: one started before
 * it keeps receiving its events from the subgraph it started on, and the
 * upstream connections to a subgraph URL the new supergraph no longer has
 * are closed once that subscription ends (the subgraph sees its socket
 * close). Through the real gateway, with a subgraph serving graphql-ws
 * (support/ticker-subgraph.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevUserToken } from '../../platform/auth/user-token.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { demoViewer } from '../../test/support/subgraph-client.js';
import { startGateway, type RunningGateway } from '../start-gateway.js';
import { composeSupergraph } from './conformance/support/compose.js';
import { subscribeWs, wsUrlOf } from './subscriptions-support.js';
import { startTicker, type Ticker } from './support/ticker-subgraph.js';

let before: Ticker;
let after: Ticker;
let gateway: RunningGateway;
let directory: string;
let file: string;
let token: string;

beforeAll(async () => {
  [before, after] = await Promise.all([startTicker(), startTicker()]);
  directory = mkdtempSync(path.join(tmpdir(), 'supergraph-'));
  file = path.join(directory, 'ticker.graphql');
  writeFileSync(file, composeSupergraph([before]));
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory', GATEWAY_SUPERGRAPH_FILE: file });
  gateway = await startGateway({ config, log: createLogger('subscriptions-reload-test') });
  token = await signDevUserToken(config.auth, demoViewer('admin'));
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([before?.stop(), after?.stop()]);
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('subscriptions across a supergraph reload', () => {
  it('keep their events from the old subgraph; its upstream connection closes once they end', async () => {
    const url = wsUrlOf(gateway.url);
    const started = before.subscribed();
    const old = subscribeWs(url, token, 'subscription { ticks { n } }');
    await started;
    before.publish(1);
    expect(await old.event(1)).toEqual({ data: { ticks: { n: 1 } } });

    const reloaded = new Promise<void>((resolve) => gateway.federation.onServing(() => resolve()));
    writeFileSync(file, composeSupergraph([after]));
    await reloaded;

    // Still on the subgraph it started on.
    before.publish(2);
    expect(await old.event(2)).toEqual({ data: { ticks: { n: 2 } } });
    // A subscription started now goes to the new one.
    const moved = after.subscribed();
    const fresh = subscribeWs(url, token, 'subscription { ticks { n } }');
    await moved;
    after.publish(7);
    expect(await fresh.event(1)).toEqual({ data: { ticks: { n: 7 } } });
    expect(before.sockets()).toBe(1);

    // The old subscription ends: the connection nobody will use again is closed; the new one's stays.
    before.complete();
    await old.ended;
    await expect.poll(() => before.sockets(), { timeout: 10_000 }).toBe(0);
    expect(after.sockets()).toBe(1);
    fresh.dispose();
  });
});
