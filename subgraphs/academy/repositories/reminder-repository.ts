/**
 * Reminders due before live classes (`academy.live_class_reminders`): one
 * row per class, `sent_at` set in the transaction that writes the reminder's
 * notifications, so it is sent once.
 */
import { sql, type Selectable } from 'kysely';
import type { LiveClassReminders } from '../database.js';
import type { AcademyDb } from './academy-db.js';

export type Reminder = Selectable<LiveClassReminders>;

export interface PlannedReminder {
  liveClassId: string;
  companyId: string;
  courseId: string;
  title: string;
  startsAt: Date;
  durationMinutes: number | null;
  remindAt: Date;
}

export class ReminderRepository {
  constructor(private readonly db: AcademyDb) {}

  /** Sets the class's reminder, due again (a class moved to a new time is reminded of anew). */
  async plan(reminder: PlannedReminder): Promise<void> {
    const row = {
      live_class_id: reminder.liveClassId,
      company_id: reminder.companyId,
      course_id: reminder.courseId,
      title: reminder.title,
      starts_at: reminder.startsAt,
      duration_minutes: reminder.durationMinutes,
      remind_at: reminder.remindAt,
      sent_at: null,
    };
    await this.db.moodle
      .insertInto('academy.live_class_reminders')
      .values(row)
      .onConflict((oc) => oc.column('live_class_id').doUpdateSet({ ...row, updated_at: sql`now()` }))
      .execute();
  }

  /** A new title for a reminder not sent yet. */
  async rename(liveClassId: string, title: string): Promise<void> {
    await this.db.moodle
      .updateTable('academy.live_class_reminders')
      .set({ title, updated_at: sql`now()` })
      .where('live_class_id', '=', liveClassId)
      .where('sent_at', 'is', null)
      .execute();
  }

  async remove(liveClassId: string): Promise<void> {
    await this.db.moodle.deleteFrom('academy.live_class_reminders').where('live_class_id', '=', liveClassId).execute();
  }

  /** Due reminders, locked for this transaction; ones another process holds are skipped, not waited for. */
  async claimDue(limit: number): Promise<Reminder[]> {
    return this.db.moodle
      .selectFrom('academy.live_class_reminders')
      .selectAll()
      .where('sent_at', 'is', null)
      .where('remind_at', '<=', sql<Date>`now()`)
      .orderBy('remind_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  async markSent(liveClassId: string): Promise<void> {
    await this.db.moodle.updateTable('academy.live_class_reminders').set({ sent_at: sql`now()` }).where('live_class_id', '=', liveClassId).execute();
  }
}
