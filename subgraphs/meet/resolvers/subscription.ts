/**
 * Subscription.liveClassStatusChanged: a course or class the caller cannot
 * see is refused when subscribing (NOT_FOUND, or FORBIDDEN when not enrolled). Fed by the event backbone (meet.class.*
 * from any meet replica), so a webhook received anywhere reaches every
 * subscriber. Per event: same company, the arguments' course or class, and a
 * course the caller may see (roles read again once they are older than
 * SUBSCRIPTION_ACCESS_RECHECK_SECONDS); a caller no longer enrolled in the
 * course subscribed to, or in the course of the class subscribed to, gets
 * one last FORBIDDEN and the stream ends.
 * The class is then read as it is now, once per event for all its
 * subscribers (event-memo.ts), and handed to the event's execution with the
 * event's cursor attached so that the gateway can resume after it. The calendar mirrors a class after
 * meet announced it, so its calendar.event.* for a live class is passed on
 * too: a client sees `calendarEvent` arrive (the scheduling event itself may
 * carry null) and follow a reschedule.
 */
import { mapEvents } from '../../../platform/subgraph/subscriptions/map-events.js';
import { eventMemo } from '../../../platform/subgraph/subscriptions/event-memo.js';
import { withCursor } from '../../../platform/subgraph/subscriptions/event-cursor-tag.js';
import { forbidden } from '../../../platform/errors.js';
import { subscriptionExtras } from '../../../platform/subgraph/subscriptions/subscription-context.js';
import type { MeetContext } from '../context.js';
import type { SubscriptionLiveClassStatusChangedArgs, SubscriptionResolverObject, SubscriptionResolvers } from '../generated/resolvers-types.js';
import type { LiveClassModel } from '../models.js';

/** Every change a client shows: scheduled, changed or rescheduled, students waiting, live, ended, cancelled, a recording ready or (un)published, moderation. */
const STATUS_TOPICS = [
  'meet.class.scheduled',
  'meet.class.updated',
  'meet.class.waiting',
  'meet.class.started',
  'meet.class.ended',
  'meet.class.cancelled',
  'meet.recording.ready',
  'meet.recording.published',
  'meet.recording.unpublished',
  // Hands raised and lowered, promotions, removals: teachers' views of the room follow.
  'meet.class.moderated',
] as const;
/** The calendar's mirror of a class was made or changed. */
const CALENDAR_TOPICS = ['calendar.event.created', 'calendar.event.updated'] as const;

interface Scope {
  liveClassId: string;
  /** Absent from calendar events: checked on the class itself. */
  courseId?: string;
}

/** Class and recording events name their class and course; a calendar event its source record. */
function scopeOf(event: { topic: string; payload: unknown }): Scope | null {
  if (event.topic.startsWith('calendar.')) {
    const payload = event.payload as { source_module: string | null; entity_type: string | null; entity_id: string | null };
    return payload.source_module === 'meet' && payload.entity_type === 'live_class' && payload.entity_id ? { liveClassId: payload.entity_id } : null;
  }
  const payload = event.payload as { course_id: string; live_class_id: string };
  return { liveClassId: payload.live_class_id, courseId: payload.course_id };
}

interface ClassChanged {
  liveClassId: string;
  /** The class as read for this event (absent when revoked). */
  liveClass?: LiveClassModel;
  /** The caller lost access to the subscription's course (named, or its class's): this event says so, and is the last. */
  revoked?: true;
}

const liveClassStatusChanged: SubscriptionResolverObject<LiveClassModel, unknown, MeetContext, Partial<SubscriptionLiveClassStatusChangedArgs>> = {
  subscribe: async (_parent, { courseId, liveClassId }, context) => {
    // A scope the caller cannot see is refused now, not acknowledged and left silent.
    // The course followed: the one named, or the named class's (so that both kinds of scope end alike on unenrolment).
    const followedCourse = await context.liveClasses.requireVisibleScope(courseId, liveClassId);
    const { events, resumeAfter, currentContext } = subscriptionExtras(context);
    const { companyId } = context.viewer;
    const changes = events.subscribe({
      topics: [...STATUS_TOPICS, ...CALENDAR_TOPICS],
      after: resumeAfter,
      filter: (event) => {
        const scope = scopeOf(event);
        return !!scope && event.companyId === companyId && (!courseId || !scope.courseId || scope.courseId === courseId) && (!liveClassId || scope.liveClassId === liveClassId);
      },
    });
    return mapEvents(changes, async (event) => {
      const { liveClasses } = currentContext() as MeetContext;
      if (followedCourse && !(await liveClasses.mayFollowCourse(followedCourse))) {
        await changes.return?.();
        return withCursor<ClassChanged>({ liveClassId: scopeOf(event)!.liveClassId, revoked: true }, event.cursor);
      }
      // Visible: of the caller's company (the lookup is filtered by it), and an admin or enrolled in its course.
      const visible = await liveClasses.getLiveClassOfEvent(eventMemo(event), scopeOf(event)!.liveClassId);
      if (!visible || (courseId && visible.courseId !== courseId)) return undefined;
      return withCursor<ClassChanged>({ liveClassId: visible.id, liveClass: visible }, event.cursor);
    });
  },
  resolve: (payload) => {
    const { liveClass, revoked } = payload as unknown as ClassChanged;
    if (revoked || !liveClass) throw forbidden('You are no longer enrolled in this course: the subscription has ended');
    return liveClass;
  },
};

export const Subscription: SubscriptionResolvers = { liveClassStatusChanged };
