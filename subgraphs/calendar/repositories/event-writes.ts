/** Inserting and changing event rows and their participants (Kysely only; callers decide what). */
import type { Insertable, Updateable } from 'kysely';
import type { CalendarEventsTable, EventParticipantsTable } from '../database.js';
import type { ParticipationStatusName } from '../models.js';
import { toEvent, type CalendarDb } from './event-repository.js';
import { toParticipant } from './participant-repository.js';

export type NewEventRow = Insertable<CalendarEventsTable>;
export type EventChanges = Updateable<CalendarEventsTable>;

export interface NewParticipant {
  userId?: string | null;
  externalEmail?: string | null;
  externalName?: string | null;
  status?: ParticipationStatusName;
  isOrganizer?: boolean;
}

export async function insertEvent(db: CalendarDb, row: NewEventRow, participants: readonly NewParticipant[] = []) {
  const inserted = await db.insertInto('calendar.calendar_events').values(row).returningAll().executeTakeFirstOrThrow();
  await replaceParticipants(db, inserted.id, participants);
  return toEvent(inserted);
}

/** Many rows in one statement, each with the same participant (if any): events created in bulk. */
export async function insertEvents(db: CalendarDb, rows: readonly NewEventRow[], participant?: NewParticipant) {
  if (rows.length === 0) return [];
  const inserted = (
    await db
      .insertInto('calendar.calendar_events')
      .values([...rows])
      .returningAll()
      .execute()
  ).map(toEvent);
  if (participant) {
    await db
      .insertInto('calendar.event_participants')
      .values(
        inserted.map((event) => ({
          event_id: event.id,
          user_id: participant.userId ?? null,
          external_email: participant.externalEmail ?? null,
          external_name: participant.externalName ?? null,
          status: participant.status ?? 'PENDING',
          is_organizer: !!participant.isOrganizer,
        })),
      )
      .execute();
  }
  return inserted;
}

/** Participants of many events in one statement (events imported from a calendar app with their ATTENDEEs). */
export async function insertParticipants(db: CalendarDb, participants: readonly (NewParticipant & { eventId: string })[]) {
  if (participants.length === 0) return;
  await db
    .insertInto('calendar.event_participants')
    .values(
      participants.map((p) => ({
        event_id: p.eventId,
        user_id: p.userId ?? null,
        external_email: p.externalEmail ?? null,
        external_name: p.externalName ?? null,
        status: p.status ?? 'PENDING',
        is_organizer: !!p.isOrganizer,
      })),
    )
    .execute();
}

export async function updateEventRow(db: CalendarDb, companyId: string, id: string, changes: EventChanges) {
  const row = await db
    .updateTable('calendar.calendar_events')
    .set({ ...changes, updated_at: new Date() })
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? toEvent(row) : null;
}

/**
 * Sets an event's participants, keeping the answers (status) of those who
 * stay: rescheduling a class must not forget who already accepted.
 */
export async function replaceParticipants(db: CalendarDb, eventId: string, participants: readonly NewParticipant[]) {
  const existing = (await db.selectFrom('calendar.event_participants').selectAll().where('event_id', '=', eventId).execute()).map(toParticipant);
  const keyOf = (p: NewParticipant) => (p.userId ? `u:${p.userId}` : p.externalEmail ? `e:${p.externalEmail.toLowerCase()}` : `n:${p.externalName ?? ''}`);
  const previous = new Map(existing.map((p) => [keyOf(p), p]));
  const wanted = new Map(participants.map((p) => [keyOf(p), p]));
  const gone = existing.filter((p) => !wanted.has(keyOf(p))).map((p) => p.id);
  if (gone.length > 0) await db.deleteFrom('calendar.event_participants').where('id', 'in', gone).execute();
  const rows: Insertable<EventParticipantsTable>[] = [];
  for (const [key, participant] of wanted) {
    const before = previous.get(key);
    if (before) {
      // A guest's answer as given (their reply, recorded by the organiser's server); a company user's is theirs alone (respond).
      const status = !participant.userId && participant.status ? participant.status : before.status;
      if (before.isOrganizer !== !!participant.isOrganizer || before.externalName !== (participant.externalName ?? before.externalName) || status !== before.status) {
        await db
          .updateTable('calendar.event_participants')
          .set({ is_organizer: !!participant.isOrganizer, external_name: participant.externalName ?? before.externalName, status })
          .where('id', '=', before.id)
          .execute();
      }
      continue;
    }
    rows.push({
      event_id: eventId,
      user_id: participant.userId ?? null,
      external_email: participant.externalEmail ?? null,
      external_name: participant.externalName ?? null,
      status: participant.status ?? 'PENDING',
      is_organizer: !!participant.isOrganizer,
    });
  }
  if (rows.length > 0) await db.insertInto('calendar.event_participants').values(rows).execute();
}

/** A series whose override or answers changed is itself changed: SEQUENCE + 1 and a new updated_at (its CalDAV object holds them). */
export async function touchSeries(db: CalendarDb, companyId: string, seriesId: string): Promise<void> {
  await db
    .updateTable('calendar.calendar_events')
    .set((eb) => ({ sequence: eb('sequence', '+', 1), updated_at: new Date() }))
    .where('company_id', '=', companyId)
    .where('id', '=', seriesId)
    .execute();
}

/** Stamps a pushed event without making it look changed (updated_at untouched) and keeps the UID it went out with. */
export async function markSynced(db: CalendarDb, companyId: string, id: string, externalId: string): Promise<void> {
  await db.updateTable('calendar.calendar_events').set({ last_synced_at: new Date(), external_id: externalId }).where('company_id', '=', companyId).where('id', '=', id).execute();
}

/** Cancelled by its organiser's calendar app (the object deleted there); changed, so other participants' copies are removed too. */
export async function cancelSynced(db: CalendarDb, companyId: string, id: string): Promise<void> {
  await db
    .updateTable('calendar.calendar_events')
    .set((eb) => ({ is_cancelled: true, sequence: eb('sequence', '+', 1), last_synced_at: new Date(), updated_at: new Date() }))
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .execute();
}
