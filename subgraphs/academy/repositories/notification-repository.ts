/**
 * Moodle notifications as Moodle's message_send() leaves them when the popup
 * processor is on: a row in `mdl_notifications` and one in
 * `mdl_message_popup_notifications` naming it, which is what the bell
 * (message_popup\api::get_popup_notifications) reads.
 *
 * Each names the message provider it came through (component, eventtype).
 * No plugin of ours is installed in Moodle, so they come through one of
 * core's (lib/db/messages.php): `moodle`/`coursecontentupdated`, "Course
 * content updated", the provider Moodle's own notices of new or changed
 * course content use. Every Moodle has it, a user's notification
 * preferences list it, and the bell shows it as it shows Moodle's own (its
 * popup gives activity modules, `mod_*`, their icon, and anything else
 * core's marker). Which notice it is (scheduled, reminder, ...) is in
 * `customdata`, Moodle's JSON for a notification's extra facts.
 */
import type { Insertable } from 'kysely';
import type { MdlNotifications } from '../database.js';
import type { AcademyDb } from './academy-db.js';

export type NewNotification = Insertable<MdlNotifications>;

/** The core message provider live-class notices come through (see above). */
export const NOTICE_PROVIDER = { component: 'moodle', eventtype: 'coursecontentupdated' } as const;

export interface WrittenNotification {
  id: string;
  useridto: string;
}

export class NotificationRepository {
  constructor(private readonly db: AcademyDb) {}

  /** Writes the notifications and their popup rows; returns their ids. */
  async insertMany(rows: readonly NewNotification[]): Promise<WrittenNotification[]> {
    if (rows.length === 0) return [];
    const written = await this.db.moodle
      .insertInto('mdl_notifications')
      .values([...rows])
      .returning(['id', 'useridto'])
      .execute();
    await this.db.moodle
      .insertInto('mdl_message_popup_notifications')
      .values(written.map((row) => ({ notificationid: row.id })))
      .execute();
    return written;
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

  /** A notification with what mailing it needs of its recipient, if the recipient is a live member of the company. */
  async forMail(companyId: string, notificationId: string, useridto: string) {
    return this.db.moodle
      .selectFrom('mdl_notifications as n')
      .innerJoin('mdl_user as u', 'u.id', 'n.useridto')
      .innerJoin('academy.company_users as cu', (join) => join.onRef('cu.user_id', '=', 'u.id').on('cu.company_id', '=', companyId))
      .where('n.id', '=', notificationId)
      .where('n.useridto', '=', useridto)
      .where('u.deleted', '=', 0)
      .where('u.suspended', '=', 0)
      .select(['n.id', 'n.subject', 'n.fullmessage', 'n.fullmessagehtml', 'n.component', 'n.eventtype', 'u.email', 'u.emailstop', 'u.firstname', 'u.lastname'])
      .executeTakeFirst();
  }
}
