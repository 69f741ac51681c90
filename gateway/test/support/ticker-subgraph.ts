/**
 * A subgraph serving graphql-ws whose `ticks` subscriptions receive what the
 * test publishes (`@apollo/subgraph` on a loopback port, `ws` and graphql-ws'
 * server): it counts its open sockets and keeps the operation of each
 * subscription it serves, so that a test sees what the gateway asked.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolveInfo } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { graphqlRuntime } from '../../../platform/subgraph/subscriptions/graphql-runtime.js';

export const TICKER_TYPE_DEFS = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Query { hello: String }
  type Subscription { ticks: Tick! }
  type Tick { n: Int! }`;

export interface TickerOptions {
  /** Default TICKER_TYPE_DEFS: any schema whose Subscription has `ticks`. */
  typeDefs?: string;
  /** The `ticks` value of event `n` (default `{ n }`). */
  tick?: (n: number) => Record<string, unknown>;
}

export type Ticker = Awaited<ReturnType<typeof startTicker>>;

export async function startTicker(options: TickerOptions = {}) {
  const typeDefs = options.typeDefs ?? TICKER_TYPE_DEFS;
  const tick = options.tick ?? ((n: number) => ({ n }));
  const listeners = new Set<{ push: (n: number) => void; end: () => void }>();
  const operations: string[] = [];
  let subscribed!: () => void;
  let nextSubscription = new Promise<void>((resolve) => (subscribed = resolve));
  const ticks = (_parent: unknown, _args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
    const queued: number[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const listener = {
      push: (n: number) => (queued.push(n), wake?.()),
      end: () => ((ended = true), wake?.()),
    };
    listeners.add(listener);
    operations.push(graphqlRuntime.print(info.operation));
    subscribed();
    nextSubscription = new Promise<void>((resolve) => (subscribed = resolve));
    return (async function* () {
      try {
        for (;;) {
          while (queued.length > 0) yield { ticks: tick(queued.shift()!) };
          if (ended) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        listeners.delete(listener);
      }
    })();
  };
  const schema = buildSubgraphSchema({ typeDefs: graphqlRuntime.parse(typeDefs), resolvers: { Subscription: { ticks: { subscribe: ticks } } } as never });
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const disposable = useServer({ schema }, wss);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: 'ticker',
    url: `http://127.0.0.1:${port}/graphql`,
    typeDefs,
    /** Resolves when the next subscription has started here. */
    subscribed: () => nextSubscription,
    /** The operation of each subscription served here, in order. */
    operations,
    /** Subscriptions running here now. */
    running: () => listeners.size,
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
