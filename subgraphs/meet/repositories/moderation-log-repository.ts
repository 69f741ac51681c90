/**
 * The moderation audit: one row per action, written with the change it records. Updated only to settle an action
 * LiveKit did not confirm, once it is finished (services/moderation-record.ts).
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { MeetDatabase, ModerationAction, ModerationLogTable } from '../database.js';
import { uuidsOnly } from './ids.js';

export type ModerationLogRow = Selectable<ModerationLogTable>;

export interface ModerationRecord {
  companyId: string;
  liveClassId: string;
  action: ModerationAction;
  actorUserId: string | null;
  actorSubject: string;
  targetUserId: string;
  detail?: string | null;
  /** The action's time (a timestamptz's text) when it happened before it is written; else the row's insertion. */
  at?: string;
}

export class ModerationLogRepository {
  constructor(private readonly db: Kysely<MeetDatabase>) {}

  async record(entry: ModerationRecord): Promise<void> {
    await this.db
      .insertInto('moderation_log')
      .values({
        company_id: entry.companyId,
        live_class_id: entry.liveClassId,
        action: entry.action,
        actor_user_id: entry.actorUserId,
        actor_subject: entry.actorSubject,
        target_user_id: entry.targetUserId,
        detail: entry.detail ?? null,
        ...(entry.at !== undefined && { created_at: entry.at }),
      })
      .execute();
  }

  /** The target's latest audit row in the class among `actions` (written after `after`, a timestamp's text, if given), or undefined. */
  async latestOf(liveClassId: string, targetUserId: string, actions: readonly ModerationAction[], after?: string): Promise<ModerationLogRow | undefined> {
    return this.db
      .selectFrom('moderation_log')
      .selectAll()
      .where('live_class_id', '=', liveClassId)
      .where('target_user_id', '=', targetUserId as never)
      .where('action', 'in', actions)
      .$if(after !== undefined, (query) => query.where('created_at', '>', sql<Date>`${after}::timestamptz`))
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Has `subject` audited `action` on the target at or after `from` (a timestamptz's text)? */
  async auditedFrom(liveClassId: string, targetUserId: string, action: ModerationAction, subject: string, from: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('moderation_log')
      .select('id')
      .where('live_class_id', '=', liveClassId)
      .where('target_user_id', '=', targetUserId as never)
      .where('action', '=', action)
      .where('actor_subject', '=', subject)
      .where('created_at', '>=', sql<Date>`${from}::timestamptz`)
      .limit(1)
      .executeTakeFirst();
    return !!row;
  }

  async setDetail(id: string, detail: string | null): Promise<void> {
    await this.db.updateTable('moderation_log').set({ detail }).where('id', '=', id).execute();
  }

  async listByClasses(companyId: string, classIds: readonly string[]): Promise<ModerationLogRow[]> {
    const valid = uuidsOnly(classIds);
    if (valid.length === 0) return [];
    return this.db
      .selectFrom('moderation_log')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('live_class_id', 'in', valid)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }
}
