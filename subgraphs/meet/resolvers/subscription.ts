/**
 * Subscription.liveClassStatusChanged: a course or class the caller cannot
 * see is refused when subscribing (NOT_FOUND, or FORBIDDEN when not enrolled). Fed by the event backbone (meet.class.*
 * from any meet replica), so a webhook received anywhere reaches every
 * subscriber. Per event: same company, the arguments' course or class, and a
 * course the caller may see (roles cached for the subscription's life);
 * the class is then read as it is now, with the event's cursor attached so
 * that the gateway can resume after it.
 */
import { mapEvents } from '../../../platform/subgraph/subscriptions/map-events.js';
import { withCursor } from '../../../platform/subgraph/subscriptions/event-cursor-tag.js';
import { subscriptionExtras } from '../../../platform/subgraph/subscriptions/subscription-context.js';
import type { MeetContext } from '../context.js';
import type { SubscriptionLiveClassStatusChangedArgs, SubscriptionResolverObject, SubscriptionResolvers } from '../generated/resolvers-types.js';
import type { LiveClassModel } from '../models.js';

/** Every change a client shows: scheduled, changed or rescheduled, students waiting, live, ended, cancelled, a recording ready, moderation. */
const STATUS_TOPICS = [
  'meet.class.scheduled', 'meet.class.updated', 'meet.class.waiting', 'meet.class.started', 'meet.class.ended', 'meet.class.cancelled',
  'meet.recording.ready',
  // Hands raised and lowered, promotions, removals: teachers' views of the room follow.
  'meet.class.moderated',
] as const;

/** Class and recording events alike name their class and course. */
const scopeOf = (event: { payload: unknown }) => event.payload as { course_id: string; live_class_id: string };

interface ClassChanged {
  liveClassId: string;
}

const liveClassStatusChanged: SubscriptionResolverObject<LiveClassModel, unknown, MeetContext, Partial<SubscriptionLiveClassStatusChangedArgs>> = {
  subscribe: async (_parent, { courseId, liveClassId }, context) => {
    // A scope the caller cannot see is refused now, not acknowledged and left silent.
    await context.liveClasses.requireVisibleScope(courseId, liveClassId);
    const { events, resumeAfter } = subscriptionExtras(context);
    const { companyId } = context.viewer;
    const changes = events.subscribe({
      topics: [...STATUS_TOPICS],
      after: resumeAfter,
      filter: (event) =>
        event.companyId === companyId &&
        (!courseId || scopeOf(event).course_id === courseId) &&
        (!liveClassId || scopeOf(event).live_class_id === liveClassId),
    });
    return mapEvents(changes, async (event) => {
      // Visible: of the caller's company (the lookup is filtered by it), and an admin or enrolled in its course.
      const visible = await context.liveClasses.getLiveClass(scopeOf(event).live_class_id);
      return visible ? withCursor<ClassChanged>({ liveClassId: visible.id }, event.cursor) : undefined;
    });
  },
  resolve: async (payload, _args, context) => {
    const { liveClassId } = payload as unknown as ClassChanged;
    const liveClass = await context.liveClasses.findInCompany(liveClassId);
    if (!liveClass) throw new Error(`Live class ${liveClassId} vanished`);
    return liveClass;
  },
};

export const Subscription: SubscriptionResolvers = { liveClassStatusChanged };
