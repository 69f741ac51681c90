/**
 * What a subscription resolver gets beyond its module's context: the
 * process's event feed, and the cursor to resume after. Kept beside the
 * context (not in it) so that module contexts stay as they are.
 */
import type { EventFeed } from '../../events/event-feed.js';

export interface SubscriptionExtras {
  /** The process's live feed of backbone events (one LISTEN connection). */
  events: EventFeed;
  /** Resume after this backbone cursor (the last event the gateway received), or from now. */
  resumeAfter?: string;
  /**
   * The context to check an event's access with: the subscription's own while its caches (the caller's course
   * roles) are recent, a fresh one for the same caller once they are older than SUBSCRIPTION_ACCESS_RECHECK_SECONDS.
   */
  currentContext: () => object;
}

const extrasByContext = new WeakMap<object, SubscriptionExtras>();

export function attachSubscriptionExtras(context: object, extras: SubscriptionExtras): void {
  extrasByContext.set(context, extras);
}

/** The extras of a subscription's context; throws when the operation is not a subscription served here. */
export function subscriptionExtras(context: object): SubscriptionExtras {
  const extras = extrasByContext.get(context);
  if (!extras) throw new Error('Subscriptions are served over graphql-ws only');
  return extras;
}
