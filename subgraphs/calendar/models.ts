/** What calendar's resolvers work with (the codegen mappers point here). */
import type { CourseRole } from '../../platform/federation/course-access.js';

export const EVENT_TYPES = ['MEETING', 'TASK_DEADLINE', 'MILESTONE', 'LEAVE', 'HOLIDAY', 'REMINDER', 'LIVE_CLASS', 'CUSTOM'] as const;
export type EventTypeName = (typeof EVENT_TYPES)[number];
export type ParticipationStatusName = 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'TENTATIVE' | 'DELEGATED';
/** An answer that takes the person out of the occurrence: neither busy nor reminded (a delegate answers for themselves). */
export const notAttending = (status: ParticipationStatusName) => status === 'DECLINED' || status === 'DELEGATED';

export interface CalendarEventModel {
  id: string;
  companyId: string;
  parentId: string | null;
  recurrenceId: Date | null;
  title: string;
  description: string | null;
  location: string | null;
  start: Date;
  end: Date | null;
  allDay: boolean;
  timezone: string;
  recurrenceRule: string | null;
  exdates: Date[];
  rdates: Date[];
  seriesUntil: Date | null;
  eventType: EventTypeName;
  sourceModule: string | null;
  entityType: string | null;
  entityId: string | null;
  courseId: string | null;
  organizerId: string | null;
  isCancelled: boolean;
  externalId: string | null;
  lastSyncedAt: Date | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  sequence: number;
  completed: boolean;
  /** The event's own reminders (minutes before); null: each person's defaults. */
  reminderMinutes: number[] | null;
}

export interface EventParticipantModel {
  id: string;
  eventId: string;
  userId: string | null;
  externalEmail: string | null;
  externalName: string | null;
  status: ParticipationStatusName;
  isOrganizer: boolean;
}

declare const shown: unique symbol;
/**
 * An event as the request's viewer may see it: a private or confidential one withheld from them comes as a copy
 * titled WITHHELD_TITLE (CalendarEventService.shown). GraphQL's CalendarEvent maps to this type, so that every
 * resolver handing out an event must have it pass there, and `title` needs no resolver of its own.
 */
export type ShownEvent = CalendarEventModel & { readonly [shown]: true };

/** `E`: a ShownEvent as GraphQL gets it, a CalendarEventModel while the service computes it. */
export interface EventOccurrenceModel<E extends CalendarEventModel = ShownEvent> {
  event: E;
  start: Date;
  end: Date | null;
  recurrenceId: Date | null;
}

/** A connected CalDAV account as the API shows it (its calendars, log and conflicts are resolved per field). */
export interface CalDAVAccountModel {
  id: string;
  serverUrl: string;
  username: string;
  calendarUrl: string;
  status: {
    state: 'IDLE' | 'RUNNING' | 'FAILED';
    total: number;
    done: number;
    lastStartedAt: Date | null;
    lastSuccessAt: Date | null;
    lastError: string | null;
    lastErrorAt: Date | null;
  };
}

/** The losing side of a sync conflict (its event resolved per field, under the read rules). */
export interface CalendarSyncConflictModel {
  id: string;
  eventId: string;
  href: string;
  occurredAt: Date;
  kept: 'CALENDAR' | 'REMOTE';
  reason: string;
  losingICalendar: string;
}

/** A Course representation as the gateway sends it, with `viewerRole` through `@requires`. */
export interface CourseReference {
  id: string;
  viewerRole?: CourseRole | null;
}
