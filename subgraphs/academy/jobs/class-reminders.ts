/**
 * Reminders before live classes: every ACADEMY_REMINDER_POLL_SECONDS, the
 * reminders that came due (academy.live_class_reminders) are sent as Moodle
 * notifications (and mail, through the notification events) to the course's
 * current teachers and students.
 *
 * Sent once: a reminder is claimed with FOR UPDATE SKIP LOCKED and marked
 * sent in the transaction that writes its notifications, so a crash before
 * the commit leaves it due (sent by the next run, in this process or
 * another), and two replicas never send the same one. A reminder found due
 * after its class has started (the service was down) is dropped, not sent late.
 */
import type { Kysely, Transaction } from 'kysely';
import type { PlatformConfig } from '../../../platform/config.js';
import { publishEvents } from '../../../platform/events/publish-event.js';
import { PeriodicJob } from '../../../platform/jobs/periodic-job.js';
import type { Logger } from '../../../platform/logger.js';
import type { AcademyDatabase } from '../database.js';
import { academyDb } from '../repositories/academy-db.js';
import { CourseRepository } from '../repositories/course-repository.js';
import { ReminderRepository, type Reminder } from '../repositories/reminder-repository.js';
import { LiveClassNotifier } from '../services/live-class-notifier.js';
import { customData } from '../services/moodle-calendar-service.js';

const BATCH = 20;

export interface ReminderRun {
  sent: number;
  dropped: number;
}

export async function sendDueReminders(db: Kysely<AcademyDatabase>, config: PlatformConfig, log: Logger): Promise<ReminderRun> {
  const run: ReminderRun = { sent: 0, dropped: 0 };
  for (;;) {
    const claimed = await db.transaction().execute(async (trx) => {
      const due = await new ReminderRepository(academyDb(trx, config.moodle.schema)).claimDue(BATCH);
      for (const reminder of due) run[(await remind(trx, reminder, config, log)) ? 'sent' : 'dropped'] += 1;
      return due.length;
    });
    if (claimed < BATCH) return run;
  }
}

/** Notifies the class's course of one reminder and marks it sent; false when it was dropped instead. */
async function remind(trx: Transaction<AcademyDatabase>, reminder: Reminder, config: PlatformConfig, log: Logger): Promise<boolean> {
  const db = academyDb(trx, config.moodle.schema);
  const reminders = new ReminderRepository(db);
  await reminders.markSent(reminder.live_class_id);
  const [course] = await new CourseRepository(db).findByIds(reminder.company_id, [reminder.course_id]);
  if (!course || reminder.starts_at.getTime() <= Date.now()) {
    log.info({ liveClassId: reminder.live_class_id, startsAt: reminder.starts_at }, 'live class reminder dropped: the class has started or its course is gone');
    return false;
  }
  const notifier = new LiveClassNotifier(db, {
    classUrlBase: config.academy.classUrlBase,
    moodleUrl: config.moodle.url,
    publishForMail: config.mail.smtpUrl ? async (events) => void (await publishEvents(trx, events)) : undefined,
  });
  const facts = {
    kind: 'liveclass_reminder' as const,
    liveClassId: reminder.live_class_id,
    title: reminder.title,
    courseName: course.fullname,
    startsAt: reminder.starts_at,
    durationMinutes: reminder.duration_minutes ?? undefined,
  };
  const count = await notifier.notify(reminder.company_id, course, undefined, facts, customData(course, reminder.live_class_id));
  log.info({ liveClassId: reminder.live_class_id, recipients: count }, 'live class reminder sent');
  return true;
}

export function startClassReminders(db: Kysely<AcademyDatabase>, config: PlatformConfig, log: Logger): PeriodicJob<ReminderRun> {
  const job = new PeriodicJob('live class reminders', () => sendDueReminders(db, config, log), log);
  if (config.academy.reminderMinutes > 0) job.start(config.academy.reminderPollSeconds * 1000);
  return job;
}
