/**
 * Whether an event blocks its people's time (iCalendar TRANSP, RFC 5545
 * 3.8.2.7): deadlines, milestones, reminders and holidays only mark a day,
 * and so does any event its calendar app shows as free (TRANSP:TRANSPARENT,
 * or Outlook's X-MICROSOFT-CDO-BUSYSTATUS:FREE), kept as metadata.transparent.
 */
import type { CalendarEventModel } from '../models.js';

export const TRANSPARENT_TYPES = ['TASK_DEADLINE', 'MILESTONE', 'REMINDER', 'HOLIDAY'] as const;

export function isTransparent(event: { eventType: string; metadata: CalendarEventModel['metadata'] }): boolean {
  return (TRANSPARENT_TYPES as readonly string[]).includes(event.eventType) || event.metadata.transparent === true;
}
