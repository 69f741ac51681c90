import type { CalendarEventResolvers } from '../generated/resolvers-types.js';
import { classOf } from '../services/event-privacy.js';

export const CalendarEvent: CalendarEventResolvers = {
  __resolveReference: (reference, { events }) => events.getEvent(reference.id),
  // A private or confidential event shows others only its busy time (services/event-privacy.ts): its title is
  // withheld as it leaves the service (ShownEvent), the other fields here.
  description: (event, _args, { events }) => events.unlessWithheld(event, () => event.description, null),
  location: (event, _args, { events }) => events.unlessWithheld(event, () => event.location, null),
  metadata: (event, _args, { events }) => events.unlessWithheld(event, () => event.metadata, { class: classOf(event) }),
  organizer: (event) => (event.organizerId ? { id: event.organizerId } : null),
  participants: (event, _args, { events }) => events.unlessWithheld(event, () => events.participants(event), []),
  occurrences: (event, { from, to }, { events }) => events.occurrencesOf(event, from, to),
};
