import type { CalDavAccountResolvers, CalendarSyncConflictResolvers } from '../generated/resolvers-types.js';

export const CalDAVAccount: CalDavAccountResolvers = {
  calendars: (account, _args, { caldavAccounts }) => caldavAccounts.calendars(account.id),
  syncLog: (account, { limit }, { caldavAccounts }) => caldavAccounts.syncLog(account.id, limit ?? 20),
  conflicts: (account, { limit }, { caldavAccounts }) => caldavAccounts.conflicts(account.id, limit ?? 20),
};

export const CalendarSyncConflict: CalendarSyncConflictResolvers = {
  event: (conflict, _args, { events }) => events.getEvent(conflict.eventId),
};
