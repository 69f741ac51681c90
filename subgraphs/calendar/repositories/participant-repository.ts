/** Participants of events, always through events of one company. */
import type { Kysely, Selectable } from 'kysely';
import type { CalendarDb } from './event-repository.js';
import type { CalendarDatabase, EventParticipantsTable } from '../database.js';
import type { EventParticipantModel, ParticipationStatusName } from '../models.js';
import { groupBy } from '../group-by.js';

export function toParticipant(row: Selectable<EventParticipantsTable>): EventParticipantModel {
  return {
    id: row.id,
    eventId: row.event_id,
    userId: row.user_id,
    externalEmail: row.external_email,
    externalName: row.external_name,
    status: row.status as ParticipationStatusName,
    isOrganizer: row.is_organizer,
  };
}

/** The users (not outsiders) taking part in some events, by event, in the caller's transaction. */
export async function participantUserIds(db: CalendarDb, eventIds: readonly string[]): Promise<Map<string, string[]>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('calendar.event_participants')
    .select(['event_id', 'user_id'])
    .where('event_id', 'in', [...eventIds])
    .where('user_id', 'is not', null)
    .execute();
  return groupBy(
    rows,
    (row) => row.event_id,
    (row) => String(row.user_id),
  );
}

export class ParticipantRepository {
  constructor(private readonly db: Kysely<CalendarDatabase>) {}

  /** `db`: the caller's transaction, when it reads inside one (never another pooled connection while holding one). */
  async ofEvents(companyId: string, eventIds: readonly string[], db: CalendarDb = this.db): Promise<EventParticipantModel[]> {
    if (eventIds.length === 0) return [];
    const rows = await db
      .selectFrom('calendar.event_participants as p')
      .innerJoin('calendar.calendar_events as e', 'e.id', 'p.event_id')
      .selectAll('p')
      .where('e.company_id', '=', companyId)
      .where('p.event_id', 'in', [...eventIds])
      .orderBy('p.is_organizer', 'desc')
      .orderBy('p.user_id')
      .orderBy('p.external_email')
      .execute();
    return rows.map(toParticipant);
  }

  /** Users the calendar has met in a company (organisers and invited users), at most `limit`: whom an imported ATTENDEE may name. */
  async knownUserIds(companyId: string, limit = 5000): Promise<string[]> {
    const rows = await this.db
      .selectFrom('calendar.calendar_events as e')
      .leftJoin('calendar.event_participants as p', 'p.event_id', 'e.id')
      .select((eb) => eb.fn.coalesce('p.user_id', 'e.organizer_id').as('user_id'))
      .where('e.company_id', '=', companyId)
      .where((eb) => eb.or([eb('p.user_id', 'is not', null), eb('e.organizer_id', 'is not', null)]))
      .distinct()
      .limit(limit)
      .execute();
    return rows.flatMap((row) => (row.user_id ? [row.user_id] : []));
  }

  /** One user's participation in a series, in the caller's transaction. */
  async findOwn(db: CalendarDb, seriesId: string, userId: string): Promise<EventParticipantModel | null> {
    const row = await db.selectFrom('calendar.event_participants').selectAll().where('event_id', '=', seriesId).where('user_id', '=', userId).executeTakeFirst();
    return row ? toParticipant(row) : null;
  }

  /** Every participant of one series, in the caller's transaction (the caller has scoped the series to a company). */
  async ofSeries(db: CalendarDb, seriesId: string): Promise<EventParticipantModel[]> {
    return (await db.selectFrom('calendar.event_participants').selectAll().where('event_id', '=', seriesId).execute()).map(toParticipant);
  }

  async setStatus(db: CalendarDb, participantId: string, status: ParticipationStatusName): Promise<void> {
    await db.updateTable('calendar.event_participants').set({ status, responded_at: new Date() }).where('id', '=', participantId).execute();
  }
}
