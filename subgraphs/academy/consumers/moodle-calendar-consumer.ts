/**
 * Academy's consumer of meet's events (group `academy.moodle-calendar`):
 * live classes into Moodle's calendar, notifications and reminders. Each
 * handler runs in the backbone's transaction (see
 * platform/events/handle-event.ts), which also commits the group's
 * "processed" mark: all of an event's Moodle writes (and the mail events
 * they publish) land once, or not at all. `meet.class.started` is
 * announced; `.ended` is not followed: the course event stays as it is.
 */
import type { Transaction } from 'kysely';
import type { PlatformConfig } from '../../../platform/config.js';
import { startEventConsumer, type EventConsumer, type EventContext, type EventHandlers } from '../../../platform/events/event-consumer.js';
import { publishEvents } from '../../../platform/events/publish-event.js';
import type { PublishedEvent } from '../../../platform/events/published-event.js';
import type { Logger } from '../../../platform/logger.js';
import type { AcademyDatabase } from '../database.js';
import { academyDb } from '../repositories/academy-db.js';
import { MoodleCalendarService, type ClassPayload, type RecordingPayload } from '../services/moodle-calendar-service.js';

export const MOODLE_CALENDAR_GROUP = 'academy.moodle-calendar';

export interface MoodleCalendarHandlerOptions {
  moodleSchema: string;
  classUrlBase: string;
  moodleUrl?: string;
  reminderMinutes: number;
  /** Publish `academy.notification.created` for each notification (mail is configured). */
  mail: boolean;
}

export function moodleCalendarHandlers(options: MoodleCalendarHandlerOptions) {
  const service = (context: EventContext) => {
    const trx = context.trx as Transaction<AcademyDatabase>;
    return new MoodleCalendarService(academyDb(trx, options.moodleSchema), {
      classUrlBase: options.classUrlBase,
      moodleUrl: options.moodleUrl,
      reminderMinutes: options.reminderMinutes,
      publishForMail: options.mail ? async (events) => void (await publishEvents(trx, events)) : undefined,
      log: context.log,
    });
  };
  return {
    'meet.class.scheduled': (event: PublishedEvent<ClassPayload>, context: EventContext) => service(context).scheduled(event.companyId, event.payload, event.createdAt),
    'meet.class.updated': (event: PublishedEvent<ClassPayload>, context: EventContext) => service(context).updated(event.companyId, event.payload, event.createdAt),
    'meet.class.cancelled': (event: PublishedEvent<ClassPayload>, context: EventContext) => service(context).cancelled(event.companyId, event.payload),
    'meet.class.started': (event: PublishedEvent<ClassPayload>, context: EventContext) => service(context).started(event.companyId, event.payload),
    'meet.recording.ready': (event: PublishedEvent<RecordingPayload>, context: EventContext) => service(context).recordingReady(event.companyId, event.payload),
  } satisfies EventHandlers;
}

export function moodleCalendarOptions(config: PlatformConfig): MoodleCalendarHandlerOptions {
  return {
    moodleSchema: config.moodle.schema,
    classUrlBase: config.academy.classUrlBase,
    moodleUrl: config.moodle.url,
    reminderMinutes: config.academy.reminderMinutes,
    mail: config.mail.smtpUrl !== undefined,
  };
}

export function startMoodleCalendarConsumer(deps: { config: PlatformConfig; databaseUrl: string; log: Logger }): Promise<EventConsumer> {
  const { config, databaseUrl, log } = deps;
  return startEventConsumer({
    databaseUrl,
    group: MOODLE_CALENDAR_GROUP,
    handlers: moodleCalendarHandlers(moodleCalendarOptions(config)),
    retention: { maxAgeMs: config.eventRetentionDays * 86_400_000 },
    log,
  });
}
