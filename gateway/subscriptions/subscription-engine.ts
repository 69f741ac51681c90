/**
 * The gateway's subscriptions, whatever the transport (graphql-ws, SSE):
 * checks an operation (limits, validation, plan), finds or starts the shared
 * subscription for it, and gives the client its own bounded stream.
 *
 * Upstream, a few graphql-ws connections per subgraph (least loaded first)
 * carry every subscription, each with its caller's signed identity.
 */
import type { ServiceMap } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { signIdentity } from '../../platform/auth/gateway-signature.js';
import { claimsFromViewer, type Viewer } from '../../platform/auth/viewer.js';
import { serviceViewer } from '../../platform/federation/subgraph-call.js';
import type { Logger } from '../../platform/logger.js';
import { CONNECTION_BODY } from '../../platform/subgraph/subscriptions/subscription-protocol.js';
import type { LimitVerdict } from '../operation-limits.js';
import { SubgraphDataSource } from '../subgraph-data-source.js';
import { ClientStream, type ClientStreamOptions } from './client-stream.js';
import { formatErrors } from './execute-event.js';
import { SharedSubscription } from './shared-subscription.js';
import { SubscriptionPlanner, type SubscriptionPlan } from './subscription-planner.js';
import { UpstreamConnection } from './upstream-connection.js';

export interface SubscriptionEngineOptions {
  supergraphSdl: string;
  subgraphUrls: Partial<Record<string, string>>;
  signingSecret: string;
  log: Logger;
  /** The gateway's operation limits (the same as over HTTP). */
  checkLimits?: (query: string) => LimitVerdict;
  /** Per call to a subgraph while completing an event. Default 10 s. */
  subgraphTimeoutMs?: number;
  /** graphql-ws connections per subgraph. Default 4. */
  upstreamConnections?: number;
}

export interface SubscribeRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** How the transport writes to its client, and tells when the client is too far behind (client-stream.ts). */
export type ClientHooks = Omit<ClientStreamOptions, 'onEnd'>;

export type Subscribed = { ok: true; stream: ClientStream } | { ok: false; errors: GraphQLFormattedError[] };

export class SubscriptionEngine {
  readonly planner: SubscriptionPlanner;
  private readonly services: ServiceMap = {};
  private readonly dataSources: SubgraphDataSource[] = [];
  private readonly upstreams = new Map<string, UpstreamConnection[]>();
  private readonly shared = new Map<string, SharedSubscription>();

  constructor(private readonly options: SubscriptionEngineOptions) {
    this.planner = new SubscriptionPlanner(options.supergraphSdl);
    for (const [name, url] of Object.entries(options.subgraphUrls)) {
      if (!url) continue;
      const source = new SubgraphDataSource({ name, url, signingSecret: options.signingSecret, timeoutMs: options.subgraphTimeoutMs, connections: 16 });
      this.dataSources.push(source);
      this.services[name] = source;
    }
  }

  /** Client subscriptions and the upstream subscriptions they share. */
  stats(): { clients: number; upstream: number } {
    let clients = 0;
    for (const shared of this.shared.values()) clients += shared.size;
    return { clients, upstream: this.shared.size };
  }

  /** Limits, validation and plan: what may be refused before anything starts. */
  check(request: SubscribeRequest): { ok: true; plan: SubscriptionPlan } | { ok: false; errors: GraphQLFormattedError[] } {
    const refuse = (errors: readonly (GraphQLError | GraphQLFormattedError)[]) => ({ ok: false as const, errors: formatErrors(errors) });
    const verdict = this.options.checkLimits?.(request.query);
    if (verdict && !verdict.ok) return refuse([new GraphQLError(verdict.message, { extensions: { code: verdict.code } })]);
    const planned = this.planner.plan(request.query, request.operationName);
    if (!planned.ok) return refuse(planned.errors);
    const subgraph = planned.plan.primary.serviceName;
    if (!this.options.subgraphUrls[subgraph]) return refuse([new GraphQLError(`No URL configured for subgraph "${subgraph}"`)]);
    return { ok: true, plan: planned.plan };
  }

  subscribe(viewer: Viewer, request: SubscribeRequest, hooks: ClientHooks): Subscribed {
    const checked = this.check(request);
    if (!checked.ok) return checked;
    const { plan } = checked;
    const subgraph = plan.primary.serviceName;

    const variables = request.variables ?? {};
    const key = JSON.stringify([request.operationName ?? null, request.query, variables, claimsFromViewer(viewer)]);
    let shared = this.shared.get(key);
    if (!shared) {
      const requestId = `subscription:${randomUUID()}`;
      shared = new SharedSubscription({
        planner: this.planner,
        plan,
        services: this.services,
        signingSecret: this.options.signingSecret,
        viewer,
        variables,
        requestId,
        log: this.options.log.child({ requestId }),
        onIdle: () => {
          if (this.shared.get(key) === created) this.shared.delete(key);
        },
      });
      const created = shared;
      this.shared.set(key, shared);
      shared.start(this.upstreamFor(subgraph));
    }
    const owner = shared;
    const stream = new ClientStream({ ...hooks, onEnd: () => owner.remove(stream) });
    owner.add(stream);
    return { ok: true, stream };
  }

  private upstreamFor(subgraph: string): UpstreamConnection {
    let pool = this.upstreams.get(subgraph);
    if (!pool) this.upstreams.set(subgraph, (pool = []));
    const idle = pool.reduce<UpstreamConnection | undefined>((best, connection) => (!best || connection.size < best.size ? connection : best), undefined);
    if (idle && (idle.size === 0 || pool.length >= (this.options.upstreamConnections ?? 4))) return idle;
    const url = new URL(this.options.subgraphUrls[subgraph]!);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const connection = new UpstreamConnection({
      url: url.toString(),
      connectionParams: () => ({ identity: signIdentity(this.options.signingSecret, serviceViewer('gateway', 'gateway'), subgraph, CONNECTION_BODY) }),
      log: this.options.log.child({ component: 'subscriptions', subgraph }),
    });
    pool.push(connection);
    return connection;
  }

  async close(): Promise<void> {
    for (const shared of [...this.shared.values()]) shared.close();
    this.shared.clear();
    for (const pool of this.upstreams.values()) for (const connection of pool) connection.close();
    await Promise.all(this.dataSources.map((source) => source.close()));
  }
}
