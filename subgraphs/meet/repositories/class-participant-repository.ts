/**
 * Each user's standing in a class as moderators left it: a raised hand, a
 * promotion to speak, a removal. One row per class and user, created on the
 * first moderation of that user; each action sets or clears its column.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ClassParticipantsTable, MeetDatabase } from '../database.js';
import { uuidsOnly } from './ids.js';

export type ClassParticipantRow = Selectable<ClassParticipantsTable>;
type StandingColumn = 'hand_raised_at' | 'promoted_at' | 'removed_at';

export class ClassParticipantRepository {
  constructor(private readonly db: Kysely<MeetDatabase>) {}

  /** Sets (a time) or clears (null) columns of one user's standing; a column already set keeps its first time. */
  async set(companyId: string, liveClassId: string, userId: string, changes: Partial<Record<StandingColumn, Date | null>>): Promise<ClassParticipantRow> {
    const values = { company_id: companyId, live_class_id: liveClassId, user_id: userId, ...changes };
    const updates = Object.fromEntries(
      Object.entries(changes).map(([column, value]) => [column, value === null ? null : sql`COALESCE(class_participants.${sql.ref(column)}, excluded.${sql.ref(column)})`]),
    );
    return this.db
      .insertInto('class_participants')
      .values(values)
      .onConflict((oc) => oc.columns(['live_class_id', 'user_id']).doUpdateSet({ ...updates, updated_at: sql`now()` }))
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * The user's standing, its row created if need be and locked until the caller's transaction ends: a moderator's
   * change to it (which writes the same row) waits until then. A row this creates also holds its class's row
   * (the foreign key's KEY SHARE lock) until then, and every webhook of the class waits for that row (FOR UPDATE):
   * hold it only to write, never across a slow call (LiveKit's).
   */
  async lockStanding(companyId: string, liveClassId: string, userId: string): Promise<ClassParticipantRow> {
    return this.set(companyId, liveClassId, userId, {});
  }

  /**
   * Clears a claim (a promotion, a removal) only if it is still the one set at `at` (its LiveKit side failed): one
   * set before, or by another moderator meanwhile, is left alone.
   */
  async withdraw(liveClassId: string, userId: string, column: 'promoted_at' | 'removed_at', at: Date): Promise<void> {
    await this.db
      .updateTable('class_participants')
      .set({ [column]: null, updated_at: sql`now()` })
      .where('live_class_id', '=', liveClassId)
      .where('user_id', '=', userId)
      .where(column, '=', at)
      .execute();
  }

  /**
   * Whether the user is promoted, and the standing's version: its updated_at as a timestamptz's text (to the
   * microsecond, which a Date would lose), changed by every write of the row; null when there is no row.
   */
  async findVersioned(liveClassId: string, userId: string): Promise<{ promoted: boolean; version: string | null }> {
    const row = await this.db
      .selectFrom('class_participants')
      .select([sql<boolean>`promoted_at IS NOT NULL`.as('promoted'), sql<string>`updated_at::text`.as('version')])
      .where('live_class_id', '=', liveClassId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ?? { promoted: false, version: null };
  }

  async find(liveClassId: string, userId: string): Promise<ClassParticipantRow | undefined> {
    return this.db.selectFrom('class_participants').selectAll().where('live_class_id', '=', liveClassId).where('user_id', '=', userId).executeTakeFirst();
  }

  /** Users of a class with any standing (for the reads of many classes at once). */
  async listByClasses(companyId: string, classIds: readonly string[]): Promise<ClassParticipantRow[]> {
    const valid = uuidsOnly(classIds);
    if (valid.length === 0) return [];
    return this.db
      .selectFrom('class_participants')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('live_class_id', 'in', valid)
      .where((eb) => eb.or([eb('hand_raised_at', 'is not', null), eb('promoted_at', 'is not', null), eb('removed_at', 'is not', null)]))
      .orderBy('updated_at')
      .execute();
  }
}
