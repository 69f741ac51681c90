/** LiveKit delivers webhooks at least once: an event id is applied once. */
import type { Kysely } from 'kysely';
import type { MeetDatabase } from '../database.js';

export class WebhookEventRepository {
  constructor(private readonly db: Kysely<MeetDatabase>) {}

  /** True when the event is new (and now claimed, within the caller's transaction). */
  async claim(event: { id: string; event: string; roomName: string | null; createdAt: Date }): Promise<boolean> {
    const inserted = await this.db
      .insertInto('webhook_events')
      .values({ id: event.id, event: event.event, room_name: event.roomName, created_at: event.createdAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Forgets events created before `before`; returns how many. */
  async pruneCreatedBefore(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('webhook_events').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
