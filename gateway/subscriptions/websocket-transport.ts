/**
 * graphql-ws (graphql-transport-ws) for clients, on the gateway's /graphql
 * path beside HTTP. The caller's Passport token comes in `connection_init`
 * (`{ authorization: "Bearer …" }`): an expired token → close 4440, any
 * other refusal → 4403; the socket is closed (4440) when the token expires.
 * Without a token the connection is the anonymous caller exactly where HTTP
 * lets one in (GATEWAY_ANONYMOUS: the same auth step decides), else 4403.
 * A `subscribe` before `connection_ack` gets graphql-ws's 4401, as the
 * protocol says (close-codes.ts).
 * Each `subscribe` passes the pipeline's steps (limits, rate limit, caps:
 * gateway-pipeline.ts) as an HTTP request would; a refusal is an `error`
 * message with the step's code. A client that falls behind is
 * closed with 4008 (see close-codes.ts); on shutdown every client gets 1001
 * (going away) and reconnects elsewhere.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { ExecutionArgs, ExecutionResult, GraphQLFormattedError } from 'graphql';
import { handleProtocols } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerToken } from '../../platform/auth/user-token.js';
import type { Viewer } from '../../platform/auth/viewer.js';
import { clientIp, type TrustedProxies } from '../../platform/http/client-ip.js';
import { refuseUpgrade } from '../../platform/http/refuse-upgrade.js';
import type { Logger } from '../../platform/logger.js';
import { edgeRequest, runSteps } from '../pipeline/edge-request.js';
import type { GatewayPipeline } from '../pipeline/gateway-pipeline.js';
import { SubscriptionCloseCode } from './close-codes.js';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { Checked, SubscribeRequest, SubscriptionEngine } from './subscription-engine.js';
import type { RunQuery, StreamedQueries } from './streamed-queries.js';
import type { SubscriptionPlan } from './subscription-planner.js';
import { formatErrors } from './execute-event.js';
import { keepSocketAlive } from './socket-liveness.js';
import { onTokenExpiry, tokenExpiry } from './token-expiry.js';
import { WebSocketSink } from './websocket-sink.js';

export interface WebSocketTransportOptions {
  server: http.Server;
  engine: SubscriptionEngine;
  pipeline: Pick<GatewayPipeline, 'authenticate' | 'subscribe'>;
  /** The gateway's trusted proxies, for the client's address. */
  trust: TrustedProxies;
  log: Logger;
  /** Default /graphql. */
  path?: string;
  /** Bytes a socket may hold unsent before its client counts as too slow. Default 1 MiB. */
  maxBufferedBytes?: number;
  /** On shutdown, how long clients get to answer the close handshake. Default 2 s. */
  closeTimeoutMs?: number;
  /** Largest client message. Default 64 KiB. */
  maxPayloadBytes?: number;
  /**
   * How often each client is pinged. Default 30 s: a ping is a write and a
   * read per client, so with 10,000 clients graphql-ws's 12 s default costs
   * a few percent of a core doing nothing but pinging.
   */
  pingIntervalMs?: number;
  /** How long a ping may go unanswered before the client counts as gone (socket-liveness.ts). Default 10 s. */
  pongTimeoutMs?: number;
  /** Queries over the socket (@defer's parts as `next` messages); without it only subscriptions are served. */
  queries?: StreamedQueries;
}

export interface WebSocketTransport {
  clients: () => number;
  close: () => Promise<void>;
}

interface Operation {
  id: string;
  viewer: Viewer;
  socket: WebSocket;
  request: SubscribeRequest;
  /** Planned once, in onSubscribe (a subscription). */
  plan?: SubscriptionPlan;
  /** A query (streamed-queries.ts), checked in onSubscribe. */
  query?: RunQuery;
  /** Gives back the subscription's place in its quotas. */
  release: () => void;
}

interface Connection {
  viewer: Viewer;
  /** None: the anonymous caller. */
  token: string | undefined;
  clientIp: string;
  cancelExpiry: () => void;
}

const NOTHING = () => {};

/** Each part of the answer as a `next` payload; the quota's place given back at the end. */
async function* releasing(parts: ReturnType<RunQuery>, release: () => void): AsyncGenerator<ExecutionResult> {
  try {
    for await (const part of parts) yield part.payload as ExecutionResult;
  } finally {
    release();
  }
}

/** An error as JSON: a GraphQLError's toJSON, or the already formatted error itself. */
function plainError(error: GraphQLFormattedError | { toJSON(): GraphQLFormattedError }): GraphQLFormattedError {
  return 'toJSON' in error && typeof error.toJSON === 'function' ? error.toJSON() : (error as GraphQLFormattedError);
}

function tokenFrom(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const header = params?.authorization ?? params?.Authorization;
  return bearerToken(typeof header === 'string' ? header : undefined);
}

const SERVER_ONLY_TYPES = new Set(['next', 'error', 'connection_ack']);

/** A client's message of a type only the server sends (graphql-ws PROTOCOL.md). */
function isServerOnlyMessage(data: Buffer): boolean {
  const text = data.toString();
  if (!/"(?:next|error|connection_ack)"/.test(text)) return false;
  try {
    return SERVER_ONLY_TYPES.has((JSON.parse(text) as { type?: string } | null)?.type ?? '');
  } catch {
    return false;
  }
}

export function serveWebSocket(options: WebSocketTransportOptions): WebSocketTransport {
  const { server, engine, pipeline, trust, log } = options;
  const path = options.path ?? '/graphql';
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  // No compression: a deflate per client would undo the one serialization per event (and see websocket-sink.ts).
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: options.maxPayloadBytes ?? 64 * 1024,
    handleProtocols: (protocols) => handleProtocols(protocols),
  });
  const connections = new WeakMap<WebSocket, Connection>();
  const liveness = { intervalMs: options.pingIntervalMs ?? 30_000, timeoutMs: options.pongTimeoutMs ?? 10_000 };

  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((request.url ?? '/').split('?')[0] !== path) return refuseUpgrade(socket, path);
    wss.handleUpgrade(request, socket, head, (ws) => {
      keepSocketAlive(ws, liveness);
      wss.emit('connection', ws, request);
      // Before graphql-ws's own listener, which throws on these and closes 4500, as if the fault were ours.
      ws.prependListener('message', (data: Buffer) => {
        if (isServerOnlyMessage(data)) ws.close(4400, "next, error and connection_ack messages are the server's to send");
      });
    });
  };
  server.on('upgrade', onUpgrade);

  const disposable = useServer(
    {
      onConnect: async (ctx) => {
        const token = tokenFrom(ctx.connectionParams);
        const socket = ctx.extra.socket;
        const address = clientIp(ctx.extra.request, trust);
        const edge = edgeRequest('websocket', address, token, {});
        const refusal = await runSteps(pipeline.authenticate, edge);
        // No token and no refusal: the step made the anonymous caller (GATEWAY_ANONYMOUS), as for HTTP.
        if (refusal || !edge.viewer) {
          // Expired, as the connection's own expiry closes it: the client refreshes its token and reconnects.
          const expiry = token === undefined ? undefined : tokenExpiry(token);
          if (expiry !== undefined && expiry <= Date.now()) socket.close(SubscriptionCloseCode.TokenExpired, 'Token expired: reconnect with a fresh token');
          return false; // graphql-ws closes with 4403 Forbidden (a no-op once closed above)
        }
        const cancelExpiry =
          token === undefined ? NOTHING : onTokenExpiry(token, () => socket.close(SubscriptionCloseCode.TokenExpired, 'Token expired: reconnect with a fresh token'));
        connections.set(socket, { viewer: edge.viewer, token, clientIp: address, cancelExpiry });
        return true;
      },
      onClose: (ctx) => connections.get(ctx.extra.socket)?.cancelExpiry(),
      onSubscribe: async (ctx, id, payload) => {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return;
        // Each error keeps its path (an UNAUTHORIZED_FIELD_OR_TYPE refusal names the field removed).
        const refuse = (errors: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[]) =>
          errors.map((error) => new graphqlRuntime.GraphQLError(error.message, { path: error.path, extensions: error.extensions }));
        const socket = ctx.extra.socket;
        const edge = edgeRequest('websocket', connection.clientIp, connection.token, payload, socket);
        edge.viewer = connection.viewer;
        const refusal = await runSteps(pipeline.subscribe, edge);
        // A place a step reserved before a later one refused is given back at once.
        const release = edge.release ?? NOTHING;
        if (refusal) {
          release();
          return refuse([{ message: refusal.message, extensions: { code: refusal.code } }]);
        }
        // The safelist may have replaced the text the client sent.
        const request: SubscribeRequest = edge.rewritten ? { ...payload, query: edge.query as string } : payload;
        const query = options.queries?.check(request);
        if (query) {
          if (!query.ok) {
            release();
            return refuse(formatErrors(query.errors));
          }
          const operation: Operation = { id, viewer: connection.viewer, socket, request, query: query.run, release };
          return {
            schema: engine.planner.apiGraphQLSchema,
            document: graphqlRuntime.parse(request.query),
            operationName: request.operationName,
            variableValues: request.variables,
            contextValue: operation,
          } satisfies ExecutionArgs;
        }
        let checked: Checked;
        try {
          checked = engine.check(request, connection.viewer);
        } catch (error) {
          release();
          throw error;
        }
        if (!checked.ok) {
          release();
          return refuse(checked.errors);
        }
        const operation: Operation = { id, viewer: connection.viewer, socket, request, plan: checked.plan, release };
        return {
          schema: engine.planner.apiGraphQLSchema,
          document: checked.plan.document,
          operationName: request.operationName,
          variableValues: request.variables,
          contextValue: operation,
        } satisfies ExecutionArgs;
      },
      // Called by graphql-ws right after onSubscribe; it ends the stream (return()) when the client completes or leaves.
      // Events skip graphql-ws (a promise chain and a JSON.stringify per client): the `next` frame, made once per
      // event and id, is written straight to the socket; graphql-ws still sends `complete` when the stream ends.
      subscribe: (args) => {
        const { id, viewer, socket, request, plan, release } = args.contextValue as Operation;
        try {
          return engine.subscribe(viewer, request, plan!, new WebSocketSink(socket, id, maxBufferedBytes, release));
        } catch (error) {
          // graphql-ws only reports the failure: the place onSubscribe took must not stay taken.
          release();
          throw error;
        }
      },
      // The errors of our parts are formatted already (incremental-parts.ts, a failure's last part too): graphql-ws
      // would call each one's toJSON, which a plain object lacks, and send the client an `error` in the `next`'s place.
      onNext: (_context, _id, _payload, _args, result) => (result.errors ? { ...result, errors: result.errors.map(plainError) } : undefined),
      // Queries (streamed-queries.ts): each payload a `next`, then `complete`; the quota's place given back at the end.
      execute: (args) => {
        const { viewer, query, release } = args.contextValue as Operation;
        if (!query) return { errors: [{ message: 'Only subscriptions and queries are served over WebSocket' }] } as never;
        return releasing(query(viewer, `websocket:${randomUUID()}`), release);
      },
    },
    wss,
    0, // graphql-ws's own keep-alive (a pong wait as long as the interval) is replaced by socket-liveness.ts
  );

  return {
    clients: () => wss.clients.size,
    close: async () => {
      server.off('upgrade', onUpgrade);
      // Going away, and waiting for the close handshakes (bounded): the HTTP server's shutdown
      // must not cut sockets before their close frame is out, or clients see 1006 instead of 1001.
      const closed = [...wss.clients].map((client) => new Promise((resolve) => (client.readyState === client.CLOSED ? resolve(undefined) : client.once('close', resolve))));
      for (const client of wss.clients) client.close(SubscriptionCloseCode.GoingAway, 'Gateway shutting down: reconnect');
      await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, options.closeTimeoutMs ?? 2_000).unref())]);
      for (const client of wss.clients) client.terminate();
      await disposable.dispose();
      log.debug('subscription sockets closed');
    },
  };
}
