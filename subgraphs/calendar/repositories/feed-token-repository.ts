/** Feed tokens by their SHA-256: one per user, replaced on rotation. */
import type { Kysely } from 'kysely';
import type { CalendarDatabase } from '../database.js';

export class FeedTokenRepository {
  constructor(private readonly db: Kysely<CalendarDatabase>) {}

  async replace(companyId: string, userId: string, tokenHash: string): Promise<void> {
    await this.db
      .insertInto('calendar.feed_tokens')
      .values({ company_id: companyId, user_id: userId, token_hash: tokenHash })
      .onConflict((oc) => oc.columns(['company_id', 'user_id']).doUpdateSet({ token_hash: tokenHash, created_at: new Date() }))
      .execute();
  }

  findOwner(tokenHash: string): Promise<{ company_id: string; user_id: string } | undefined> {
    return this.db.selectFrom('calendar.feed_tokens').select(['company_id', 'user_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
  }
}
