/**
 * A Moodle notification by mail, as Moodle's email processor sends it: the
 * notification's subject, its plain and HTML bodies, to the recipient's
 * address, unless they turned notifications off (`emailstop`). The event
 * names the notification; the recipient must be a live member of the
 * event's company, so a forged event can at most re-send someone their own
 * notification.
 */
import type { TopicPayload } from '../../../platform/events/topics/index.js';
import type { Logger } from '../../../platform/logger.js';
import type { Mailer } from '../../../platform/mail/mailer.js';
import type { AcademyDb } from '../repositories/academy-db.js';
import { NotificationRepository } from '../repositories/notification-repository.js';

export type NotificationCreated = TopicPayload<'academy.notification.created'>;

export class NotificationMailService {
  private readonly notifications: NotificationRepository;

  constructor(
    db: AcademyDb,
    private readonly mailer: Mailer,
    private readonly options: { messageIdDomain: string; log: Logger },
  ) {
    this.notifications = new NotificationRepository(db);
  }

  /** Sends the mail; throws when the SMTP server refuses or cannot be reached (the event is then retried). */
  async send(companyId: string, p: NotificationCreated): Promise<'sent' | 'skipped'> {
    const found = p.company_id === companyId ? await this.notifications.forMail(companyId, p.notification_id, p.user_id) : undefined;
    if (!found) {
      this.options.log.warn({ companyId, notificationId: p.notification_id, userId: p.user_id }, 'notification to mail not found for this company and user; ignored');
      return 'skipped';
    }
    if (found.emailstop || !found.email) return 'skipped';
    await this.mailer.send({
      to: { name: `${found.firstname} ${found.lastname}`.trim(), address: found.email },
      subject: found.subject ?? '',
      text: found.fullmessage ?? '',
      html: found.fullmessagehtml ?? undefined,
      messageId: `<notification-${found.id}@${this.options.messageIdDomain}>`,
      headers: { 'X-Moodle-Component': found.component ?? '', 'X-Moodle-Event-Type': found.eventtype ?? '' },
    });
    return 'sent';
  }
}
