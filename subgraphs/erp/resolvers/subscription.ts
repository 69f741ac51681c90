/**
 * Subscription.leaveRequestChanged: fed by the event backbone (hr.leave.*
 * from any erp replica, or ingested from Bheem Core), so a decision made
 * anywhere reaches an open Leave page. Per event: the caller's company, then
 * the request read as it is now under the caller's rules (LeaveService: staff
 * only; one's own, or the company's for admins and managers), with the
 * event's cursor attached so that the gateway can resume after it.
 */
import type { TopicPayload } from '../../../platform/events/topics/index.js';
import { mapEvents } from '../../../platform/subgraph/subscriptions/map-events.js';
import { withCursor } from '../../../platform/subgraph/subscriptions/event-cursor-tag.js';
import { subscriptionExtras } from '../../../platform/subgraph/subscriptions/subscription-context.js';
import type { ErpContext } from '../context.js';
import type { SubscriptionResolverObject, SubscriptionResolvers } from '../generated/resolvers-types.js';
import type { LeaveRequestModel } from '../models.js';

const LEAVE_TOPICS = ['hr.leave.requested', 'hr.leave.approved', 'hr.leave.rejected', 'hr.leave.cancelled'] as const;

/** Every hr.leave.* payload names its request and employee (.cancelled adds previous_status). */
const payloadOf = (event: { payload: unknown }) => event.payload as TopicPayload<'hr.leave.requested'>;

interface LeaveChanged {
  leave: LeaveRequestModel;
}

const leaveRequestChanged: SubscriptionResolverObject<LeaveRequestModel, unknown, ErpContext, Record<string, never>> = {
  subscribe: (_parent, _args, context) => {
    // A student or teacher without a staff role is refused now, not acknowledged and left silent.
    context.leave.requireFollower();
    const { events, resumeAfter } = subscriptionExtras(context);
    const { companyId } = context.viewer;
    const changes = events.subscribe({
      topics: [...LEAVE_TOPICS],
      after: resumeAfter,
      filter: (event) => event.companyId === companyId && context.leave.mayFollow(payloadOf(event).employee_id),
    });
    return mapEvents(changes, async (event) => {
      const leave = await context.leave.getLeaveRequestNow(payloadOf(event).leave_id);
      return leave ? withCursor<LeaveChanged>({ leave }, event.cursor) : undefined;
    });
  },
  resolve: (payload) => (payload as unknown as LeaveChanged).leave,
};

export const Subscription: SubscriptionResolvers = { leaveRequestChanged };
