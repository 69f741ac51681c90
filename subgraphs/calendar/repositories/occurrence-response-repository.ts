/** Per-occurrence answers of participants (one Monday of a weekly series declined). */
import type { Kysely } from 'kysely';
import type { CalendarDatabase } from '../database.js';
import type { ParticipationStatusName } from '../models.js';
import type { CalendarDb } from './event-repository.js';

export interface OccurrenceResponse {
  eventId: string;
  userId: string;
  recurrenceId: Date;
  status: ParticipationStatusName;
}

export class OccurrenceResponseRepository {
  constructor(private readonly db: Kysely<CalendarDatabase>) {}

  async upsert(db: CalendarDb, response: OccurrenceResponse): Promise<void> {
    await db
      .insertInto('calendar.occurrence_responses')
      .values({ event_id: response.eventId, user_id: response.userId, recurrence_id: response.recurrenceId, status: response.status })
      .onConflict((oc) => oc.columns(['event_id', 'user_id', 'recurrence_id']).doUpdateSet({ status: response.status, responded_at: new Date() }))
      .execute();
  }

  /** A user's answer to one occurrence withdrawn: their answer to the series stands for it again. */
  async remove(db: CalendarDb, eventId: string, userId: string, recurrenceId: Date): Promise<void> {
    await db.deleteFrom('calendar.occurrence_responses').where('event_id', '=', eventId).where('user_id', '=', userId).where('recurrence_id', '=', recurrenceId).execute();
  }

  /** Answers of some users to occurrences of some series (callers have scoped the series to a company). */
  async ofEvents(eventIds: readonly string[], userIds: readonly string[]): Promise<OccurrenceResponse[]> {
    if (eventIds.length === 0 || userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('calendar.occurrence_responses')
      .selectAll()
      .where('event_id', 'in', [...eventIds])
      .where('user_id', 'in', [...userIds])
      .execute();
    return rows.map((row) => ({ eventId: row.event_id, userId: row.user_id, recurrenceId: row.recurrence_id, status: row.status as ParticipationStatusName }));
  }

  /** Every participant's answers to occurrences of some series (callers have scoped the series to a company). */
  async ofSeries(eventIds: readonly string[], db: CalendarDb = this.db): Promise<OccurrenceResponse[]> {
    if (eventIds.length === 0) return [];
    const rows = await db
      .selectFrom('calendar.occurrence_responses')
      .selectAll()
      .where('event_id', 'in', [...eventIds])
      .orderBy('recurrence_id')
      .execute();
    return rows.map((row) => ({ eventId: row.event_id, userId: row.user_id, recurrenceId: row.recurrence_id, status: row.status as ParticipationStatusName }));
  }

  /** Answers recorded as they are (the rest of a split series taking those given before the split). */
  async insert(db: CalendarDb, responses: readonly OccurrenceResponse[]): Promise<void> {
    if (responses.length === 0) return;
    await db
      .insertInto('calendar.occurrence_responses')
      .values(responses.map((response) => ({ event_id: response.eventId, user_id: response.userId, recurrence_id: response.recurrenceId, status: response.status })))
      .execute();
  }

  /** The series' answers, each moved to the occurrence `place` names for it (null: dropped), rewritten together so none collides on the way. */
  async move(db: CalendarDb, seriesId: string, place: (recurrenceId: Date) => Date | null): Promise<void> {
    const rows = await db.selectFrom('calendar.occurrence_responses').selectAll().where('event_id', '=', seriesId).execute();
    const seen = new Set<string>();
    const moved = rows.flatMap((row) => {
      const to = place(row.recurrence_id);
      const key = `${row.user_id}/${to?.getTime()}`;
      if (!to || seen.has(key)) return [];
      seen.add(key);
      return [{ ...row, recurrence_id: to }];
    });
    if (moved.length === rows.length && moved.every((row, index) => row.recurrence_id.getTime() === rows[index]!.recurrence_id.getTime())) return;
    await db.deleteFrom('calendar.occurrence_responses').where('event_id', '=', seriesId).execute();
    if (moved.length > 0) await db.insertInto('calendar.occurrence_responses').values(moved).execute();
  }

  /** Answers to occurrences from `at` on go to the series that continues a split one (`move` then puts them on its occurrences). */
  async reparent(db: CalendarDb, fromSeriesId: string, toSeriesId: string, at: Date): Promise<void> {
    await db.updateTable('calendar.occurrence_responses').set({ event_id: toSeriesId }).where('event_id', '=', fromSeriesId).where('recurrence_id', '>=', at).execute();
  }
}
