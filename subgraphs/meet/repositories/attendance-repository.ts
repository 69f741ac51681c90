/**
 * Attendance intervals, one per LiveKit participant session (its sid). The
 * `joined` and `left` events of a session may arrive in either order, or one
 * of them not at all: each fills its own column and the reads only count
 * intervals whose start is known. An interval meet closed itself (the class
 * ended, reconciliation lost sight of it) is marked inferred: LiveKit's own
 * `left`, delivered later, replaces that time, earlier or not.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AttendanceTable, MeetDatabase, ParticipantKind } from '../database.js';
import { uuidsOnly } from './ids.js';

export type AttendanceRow = Selectable<AttendanceTable>;

export interface SessionFacts {
  companyId: string;
  liveClassId: string;
  identity: string;
  sid: string;
  kind: ParticipantKind;
  /** Moodle user id, for STANDARD participants whose identity is one. */
  userId: string | null;
  joinedAt?: Date | null;
  leftAt?: Date | null;
  /** `leftAt` is meet's inference (the room was already gone), not LiveKit's participant_left. */
  leftInferred?: boolean;
}

export class AttendanceRepository {
  constructor(private readonly db: Kysely<MeetDatabase>) {}

  /** Records what is known of a session; known facts are never overwritten by unknown ones, inferred ones are. */
  async recordSession(facts: SessionFacts): Promise<void> {
    await this.db
      .insertInto('attendance')
      .values({
        company_id: facts.companyId,
        live_class_id: facts.liveClassId,
        participant_identity: facts.identity,
        participant_sid: facts.sid,
        participant_kind: facts.kind,
        user_id: facts.kind === 'STANDARD' ? facts.userId : null,
        joined_at: facts.joinedAt ?? null,
        left_at: facts.leftAt ?? null,
        left_inferred: facts.leftAt ? (facts.leftInferred ?? false) : false,
      })
      .onConflict((oc) =>
        oc.columns(['live_class_id', 'participant_sid']).doUpdateSet({
          // The earliest start and the latest end win, whatever the arrival order; LiveKit's end beats meet's guess,
          // and a guess never replaces an end already known.
          joined_at: sql`LEAST(attendance.joined_at, excluded.joined_at)`,
          left_at: sql`CASE WHEN excluded.left_at IS NULL OR (excluded.left_inferred AND attendance.left_at IS NOT NULL) THEN attendance.left_at
            WHEN attendance.left_at IS NULL OR attendance.left_inferred THEN excluded.left_at
            ELSE GREATEST(attendance.left_at, excluded.left_at) END`,
          left_inferred: sql`CASE WHEN excluded.left_at IS NULL OR (excluded.left_inferred AND attendance.left_at IS NOT NULL) THEN attendance.left_inferred
            ELSE excluded.left_inferred END`,
        }),
      )
      .execute();
  }

  /** A session LiveKit says never became active (participant_connection_aborted): it was no presence. */
  async forgetSession(liveClassId: string, sid: string): Promise<void> {
    await this.db.deleteFrom('attendance').where('live_class_id', '=', liveClassId).where('participant_sid', '=', sid).execute();
  }

  /** Closes every interval of a class still open (the room is gone). */
  async closeOpen(liveClassId: string, at: Date, exceptSids: readonly string[] = []): Promise<number> {
    let query = this.db
      .updateTable('attendance')
      .set({ left_at: sql`GREATEST(joined_at, ${at}::timestamptz)`, left_inferred: true })
      .where('live_class_id', '=', liveClassId)
      .where('joined_at', 'is not', null)
      .where('left_at', 'is', null);
    if (exceptSids.length) query = query.where('participant_sid', 'not in', [...exceptSids]);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Reconciliation saw these sessions in the room at `at`. */
  async markSeen(liveClassId: string, sids: readonly string[], at: Date): Promise<void> {
    if (sids.length === 0) return;
    await this.db
      .updateTable('attendance')
      .set({ last_seen_at: sql`GREATEST(last_seen_at, ${at}::timestamptz)` })
      .where('live_class_id', '=', liveClassId)
      .where('participant_sid', 'in', [...sids])
      .where('left_at', 'is', null)
      .execute();
  }

  /**
   * Closes the open intervals of sessions no longer in the room whose `left` webhook was lost, at the last time they
   * were known present (reconciliation's last sight, else their join), never later than `at`: presence is not
   * stretched to the tick that noticed the departure. A `left` webhook arriving later still wins (its time is later).
   */
  async closeDeparted(liveClassId: string, at: Date, presentSids: readonly string[] = []): Promise<number> {
    let query = this.db
      .updateTable('attendance')
      .set({ left_at: sql`LEAST(${at}::timestamptz, GREATEST(joined_at, COALESCE(last_seen_at, joined_at)))`, left_inferred: true })
      .where('live_class_id', '=', liveClassId)
      .where('joined_at', 'is not', null)
      .where('left_at', 'is', null);
    if (presentSids.length) query = query.where('participant_sid', 'not in', [...presentSids]);
    return Number((await query.executeTakeFirst()).numUpdatedRows);
  }

  /** The last moment anyone was known in the class's room (a departure, or a last sight), if any. */
  async lastPresence(liveClassId: string): Promise<Date | null> {
    const row = await this.db
      .selectFrom('attendance')
      .select(sql<Date | null>`MAX(COALESCE(left_at, last_seen_at, joined_at))`.as('at'))
      .where('live_class_id', '=', liveClassId)
      .where('joined_at', 'is not', null)
      .executeTakeFirst();
    return row?.at ?? null;
  }

  async listOpenSids(liveClassId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('attendance').select('participant_sid').where('live_class_id', '=', liveClassId).where('left_at', 'is', null).execute();
    return rows.map((row) => row.participant_sid);
  }

  async listByClasses(companyId: string, classIds: readonly string[]): Promise<AttendanceRow[]> {
    const valid = uuidsOnly(classIds);
    if (valid.length === 0) return [];
    return this.db
      .selectFrom('attendance')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('live_class_id', 'in', valid)
      .where('joined_at', 'is not', null)
      .orderBy('joined_at')
      .execute();
  }
}
