/** Who may change an event: its organizer and company admins; never an event that mirrors another domain's record. */
import { isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import { forbidden } from '../../../platform/errors.js';
import type { CalendarEventModel, EventTypeName } from '../models.js';

/** Types a user may create here; the others are derived from their source domains. */
export const OWN_EVENT_TYPES: readonly EventTypeName[] = ['MEETING', 'REMINDER', 'CUSTOM', 'HOLIDAY'];
export const COMPANY_EVENT_TYPES: readonly EventTypeName[] = ['HOLIDAY'];

export function requireEditable(viewer: Viewer, event: CalendarEventModel): void {
  if (event.sourceModule) {
    throw forbidden(`This event follows a ${event.entityType ?? 'record'} of ${event.sourceModule}: change it there and the calendar follows`);
  }
  const isOrganizer = !!viewer.moodleUserId && event.organizerId === viewer.moodleUserId;
  if (!isOrganizer && !isAdmin(viewer)) throw forbidden('Only the event\u2019s organizer and company admins may change it');
}
