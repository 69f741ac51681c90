/** Moodle notifications (`mdl_notifications`): what users see in Moodle's bell and its notification emails. */
import type { Insertable } from 'kysely';
import type { MdlNotifications } from '../database.js';
import type { AcademyDb } from './academy-db.js';

export type NewNotification = Insertable<MdlNotifications>;

export class NotificationRepository {
  constructor(private readonly db: AcademyDb) {}

  async insertMany(rows: readonly NewNotification[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.moodle.insertInto('mdl_notifications').values([...rows]).execute();
  }

  /** Whether a user already got this kind of notification with this `customdata` (its dedupe key); uses Moodle's index on useridto. */
  async sentTo(useridto: string, component: string, eventtype: string, customdata: string): Promise<boolean> {
    const row = await this.db.moodle
      .selectFrom('mdl_notifications')
      .select('id')
      .where('useridto', '=', useridto)
      .where('component', '=', component)
      .where('eventtype', '=', eventtype)
      .where('customdata', '=', customdata)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
