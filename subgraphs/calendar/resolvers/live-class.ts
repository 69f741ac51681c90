import { selectedFields } from '../../../platform/graphql/selected-fields.js';
import type { LiveClassResolvers } from '../generated/resolvers-types.js';

/** LiveClass is meet's; the event itself is only shown to those who may see it. */
export const LiveClass: LiveClassResolvers = {
  __resolveReference: (reference) => reference,
  calendarEvent: (liveClass, _args, { events }, info) => events.eventOfLiveClass(liveClass.id, selectedFields(info)),
};
