/**
 * Academy's mail of Moodle notifications (group `academy.notification-mail`):
 * runs only when SMTP_URL is set. A mail is sent at least once: should the
 * process die between the SMTP server's acceptance and the commit of the
 * "processed" mark, the event is delivered and the mail sent again, with
 * the same Message-ID.
 */
import type { Transaction } from 'kysely';
import type { PlatformConfig } from '../../../platform/config.js';
import { startEventConsumer, type EventConsumer, type EventContext, type EventHandlers } from '../../../platform/events/event-consumer.js';
import type { PublishedEvent } from '../../../platform/events/published-event.js';
import type { Logger } from '../../../platform/logger.js';
import type { Mailer } from '../../../platform/mail/mailer.js';
import type { AcademyDatabase } from '../database.js';
import { academyDb } from '../repositories/academy-db.js';
import { NotificationMailService, type NotificationCreated } from '../services/notification-mail-service.js';

export const NOTIFICATION_MAIL_GROUP = 'academy.notification-mail';

export function notificationMailHandlers(options: { moodleSchema: string; mailer: Mailer; messageIdDomain: string }) {
  return {
    'academy.notification.created': async (event: PublishedEvent<NotificationCreated>, context: EventContext) => {
      const db = academyDb(context.trx as Transaction<AcademyDatabase>, options.moodleSchema);
      await new NotificationMailService(db, options.mailer, { messageIdDomain: options.messageIdDomain, log: context.log }).send(event.companyId, event.payload);
    },
  } satisfies EventHandlers;
}

/** The domain of MAIL_FROM's address, for Message-IDs. */
export function mailDomain(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
}

export function startNotificationMailConsumer(deps: { config: PlatformConfig; databaseUrl: string; log: Logger; mailer: Mailer }): Promise<EventConsumer> {
  const { config, databaseUrl, log, mailer } = deps;
  return startEventConsumer({
    databaseUrl,
    group: NOTIFICATION_MAIL_GROUP,
    handlers: notificationMailHandlers({ moodleSchema: config.moodle.schema, mailer, messageIdDomain: mailDomain(config.mail.from) }),
    retention: { maxAgeMs: config.eventRetentionDays * 86_400_000 },
    // Sending waits on the SMTP server: a few lanes, so one slow mail does not hold up the rest.
    concurrency: 2,
    log,
  });
}
