import type { MutationResolvers } from '../generated/resolvers-types.js';

export const Mutation: MutationResolvers = {
  connectCalDAVAccount: (_root, { url, username, appPassword }, { caldavAccounts }) => caldavAccounts.connect(url, username, appPassword),
  rotateCalendarFeedUrl: (_root, _args, { feed, viewer }) => feed.rotate(viewer),
  selectCalDAVCalendar: (_root, { accountId, calendarUrl }, { caldavAccounts }) => caldavAccounts.selectCalendar(accountId, calendarUrl),
  disconnectCalDAVAccount: (_root, { accountId, removePushedEvents }, { caldavAccounts }) => caldavAccounts.disconnect(accountId, removePushedEvents),
  syncCalDAV: (_root, { accountId }, { caldavAccounts }) => caldavAccounts.syncNow(accountId),
  createCalendarEvent: async (_root, { input }, { eventWrites, events }) => events.shown(await eventWrites.create(input)),
  updateCalendarEvent: async (_root, { id, input, scope, occurrence }, { eventWrites, events }) => events.shown(await eventWrites.update(id, input, scope ?? 'ALL', occurrence)),
  cancelCalendarEvent: async (_root, { id, scope, occurrence }, { eventWrites, events }) => events.shown(await eventWrites.cancel(id, scope ?? 'ALL', occurrence)),
  setCompanyTimeZone: (_root, { timezone }, { companyTimeZone }) => companyTimeZone.set(timezone),
  setDefaultReminders: (_root, { minutesBefore }, { reminderDefaults }) => reminderDefaults.set(minutesBefore),
  setWorkingHours: (_root, { input }, { workingHours }) => workingHours.set(input),
  respondToEvent: (_root, { eventId, status, occurrence }, { eventWrites }) => eventWrites.respond(eventId, status, occurrence),
};
