import type { QueryResolvers } from '../generated/resolvers-types.js';

export const Query: QueryResolvers = {
  calendarEvent: (_root, { id }, { events }) => events.getEvent(id),
  calendarEvents: (_root, { from, to, types }, { events }) => events.listOccurrences(from, to, types),
  calendarEventsConnection: (_root, { from, to, types, first, after }, { events }) => events.occurrencesPage(from, to, types, { first, after }),
  companyTimeZone: (_root, _args, { companyTimeZone }) => companyTimeZone.get(),
  defaultReminders: (_root, _args, { reminderDefaults }) => reminderDefaults.get(),
  calDAVAccounts: (_root, _args, { caldavAccounts }) => caldavAccounts.list(),
  freeBusy: (_root, { userIds, from, to }, { freeBusy }) => freeBusy.freeBusy(userIds, from, to),
  findMeetingTimes: (_root, args, { meetingTimes }) => meetingTimes.find(args),
};
