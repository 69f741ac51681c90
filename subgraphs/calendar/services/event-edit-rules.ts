/** Who may change an event: its organizer and company admins; never an event that mirrors another domain's record. */
import { isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import { forbidden } from '../../../platform/errors.js';
import type { CalendarEventModel, EventTypeName } from '../models.js';

/** Types a user may create here; the others are derived from their source domains. */
export const OWN_EVENT_TYPES: readonly EventTypeName[] = ['MEETING', 'REMINDER', 'CUSTOM', 'HOLIDAY'];
export const COMPANY_EVENT_TYPES: readonly EventTypeName[] = ['HOLIDAY'];

const isOrganizer = (viewer: Viewer, event: CalendarEventModel) => !!viewer.moodleUserId && event.organizerId === viewer.moodleUserId;

/** Whether the viewer may change or cancel the event (the rule requireEditable enforces). */
export const mayEdit = (viewer: Viewer, event: CalendarEventModel) => !event.sourceModule && (isOrganizer(viewer, event) || isAdmin(viewer));

export function requireEditable(viewer: Viewer, event: CalendarEventModel): void {
  if (event.sourceModule) {
    throw forbidden(`This event follows a ${event.entityType ?? 'record'} of ${event.sourceModule}: change it there and the calendar follows`);
  }
  if (!mayEdit(viewer, event)) throw forbidden('Only the event\u2019s organizer and company admins may change it');
}
