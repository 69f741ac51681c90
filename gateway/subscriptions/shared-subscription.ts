/**
 * Clients asking for the same subscription (same operation, variables and
 * caller identity) share one upstream subscription, and each event's `rest`
 * runs once for all of them: what an event looks like depends on nothing
 * else. Results are never shared across identities: what a caller may see
 * (which events, which fields) depends on who it is.
 *
 * Events are completed, serialized once (event-message.ts) and handed out
 * one at a time, in order; a client whose connection falls too far behind
 * is let go (client-stream.ts), so the slowest one holds back no one.
 */
import type { ServiceMap } from '@apollo/gateway';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';
import { signIdentity } from '../../platform/auth/gateway-signature.js';
import type { Viewer } from '../../platform/auth/viewer.js';
import type { Logger } from '../../platform/logger.js';
import { CURSOR_EXTENSION, IDENTITY_EXTENSION, RESUME_EXTENSION, subscribeBody } from '../../platform/subgraph/subscriptions/subscription-protocol.js';
import type { ClientStream } from './client-stream.js';
import { EventMessage } from './event-message.js';
import { executeEvent, formatErrors } from './execute-event.js';
import { fanOutInTurn } from './fan-out-queue.js';
import { fanOutTimings, loopIdleMs, wallClockMs, type FanOutTimings } from './fan-out-timings.js';
import type { SubscriptionPlan, SubscriptionPlanner } from './subscription-planner.js';
import type { UpstreamConnection, UpstreamPayload } from './upstream-connection.js';

export interface SharedSubscriptionOptions {
  planner: SubscriptionPlanner;
  plan: SubscriptionPlan;
  services: ServiceMap;
  signingSecret: string;
  viewer: Viewer;
  /** The client's variables (the rest's fetches pick theirs). */
  variables: Record<string, unknown>;
  requestId: string;
  log: Logger;
  /** No client left: the owner forgets this subscription. */
  onIdle: () => void;
}

export class SharedSubscription {
  private readonly clients = new Set<ClientStream>();
  /** Cursor of the last event received from upstream: where a re-subscription resumes. */
  private lastCursor: string | undefined;
  private delivery: Promise<void> = Promise.resolve();
  private stopUpstream: (() => void) | undefined;
  private done = false;
  private readonly primaryVariables: Record<string, unknown>;

  constructor(private readonly options: SharedSubscriptionOptions) {
    this.primaryVariables = Object.fromEntries(
      (options.plan.primary.variableUsages ?? []).filter((name) => options.variables[name] !== undefined).map((name) => [name, options.variables[name]]),
    );
  }

  get size(): number {
    return this.clients.size;
  }

  start(connection: UpstreamConnection): void {
    this.stopUpstream = connection.subscribe(() => this.upstreamPayload(), {
      next: (result) => this.receive(result),
      error: (errors) => this.finish(errors),
      complete: () => this.finish(),
    });
  }

  add(client: ClientStream): void {
    this.clients.add(client);
  }

  remove(client: ClientStream): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && !this.done) {
      this.done = true;
      this.stopUpstream?.();
      this.options.onIdle();
    }
  }

  /** Shutdown: upstream stopped, clients ended at once. */
  close(): void {
    this.done = true;
    this.stopUpstream?.();
    for (const client of [...this.clients]) client.end();
    this.clients.clear();
  }

  /** Signed afresh for every (re)subscription; resumes after the last event received. */
  private upstreamPayload(): UpstreamPayload {
    const { plan, signingSecret, viewer } = this.options;
    const request = { query: plan.primary.operation, variables: this.primaryVariables, operationName: plan.primary.operationName ?? null };
    const extensions: Record<string, unknown> = { [IDENTITY_EXTENSION]: signIdentity(signingSecret, viewer, plan.primary.serviceName, subscribeBody(request)) };
    if (this.lastCursor) extensions[RESUME_EXTENSION] = this.lastCursor;
    return { query: request.query, variables: request.variables, ...(request.operationName && { operationName: request.operationName }), extensions };
  }

  private receive(event: ExecutionResult): void {
    const cursor = event.extensions?.[CURSOR_EXTENSION];
    if (typeof cursor === 'string') this.lastCursor = cursor;
    const { extensions: _extensions, ...result } = event;
    const receivedAt = fanOutTimings.hasSubscribers ? wallClockMs() : 0;
    const idleAtReceipt = receivedAt && loopIdleMs();
    this.delivery = this.delivery
      .then(() => executeEvent(this.options, result))
      .catch((error: Error): ExecutionResult => {
        this.options.log.error({ err: error }, 'subscription event could not be completed');
        return { data: null, errors: [{ message: 'The event could not be completed', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] as never };
      })
      .then((completed) => this.fanOut(new EventMessage(completed), receivedAt, idleAtReceipt));
  }

  /** To every client subscribed when the event was completed, in turn with the other fan-outs (fan-out-queue.ts); timed when received at (fan-out-timings.ts). */
  private async fanOut(message: EventMessage, receivedAt: number, idleAtReceipt: number): Promise<void> {
    const completedAt = receivedAt && wallClockMs();
    const clients = [...this.clients];
    await fanOutInTurn(clients, message);
    if (receivedAt)
      fanOutTimings.publish({ receivedAt, completedAt, writtenAt: wallClockMs(), clients: clients.length, idleAtReceipt, idleAtWritten: loopIdleMs() } satisfies FanOutTimings);
  }

  /** The upstream ended (refused, or completed): clients get their queued events, then the errors, then the end. */
  private finish(errors?: readonly GraphQLFormattedError[]): void {
    this.delivery = this.delivery.then(() => {
      this.done = true;
      const last = errors ? new EventMessage({ data: null, errors: formatErrors(errors) as never }) : undefined;
      for (const client of [...this.clients]) client.end(last);
      this.clients.clear();
      this.options.onIdle();
    });
  }
}
