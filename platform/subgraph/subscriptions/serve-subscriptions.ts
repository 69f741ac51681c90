/**
 * A subgraph's subscriptions: graphql-ws (graphql-transport-ws) on the same
 * /graphql path as HTTP, for the gateway only. The connection is the
 * gateway's (a signed service identity in `connection_init`); each
 * subscription carries its own caller's signed identity, so one connection
 * serves many callers (subscription-protocol.ts).
 *
 * A subscription's context is made once (so per-subscription caches, such
 * as the caller's course roles, last as long as it), and every event is
 * executed with a fresh context (fresh DataLoaders: rows as they are now).
 * Each result carries the cursor of its backbone event.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { identityKeys, verifyIdentity } from '../../auth/gateway-signature.js';
import { refuseUpgrade } from '../../http/refuse-upgrade.js';
import { malformedClaim, type Viewer } from '../../auth/viewer.js';
import type { PlatformConfig } from '../../config.js';
import { createEventFeed, type EventFeed } from '../../events/event-feed.js';
import type { Logger } from '../../logger.js';
import type { BaseContext } from '../subgraph-module.js';
import { cursorOf } from './event-cursor-tag.js';
import { mapEvents } from './map-events.js';
import { graphqlRuntime } from './graphql-runtime.js';
import { attachSubscriptionExtras } from './subscription-context.js';
import { CONNECTION_BODY, CURSOR_EXTENSION, IDENTITY_EXTENSION, RESUME_EXTENSION, subscribeBody } from './subscription-protocol.js';

export interface ServeSubscriptionsOptions<TContext extends BaseContext> {
  server: http.Server;
  schema: GraphQLSchema;
  /** The subgraph's name: the audience of the gateway's signatures. */
  audience: string;
  config: PlatformConfig;
  databaseUrl: string;
  log: Logger;
  createContext: (base: BaseContext) => TContext;
  /** Largest message accepted from the gateway. Default 1 MiB. */
  maxPayloadBytes?: number;
}

export interface SubscriptionServer {
  /** Closes every connection with 1001 (going away): the gateway re-subscribes elsewhere or later. */
  close: () => Promise<void>;
}

interface SubscriptionState {
  base: BaseContext;
}

/** Live subscriptions per subgraph in this process (tests wait on it, rather than sleeping). */
const active = new Map<string, number>();
export function activeSubscriptions(subgraph: string): number {
  return active.get(subgraph) ?? 0;
}

const { createSourceEventStream, execute, getOperationAST, parse, validate } = graphqlRuntime;
const newError = (message: string, code: string) => new graphqlRuntime.GraphQLError(message, { extensions: { code } });

const unauthenticated = (message: string) => [newError(message, 'UNAUTHENTICATED')];

export function serveSubscriptions<TContext extends BaseContext>(options: ServeSubscriptionsOptions<TContext>): SubscriptionServer {
  const { server, schema, audience, config, log } = options;
  const keys = identityKeys(config);
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1024 * 1024 });
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const states = new WeakMap<object, SubscriptionState>();
  let feed: EventFeed | undefined;
  const eventFeed = () => (feed ??= createEventFeed({ databaseUrl: options.databaseUrl, log }));

  const onUpgrade = (request: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer) => {
    if ((request.url ?? '/').split('?')[0] !== '/graphql') return refuseUpgrade(socket, '/graphql');
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  /** Parsed and validated once per operation text (the gateway sends the same few plans' texts). */
  const documentOf = (query: string): DocumentNode | readonly GraphQLError[] => {
    let known = documents.get(query);
    if (!known) {
      try {
        const document = parse(query);
        const errors = validate(schema, document);
        known = errors.length > 0 ? errors : document;
      } catch (error) {
        known = [error as GraphQLError];
      }
      if (documents.size > 1000) documents.clear();
      documents.set(query, known);
    }
    return known;
  };

  const freshContext = (base: BaseContext) => options.createContext({ ...base, requestId: randomUUID() });
  const recheckMs = config.subscriptionAccessRecheckSeconds * 1000;

  const disposable = useServer(
    {
      schema,
      onConnect: (ctx) => {
        const identity = (ctx.connectionParams as Record<string, unknown> | undefined)?.identity;
        if (typeof identity !== 'string') return false;
        const check = verifyIdentity(keys, identity, audience, CONNECTION_BODY);
        if (!check.ok) log.warn({ reason: check.reason }, 'subscription connection refused');
        return check.ok;
      },
      onSubscribe: (_ctx, id, payload) => {
        const extensions = payload.extensions ?? {};
        const identity = extensions[IDENTITY_EXTENSION];
        if (typeof identity !== 'string') return unauthenticated('This subgraph accepts only subscriptions signed by the gateway');
        const check = verifyIdentity(keys, identity, audience, subscribeBody(payload));
        if (!check.ok) return unauthenticated(`Subscription refused: ${check.reason}`);
        const malformed = malformedClaim(check.viewer);
        if (malformed) return unauthenticated(`Subscription refused: identity ${malformed}`);
        const document = documentOf(payload.query);
        if (!('kind' in document)) return document;
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') {
          return [newError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP', 'BAD_REQUEST')];
        }
        const viewer: Viewer = check.viewer;
        const requestId = `subscription:${id}:${randomUUID()}`;
        const base: BaseContext = { viewer, requestId, log: log.child({ requestId }) };
        const contextValue = options.createContext(base);
        const resumeAfter = typeof extensions[RESUME_EXTENSION] === 'string' ? (extensions[RESUME_EXTENSION] as string) : undefined;
        let current = { context: contextValue as object, at: Date.now() };
        const currentContext = () => {
          if (Date.now() - current.at >= recheckMs) current = { context: freshContext(base), at: Date.now() };
          return current.context;
        };
        attachSubscriptionExtras(contextValue, { events: eventFeed(), resumeAfter, currentContext });
        states.set(contextValue, { base });
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue } satisfies ExecutionArgs;
      },
      subscribe: async (args) => {
        // A new feed starts at the stream's present: let it get there before anyone counts on it.
        await eventFeed().ready();
        const source = await createSourceEventStream(args);
        if (!(Symbol.asyncIterator in source)) return source as ExecutionResult;
        const { base } = states.get(args.contextValue as object)!;
        active.set(audience, activeSubscriptions(audience) + 1);
        let counting = true;
        const uncount = () => {
          if (counting) active.set(audience, activeSubscriptions(audience) - 1);
          counting = false;
        };
        const events = source as AsyncIterableIterator<unknown>;
        const counted: AsyncIterableIterator<unknown> = {
          // A stream that ends by itself (its resolver ended it) is not returned by graphql-ws: uncounted here.
          next: async () => {
            const step = await events.next();
            if (step.done) uncount();
            return step;
          },
          return: async () => {
            uncount();
            counted.return = async () => ({ value: undefined, done: true });
            return (await events.return?.()) ?? { value: undefined, done: true };
          },
          [Symbol.asyncIterator]: () => counted,
        };
        return mapEvents(counted, async (payload) => {
          const result = (await execute({ ...args, rootValue: payload, contextValue: freshContext(base) })) as ExecutionResult;
          const cursor = cursorOf(payload);
          return cursor ? { ...result, extensions: { ...result.extensions, [CURSOR_EXTENSION]: cursor } } : result;
        });
      },
    },
    wss,
  );

  return {
    close: async () => {
      server.off('upgrade', onUpgrade);
      await disposable.dispose(); // closes every connection with 1001
      await feed?.close();
    },
  };
}
