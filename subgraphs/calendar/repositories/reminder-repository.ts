/** Reminders (Kysely only): people's defaults, what was sent, and how far sending has come. */
import { sql, type Kysely } from 'kysely';
import type { CalendarDatabase } from '../database.js';
import { toEvent, type CalendarDb } from './event-repository.js';
import type { CalendarEventModel } from '../models.js';

export interface ReminderDelivery {
  eventId: string;
  userId: string;
  occurrenceStart: Date;
  minutesBefore: number;
}

export class ReminderRepository {
  constructor(private readonly db: Kysely<CalendarDatabase>) {}

  async defaultsOf(companyId: string, userIds: readonly string[]): Promise<Map<string, number[]>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('calendar.reminder_defaults')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('user_id', 'in', [...userIds])
      .execute();
    return new Map(rows.map((row) => [row.user_id, row.minutes]));
  }

  async saveDefaults(companyId: string, userId: string, minutes: readonly number[]): Promise<void> {
    await this.db
      .insertInto('calendar.reminder_defaults')
      .values({ company_id: companyId, user_id: userId, minutes: [...minutes] })
      .onConflict((oc) => oc.columns(['company_id', 'user_id']).doUpdateSet({ minutes: [...minutes] }))
      .execute();
  }

  /** The longest reminder anyone has (defaults or an event's own), in minutes; null when nobody has one. */
  async longestLead(): Promise<number | null> {
    const { rows } = await sql<{ lead: number | null }>`SELECT max(m) AS lead FROM (
      SELECT unnest(minutes) AS m FROM calendar.reminder_defaults
      UNION ALL SELECT unnest(reminder_minutes) FROM calendar.calendar_events WHERE reminder_minutes IS NOT NULL AND NOT is_cancelled) AS leads`.execute(this.db);
    return rows[0]?.lead ?? null;
  }

  /** Series and single events of every company that may have an occurrence starting in [from, to). */
  async seriesStartingIn(from: Date, to: Date): Promise<CalendarEventModel[]> {
    const rows = await this.db
      .selectFrom('calendar.calendar_events')
      .selectAll()
      .where('parent_id', 'is', null)
      .where('is_cancelled', '=', false)
      .where('start_time', '<', to)
      .where((eb) => eb.or([eb('series_until', 'is', null), eb('series_until', '>=', from)]))
      .execute();
    return rows.map(toEvent);
  }

  async sentUntil(): Promise<Date | null> {
    const row = await this.db.selectFrom('calendar.reminder_progress').select('sent_until').where('id', '=', 1).executeTakeFirst();
    return row?.sent_until ?? null;
  }

  async setSentUntil(db: CalendarDb, at: Date): Promise<void> {
    await db
      .insertInto('calendar.reminder_progress')
      .values({ id: 1, sent_until: at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ sent_until: at }))
      .execute();
  }

  /** Records a reminder as sent; false when it already was (by this process before a restart, or by another replica). */
  async claim(db: CalendarDb, delivery: ReminderDelivery): Promise<boolean> {
    const inserted = await db
      .insertInto('calendar.reminder_deliveries')
      .values({ event_id: delivery.eventId, user_id: delivery.userId, occurrence_start: delivery.occurrenceStart, minutes_before: delivery.minutesBefore })
      .onConflict((oc) => oc.doNothing())
      .returning('event_id')
      .executeTakeFirst();
    return !!inserted;
  }
}
