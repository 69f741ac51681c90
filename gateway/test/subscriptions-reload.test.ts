/**
 * A supergraph reload does not drop live subscriptions: one started before
 * it keeps receiving its events from the subgraph it started on, and the
 * upstream connections to a subgraph URL the new supergraph no longer has
 * are closed once that subscription ends (the subgraph sees its socket
 * close). Through the real gateway, with a subgraph serving graphql-ws.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { useServer } from 'graphql-ws/use/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { signDevUserToken } from '../../platform/auth/user-token.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { demoViewer } from '../../test/support/subgraph-client.js';
import { startGateway, type RunningGateway } from '../start-gateway.js';
import { composeSupergraph } from './conformance/support/compose.js';
import { subscribeWs, wsUrlOf } from './subscriptions-support.js';

const TYPE_DEFS = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { hello: String }
  type Subscription { ticks: Tick! }
  type Tick { n: Int! }`;

/** A subgraph whose `ticks` subscriptions receive what the test publishes; it counts its open sockets. */
async function startTicker() {
  const listeners = new Set<{ push: (n: number) => void; end: () => void }>();
  let subscribed!: () => void;
  let nextSubscription = new Promise<void>((resolve) => (subscribed = resolve));
  const ticks = () => {
    const queued: number[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const listener = {
      push: (n: number) => (queued.push(n), wake?.()),
      end: () => ((ended = true), wake?.()),
    };
    listeners.add(listener);
    subscribed();
    nextSubscription = new Promise<void>((resolve) => (subscribed = resolve));
    return (async function* () {
      try {
        for (;;) {
          while (queued.length > 0) yield { ticks: { n: queued.shift()! } };
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        listeners.delete(listener);
      }
    })();
  };
  const schema = buildSubgraphSchema({ typeDefs: graphqlRuntime.parse(TYPE_DEFS), resolvers: { Subscription: { ticks: { subscribe: ticks } } } as never });
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const disposable = useServer({ schema }, wss);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: 'ticker',
    url: `http://127.0.0.1:${port}/graphql`,
    typeDefs: TYPE_DEFS,
    /** Resolves when the next subscription has started here. */
    subscribed: () => nextSubscription,
    publish: (n: number) => {
      for (const listener of listeners) listener.push(n);
    },
    /** Completes every subscription here. */
    complete: () => {
      for (const listener of listeners) listener.end();
    },
    sockets: () => wss.clients.size,
    stop: async () => {
      await disposable.dispose();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let before: Awaited<ReturnType<typeof startTicker>>;
let after: Awaited<ReturnType<typeof startTicker>>;
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
