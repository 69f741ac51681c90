/**
 * The gateway's subscriptions, whatever the transport (graphql-ws, SSE):
 * checks an operation (limits, validation, plan), finds or starts the shared
 * subscription for it, and gives the client its own bounded stream.
 *
 * Upstream, a few graphql-ws connections per subgraph (least loaded first)
 * carry every subscription, each with its caller's signed identity.
 *
 * A reloaded supergraph (update()) plans the subscriptions that start after
 * it; those running keep theirs to the end. The pools (upstream connections,
 * HTTP sources for `rest`) of a subgraph URL the new supergraph no longer
 * has close once the last subscription started before the reload ends.
 */
import type { ServiceMap } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { signIdentity } from '../../platform/auth/gateway-signature.js';
import { claimsFromViewer, type Viewer } from '../../platform/auth/viewer.js';
import { serviceViewer } from '../../platform/federation/subgraph-call.js';
import type { Logger } from '../../platform/logger.js';
import { CONNECTION_BODY } from '../../platform/subgraph/subscriptions/subscription-protocol.js';
import { SubgraphDataSource } from '../subgraph-data-source.js';
import { ClientStream, type ClientSink } from './client-stream.js';
import { formatErrors } from './execute-event.js';
import { SharedSubscription } from './shared-subscription.js';
import type { ServingSupergraph } from '../supergraph/serving-supergraph.js';
import { SubscriptionPlanner, type SubscriptionPlan } from './subscription-planner.js';
import { UpstreamConnection } from './upstream-connection.js';

export interface SubscriptionEngineOptions {
  /** The supergraph serving now and its subgraphs' URLs (update() follows reloads). */
  supergraph: Pick<ServingSupergraph, 'loaded' | 'urls'>;
  signingSecret: string;
  log: Logger;
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

/** How the transport writes to its client, and tells when the client is too far behind (client-stream.ts); kept as given, never copied. */
export interface ClientHooks extends ClientSink {
  /** Called once when the client's stream ends, whatever ended it (gives back its place in the quotas). */
  onEnd?(): void;
}

export type Checked = { ok: true; plan: SubscriptionPlan } | { ok: false; errors: GraphQLFormattedError[] };

/** A supergraph's subgraph pools, by name and URL, and how many shared subscriptions started on it still run. */
interface Generation {
  id: number;
  keys: Set<string>;
  live: number;
}

const poolKey = (name: string, url: string) => `${name}\n${url}`;

export class SubscriptionEngine {
  planner!: SubscriptionPlanner;
  private services: ServiceMap = {};
  private urls: Record<string, string> = {};
  /** By subgraph name and URL: kept across reloads (subscriptions started before one still use theirs). */
  private readonly dataSources = new Map<string, SubgraphDataSource>();
  private readonly upstreams = new Map<string, UpstreamConnection[]>();
  private readonly shared = new Map<string, SharedSubscription>();
  /** The pools' keys of the supergraph serving, and of replaced ones whose subscriptions still run. */
  private generation: Generation | undefined;
  private readonly retired = new Set<Generation>();

  constructor(private readonly options: SubscriptionEngineOptions) {
    this.update(options.supergraph);
  }

  /** A new supergraph: new subscriptions are planned over it; those running keep the plan, planner and sources they started with. */
  update(supergraph: Pick<ServingSupergraph, 'loaded' | 'urls'>): void {
    const services: ServiceMap = {};
    for (const [name, url] of Object.entries(supergraph.urls)) {
      const key = poolKey(name, url);
      let source = this.dataSources.get(key);
      if (!source) {
        source = new SubgraphDataSource({ name, url, signingSecret: this.options.signingSecret, timeoutMs: this.options.subgraphTimeoutMs, connections: 16 });
        this.dataSources.set(key, source);
      }
      services[name] = source;
    }
    this.planner = new SubscriptionPlanner(supergraph.loaded, this.options.log);
    this.services = services;
    this.urls = supergraph.urls;
    if (this.generation) this.retired.add(this.generation);
    this.generation = { id: (this.generation?.id ?? 0) + 1, keys: new Set(Object.entries(supergraph.urls).map(([name, url]) => poolKey(name, url))), live: 0 };
    this.closeUnused();
  }

  /** Closes the pools no supergraph uses: not the one serving, nor a replaced one with subscriptions still running. */
  private closeUnused(): void {
    for (const generation of this.retired) if (generation.live === 0) this.retired.delete(generation);
    const used = new Set(this.generation!.keys);
    for (const generation of this.retired) for (const key of generation.keys) used.add(key);
    for (const [key, source] of this.dataSources) {
      if (used.has(key)) continue;
      this.dataSources.delete(key);
      void source.close();
    }
    for (const [key, pool] of this.upstreams) {
      if (used.has(key)) continue;
      this.upstreams.delete(key);
      for (const connection of pool) connection.close();
    }
  }

  /** Client subscriptions and the upstream subscriptions they share. */
  stats(): { clients: number; upstream: number } {
    let clients = 0;
    for (const shared of this.shared.values()) clients += shared.size;
    return { clients, upstream: this.shared.size };
  }

  /**
   * Validation and plan: what may be refused before anything starts. The
   * operation's limits are not checked again here: every transport passes
   * the pipeline's operation step first (gateway-pipeline.ts).
   */
  check(request: SubscribeRequest, viewer: Viewer): Checked {
    const refuse = (errors: readonly (GraphQLError | GraphQLFormattedError)[]) => ({ ok: false as const, errors: formatErrors(errors) });
    const planned = this.planner.plan(request.query, request.operationName, viewer);
    if (!planned.ok) return refuse(planned.errors);
    const subgraph = planned.plan.primary.serviceName;
    if (!this.urls[subgraph]) return refuse([new GraphQLError(`No URL configured for subgraph "${subgraph}"`)]);
    return { ok: true, plan: planned.plan };
  }

  /** Starts (or joins) the subscription `check` planned: the plan is not made twice. */
  subscribe(viewer: Viewer, request: SubscribeRequest, plan: SubscriptionPlan, hooks: ClientHooks): ClientStream {
    const subgraph = plan.primary.serviceName;

    const variables = request.variables ?? {};
    // Per supergraph: a client arriving after a reload does not join a subscription planned on the one before.
    // Its scopes, policies and anonymity too: callers sharing one upstream subscription share its plan (authorization-variants.ts).
    const key = JSON.stringify([
      this.generation!.id,
      request.operationName ?? null,
      request.query,
      variables,
      claimsFromViewer(viewer),
      viewer.scopes,
      viewer.policies,
      viewer.anonymous,
    ]);
    let shared = this.shared.get(key);
    if (!shared) {
      const requestId = `subscription:${randomUUID()}`;
      // Counted in the supergraph it starts on: that one's pools stay open until it ends.
      const generation = this.generation!;
      generation.live++;
      let ended = false;
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
          if (ended) return;
          ended = true;
          generation.live--;
          if (this.retired.has(generation)) this.closeUnused();
        },
      });
      const created = shared;
      this.shared.set(key, shared);
      shared.start(this.upstreamFor(subgraph));
    }
    const owner = shared;
    const stream = new ClientStream(hooks, () => {
      owner.remove(stream);
      hooks.onEnd?.();
    });
    owner.add(stream);
    return stream;
  }

  private upstreamFor(subgraph: string): UpstreamConnection {
    const key = poolKey(subgraph, this.urls[subgraph]!);
    let pool = this.upstreams.get(key);
    if (!pool) this.upstreams.set(key, (pool = []));
    const idle = pool.reduce<UpstreamConnection | undefined>((best, connection) => (!best || connection.size < best.size ? connection : best), undefined);
    if (idle && (idle.size === 0 || pool.length >= (this.options.upstreamConnections ?? 4))) return idle;
    const url = new URL(this.urls[subgraph]!);
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
    await Promise.all([...this.dataSources.values()].map((source) => source.close()));
  }
}
