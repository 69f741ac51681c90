/**
 * Calendar: the unified ERP calendar. Its own events and those derived from
 * other domains (deadlines, meetings, leave, live classes), recurring series
 * expanded per IANA time zone, and CalDAV sync.
 */
import type { Kysely } from 'kysely';
import type { Viewer } from '../../platform/auth/viewer.js';
import { createKysely } from '../../platform/database/connection.js';
import { forRequest } from '../../platform/database/request-database.js';
import { startEventConsumer } from '../../platform/events/event-consumer.js';
import { EgressPolicy } from '../../platform/http/egress-policy.js';
import { PeriodicJob } from '../../platform/jobs/periodic-job.js';
import { lazyContext } from '../../platform/subgraph/lazy-context.js';
import type { SubgraphModule } from '../../platform/subgraph/subgraph-module.js';
import type { CalendarContext } from './context.js';
import type { CalendarDatabase } from './database.js';
import { calendarMigrations } from './migrations/index.js';
import { OccurrenceBudget, setOccurrenceLimits } from './recurrence/occurrence-limits.js';
import { EventRepository } from './repositories/event-repository.js';
import { CredentialCipher } from '../../platform/crypto/credential-cipher.js';
import { CaldavLogRepository } from './repositories/caldav-log-repository.js';
import { ReminderRepository } from './repositories/reminder-repository.js';
import { ReminderDefaultsService } from './services/reminder-defaults-service.js';
import { ReminderScheduler } from './services/reminder-scheduler.js';
import { CaldavRepository } from './repositories/caldav-repository.js';
import { FeedTokenRepository } from './repositories/feed-token-repository.js';
import { OccurrenceResponseRepository } from './repositories/occurrence-response-repository.js';
import { ParticipantRepository } from './repositories/participant-repository.js';
import { resolvers } from './resolvers/index.js';
import { seedCalendar } from './seed.js';
import { CalDAVAccountService } from './services/caldav-account-service.js';
import { CalDAVSyncService } from './services/caldav-sync-service.js';
import { CalendarFeedService } from './services/calendar-feed-service.js';
import { CalendarEventService } from './services/calendar-event-service.js';
import { CompanyTimeZoneService } from './services/company-time-zone-service.js';
import { academyDomainEventDeps, calendarEventHandlers } from './services/domain-event-handler.js';
import { EventWriteService } from './services/event-write-service.js';
import { FreeBusyService } from './services/free-busy-service.js';
import { MeetingTimeFinder } from './services/meeting-time-finder.js';
import { UserContacts } from './services/user-contacts.js';
import { WorkingHoursService } from './services/working-hours-service.js';
import { WorkingHoursRepository } from './repositories/working-hours-repository.js';
import { academyCompanyOutsiders, UserDirectory } from './services/user-directory.js';

/** What a request's services share, built for every request (the services themselves on first read). */
interface CalendarRequestShared {
  requestDb: Kysely<CalendarDatabase>;
  events: EventRepository;
  participants: ParticipantRepository;
  responses: OccurrenceResponseRepository;
  workingHours: WorkingHoursRepository;
  users: UserDirectory;
  budget: OccurrenceBudget;
}

export const calendarSubgraph: SubgraphModule<CalendarContext> = {
  name: 'calendar',
  dbSchema: 'calendar',
  migrations: calendarMigrations,
  resolvers,
  async start({ config, databaseUrl, log }) {
    setOccurrenceLimits({ perSeriesYear: config.calendar.maxSeriesOccurrencesPerYear, perRequest: config.calendar.maxOccurrencesPerRequest });
    const db = createKysely<CalendarDatabase>(databaseUrl);
    const eventRepository = new EventRepository(db);
    const participantRepository = new ParticipantRepository(db);
    const responseRepository = new OccurrenceResponseRepository(db);
    // Other domains' records mirrored as events: the platform's consumer, group `calendar`.
    const consumer = config.calendar.consumeEvents
      ? await startEventConsumer({ databaseUrl, group: 'calendar', handlers: calendarEventHandlers(academyDomainEventDeps(config)), log })
      : undefined;
    const caldavRepository = new CaldavRepository(db);
    const caldavLog = new CaldavLogRepository(db);
    const reminderRepository = new ReminderRepository(db);
    const cipher = new CredentialCipher(config.credentialKey, config.previousKeys.credential);
    const contacts = new UserContacts(config, log.child({ component: 'user-contacts' }));
    const writesAs = (viewer: Viewer, over = db, events = eventRepository, participants = participantRepository, responses = responseRepository) =>
      new EventWriteService(viewer, over, events, participants, responses, new UserDirectory(config, viewer));
    // Who is no longer a user of a company (deleted in Moodle): their CalDAV sync and feed stop.
    const outsiders = academyCompanyOutsiders(config);
    const caldavSync = new CalDAVSyncService(
      db,
      caldavRepository,
      eventRepository,
      participantRepository,
      responseRepository,
      contacts,
      writesAs,
      cipher,
      log.child({ component: 'caldav-sync' }),
      new EgressPolicy(config.outbound),
      caldavLog,
      reminderRepository,
      outsiders,
      { concurrency: config.calendar.syncConcurrency, askedWaitMs: config.calendar.syncTurnWaitSeconds * 1000 },
    );
    // Every account, every interval; never two rounds at once in one process.
    const backgroundSync = new PeriodicJob('CalDAV sync', () => caldavSync.syncAll(), log);
    backgroundSync.start(config.calendar.syncIntervalSeconds * 1000);
    const feed = new CalendarFeedService(
      new FeedTokenRepository(db),
      eventRepository,
      participantRepository,
      responseRepository,
      contacts,
      config.publicUrl,
      reminderRepository,
      outsiders,
    );
    // Reminders as they fall due, on the event backbone (Subscription.calendarReminder).
    const reminders = new PeriodicJob(
      'calendar reminders',
      async () => {
        await new ReminderScheduler(db, reminderRepository, eventRepository, participantRepository, responseRepository, log.child({ component: 'reminders' })).deliverDue();
      },
      log,
    );
    reminders.start(config.calendar.reminderIntervalSeconds * 1000);
    return {
      routes: [feed.route()],
      stop: async () => {
        await backgroundSync.stop();
        await reminders.stop();
        await consumer?.stop();
      },
      // The request's statements are cancelled with it: its own Kysely and repositories (request-database.ts).
      // Each service is built when a resolver first reads it (lazy-context.ts): a fetch reads one or two.
      createContext: lazyContext<CalendarContext, CalendarRequestShared>(
        (base) => {
          const requestDb = forRequest(db, base.signal);
          const workingHours = new WorkingHoursRepository(requestDb);
          return {
            requestDb,
            events: new EventRepository(requestDb),
            participants: new ParticipantRepository(requestDb),
            responses: new OccurrenceResponseRepository(requestDb),
            workingHours,
            users: new UserDirectory(config, base.viewer),
            // One budget for every expansion of the request (fields, aliases, free/busy).
            budget: new OccurrenceBudget(),
          };
        },
        {
          events: ({ viewer }, { events, participants, responses, budget }) => new CalendarEventService(viewer, events, participants, responses, budget),
          eventWrites: ({ viewer }, { requestDb, events, participants, responses }) => writesAs(viewer, requestDb, events, participants, responses),
          freeBusy: ({ viewer }, { events, participants, responses, users, budget, workingHours }) =>
            new FreeBusyService(viewer, events, participants, responses, users, budget, workingHours),
          meetingTimes: ({ freeBusy }, { users }) => new MeetingTimeFinder(freeBusy, users),
          workingHours: ({ viewer }, { workingHours }) => new WorkingHoursService(viewer, workingHours),
          caldavAccounts: ({ viewer }, { requestDb }) => new CalDAVAccountService(viewer, new CaldavRepository(requestDb), caldavSync, cipher, new CaldavLogRepository(requestDb)),
          feed: () => feed,
          companyTimeZone: ({ viewer }, { requestDb }) => new CompanyTimeZoneService(viewer, requestDb),
          reminderDefaults: ({ viewer }, { requestDb }) => new ReminderDefaultsService(viewer, new ReminderRepository(requestDb)),
        },
      ),
    };
  },
  seed: (deps) => seedCalendar(deps),
};
