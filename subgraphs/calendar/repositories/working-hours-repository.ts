/** Users' working hours (Kysely only). */
import type { Kysely } from 'kysely';
import type { CalendarDatabase } from '../database.js';

export interface WorkingHoursModel {
  timezone: string;
  /** ISO weekdays, 1 = Monday. */
  days: number[];
  startMinute: number;
  endMinute: number;
}

export class WorkingHoursRepository {
  constructor(private readonly db: Kysely<CalendarDatabase>) {}

  async ofUsers(companyId: string, userIds: readonly string[]): Promise<Map<string, WorkingHoursModel>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('calendar.working_hours')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('user_id', 'in', [...userIds])
      .execute();
    return new Map(rows.map((row) => [row.user_id, { timezone: row.timezone, days: row.days, startMinute: row.start_minute, endMinute: row.end_minute }]));
  }

  async save(companyId: string, userId: string, hours: WorkingHoursModel): Promise<void> {
    const values = { timezone: hours.timezone, days: hours.days, start_minute: hours.startMinute, end_minute: hours.endMinute };
    await this.db
      .insertInto('calendar.working_hours')
      .values({ company_id: companyId, user_id: userId, ...values })
      .onConflict((oc) => oc.columns(['company_id', 'user_id']).doUpdateSet(values))
      .execute();
  }
}
