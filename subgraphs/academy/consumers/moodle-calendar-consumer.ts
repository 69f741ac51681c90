/**
 * Academy's consumer of meet's events (group `academy.moodle-calendar`):
 * live classes into Moodle's calendar and notifications. Each handler runs
 * in the backbone's transaction (see platform/events/handle-event.ts), which
 * also commits the group's "processed" mark: all of an event's Moodle writes
 * land once, or not at all. `meet.class.started` and `.ended` are not
 * followed: the course event stays as it is.
 */
import type { Transaction } from 'kysely';
import type { PlatformConfig } from '../../../platform/config.js';
import { startEventConsumer, type EventConsumer, type EventContext, type EventHandlers } from '../../../platform/events/event-consumer.js';
import type { PublishedEvent } from '../../../platform/events/published-event.js';
import type { Logger } from '../../../platform/logger.js';
import type { AcademyDatabase } from '../database.js';
import { academyDb } from '../repositories/academy-db.js';
import { MoodleCalendarService, type ClassPayload, type RecordingPayload } from '../services/moodle-calendar-service.js';

export const MOODLE_CALENDAR_GROUP = 'academy.moodle-calendar';

export interface MoodleCalendarHandlerOptions {
  moodleSchema: string;
  moodleUrl?: string;
}

export function moodleCalendarHandlers(options: MoodleCalendarHandlerOptions) {
  const service = (context: EventContext) =>
    new MoodleCalendarService(academyDb(context.trx as Transaction<AcademyDatabase>, options.moodleSchema), { moodleUrl: options.moodleUrl, log: context.log });
  return {
    'meet.class.scheduled': (event: PublishedEvent<ClassPayload>, context: EventContext) => service(context).scheduled(event.companyId, event.payload),
    'meet.class.updated': (event: PublishedEvent<ClassPayload>, context: EventContext) => service(context).updated(event.companyId, event.payload),
    'meet.class.cancelled': (event: PublishedEvent<ClassPayload>, context: EventContext) => service(context).cancelled(event.companyId, event.payload),
    'meet.recording.ready': (event: PublishedEvent<RecordingPayload>, context: EventContext) => service(context).recordingReady(event.companyId, event.payload),
  } satisfies EventHandlers;
}

export function startMoodleCalendarConsumer(deps: { config: PlatformConfig; databaseUrl: string; log: Logger }): Promise<EventConsumer> {
  const { config, databaseUrl, log } = deps;
  return startEventConsumer({
    databaseUrl,
    group: MOODLE_CALENDAR_GROUP,
    handlers: moodleCalendarHandlers({ moodleSchema: config.moodle.schema, moodleUrl: config.moodle.url }),
    retention: { maxAgeMs: config.eventRetentionDays * 86_400_000 },
    log,
  });
}
