/**
 * Caps on open subscriptions, per graphql-ws connection and per user
 * (GATEWAY_MAX_SUBSCRIPTIONS_PER_CONNECTION, _PER_USER; 0: no cap), so that
 * one caller cannot hold an unbounded share of the gateway's memory and
 * upstream subscriptions. Counted in this process: with several replicas,
 * a user's cap is per replica. The step reserves a place and leaves
 * `release` on the request; the transport calls it when the subscription
 * ends, or if it never starts.
 */
import { refusal, type EdgeRequest, type Step } from './edge-request.js';

export const TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS';

export class SubscriptionQuota {
  private readonly perUser = new Map<string, number>();
  private readonly perConnection = new WeakMap<object, number>();

  constructor(
    private readonly maxPerConnection: number,
    private readonly maxPerUser: number,
  ) {}

  /** Open subscriptions of a user (tests, metrics). */
  openFor(companyId: string, userId: string): number {
    return this.perUser.get(`${companyId}:${userId}`) ?? 0;
  }

  readonly step: Step = (request: EdgeRequest) => {
    const { viewer, connection } = request;
    if (!viewer) return undefined;
    const userKey = `${viewer.companyId}:${viewer.userId}`;
    const ofUser = this.perUser.get(userKey) ?? 0;
    if (this.maxPerUser > 0 && ofUser >= this.maxPerUser) {
      return refusal(429, TOO_MANY_SUBSCRIPTIONS, `At most ${this.maxPerUser} subscriptions per user are open at once: complete one first`);
    }
    const ofConnection = connection ? (this.perConnection.get(connection) ?? 0) : 0;
    if (connection && this.maxPerConnection > 0 && ofConnection >= this.maxPerConnection) {
      return refusal(429, TOO_MANY_SUBSCRIPTIONS, `At most ${this.maxPerConnection} subscriptions per connection are open at once: complete one first`);
    }
    this.perUser.set(userKey, ofUser + 1);
    if (connection) this.perConnection.set(connection, ofConnection + 1);
    let released = false;
    request.release = () => {
      if (released) return;
      released = true;
      const left = (this.perUser.get(userKey) ?? 1) - 1;
      if (left > 0) this.perUser.set(userKey, left);
      else this.perUser.delete(userKey);
      if (connection) this.perConnection.set(connection, (this.perConnection.get(connection) ?? 1) - 1);
    };
    return undefined;
  };
}
