import type { BaseContext } from '../../platform/subgraph/subgraph-module.js';
import type { CalDAVAccountService } from './services/caldav-account-service.js';
import type { CalendarFeedService } from './services/calendar-feed-service.js';
import type { CalendarEventService } from './services/calendar-event-service.js';
import type { CompanyTimeZoneService } from './services/company-time-zone-service.js';
import type { ReminderDefaultsService } from './services/reminder-defaults-service.js';
import type { EventWriteService } from './services/event-write-service.js';
import type { FreeBusyService } from './services/free-busy-service.js';
import type { MeetingTimeFinder } from './services/meeting-time-finder.js';
import type { WorkingHoursService } from './services/working-hours-service.js';

export interface CalendarContext extends BaseContext {
  events: CalendarEventService;
  eventWrites: EventWriteService;
  freeBusy: FreeBusyService;
  meetingTimes: MeetingTimeFinder;
  workingHours: WorkingHoursService;
  caldavAccounts: CalDAVAccountService;
  feed: CalendarFeedService;
  companyTimeZone: CompanyTimeZoneService;
  reminderDefaults: ReminderDefaultsService;
}
