/**
 * Events their owner marked private or confidential in their calendar app
 * (iCalendar CLASS, RFC 5545 3.8.1.3, kept as metadata.class). As Outlook
 * and Nextcloud show them to others, anyone but the owner and the event's
 * own participants (admins and managers who see the owner's calendar) sees
 * only that the time is taken: the times and busy status stay, the title is
 * a fixed placeholder, and description, location, attendees and metadata
 * are withheld. The owner's copy, and what goes back to CalDAV, keep it all.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { CalendarEventModel, EventParticipantModel } from '../models.js';

export const WITHHELD_TITLE = 'Busy';

/**
 * The CLASS a remote event came with, as stored (upper-case), or null for
 * PUBLIC or none. RFC 5545 has an unknown class treated as PRIVATE: every
 * stored one is withheld.
 */
export function classOf(event: Pick<CalendarEventModel, 'metadata'>): string | null {
  const value = event.metadata?.class;
  return typeof value === 'string' ? value : null;
}

/** Whether `viewer` sees only the busy time of `event`; `participants` are the series'. */
export function withheldFrom(viewer: Viewer, event: Pick<CalendarEventModel, 'metadata' | 'organizerId'>, participants: readonly EventParticipantModel[]): boolean {
  if (!classOf(event)) return false;
  const userId = viewer.moodleUserId;
  if (!userId) return true;
  return event.organizerId !== userId && !participants.some((p) => p.userId === userId);
}

/**
 * The title and class the event backbone tells of `event` (calendar.event.*, reminders): every consumer of the
 * company's bus (Bheem Core's too) reads them and none is a participant, so a private or confidential event is
 * told as any non-participant sees it.
 */
export function announced(event: Pick<CalendarEventModel, 'metadata' | 'title'>): { title: string; class: string | null } {
  const classification = classOf(event);
  return { title: classification ? WITHHELD_TITLE : event.title, class: classification };
}
