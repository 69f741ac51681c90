/**
 * Events that mirror another domain's record, keyed by the source unique index
 * (company, source module, entity type, entity id): an upsert that changes
 * nothing (not even SEQUENCE) when the record did not change, so redelivered
 * domain events are harmless.
 */
import { sql, type ExpressionBuilder } from 'kysely';
import type { CalendarDatabase } from '../database.js';
import type { CalendarDb } from './event-repository.js';
import { replaceParticipants, type NewEventRow, type NewParticipant } from './event-writes.js';

export interface SourceKey {
  companyId: string;
  sourceModule: string;
  entityType: string;
  entityId: string;
}

/** The mirrored event of `key` (never an occurrence override, which has a parent); columns qualified so joins stay unambiguous. */
function whereSourceKey(key: SourceKey) {
  return (eb: ExpressionBuilder<CalendarDatabase, 'calendar.calendar_events'>) =>
    eb.and([
      eb('calendar.calendar_events.company_id', '=', key.companyId),
      eb('calendar.calendar_events.source_module', '=', key.sourceModule),
      eb('calendar.calendar_events.entity_type', '=', key.entityType),
      eb('calendar.calendar_events.entity_id', '=', key.entityId),
      eb('calendar.calendar_events.parent_id', 'is', null),
    ]);
}

const MIRRORED_COLUMNS = [
  'title',
  'description',
  'location',
  'start_time',
  'end_time',
  'all_day',
  'timezone',
  'series_until',
  'event_type',
  'course_id',
  'organizer_id',
  'is_cancelled',
  'metadata',
  'completed',
] as const;

/** What an upsert did: `change` is null when the record was already mirrored as it is. */
export interface SourceUpsert {
  id: string;
  change: 'created' | 'updated' | null;
}

export async function upsertSourceEvent(db: CalendarDb, row: NewEventRow, participants: readonly NewParticipant[]): Promise<SourceUpsert> {
  const changed = sql<boolean>`(${sql.join(MIRRORED_COLUMNS.map((c) => sql.ref(`calendar.calendar_events.${c}`)))}) IS DISTINCT FROM (${sql.join(
    MIRRORED_COLUMNS.map((c) => sql.ref(`excluded.${c}`)),
  )})`;
  const written = await db
    .insertInto('calendar.calendar_events')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['company_id', 'source_module', 'entity_type', 'entity_id'])
        .where('entity_id', 'is not', null)
        .where('parent_id', 'is', null)
        .doUpdateSet((eb) => ({
          ...Object.fromEntries(MIRRORED_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)])),
          sequence: sql<number>`calendar.calendar_events.sequence + 1`,
          updated_at: new Date(),
        }))
        .where(changed),
    )
    // xmax is 0 on a freshly inserted row version; no row at all: nothing changed.
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .executeTakeFirst();
  const { id } = await db
    .selectFrom('calendar.calendar_events')
    .select('id')
    .where(whereSourceKey({ companyId: row.company_id, sourceModule: row.source_module!, entityType: row.entity_type!, entityId: row.entity_id! }))
    .executeTakeFirstOrThrow();
  await replaceParticipants(db, id, participants);
  return { id, change: written ? (written.inserted ? 'created' : 'updated') : null };
}

/** Marks a mirrored event cancelled (once); nothing happens when there is none. Returns its id when it was cancelled now. */
export async function cancelSourceEvent(db: CalendarDb, key: SourceKey): Promise<string | undefined> {
  const cancelled = await db
    .updateTable('calendar.calendar_events')
    .set((eb) => ({ is_cancelled: true, sequence: eb('sequence', '+', 1), updated_at: new Date() }))
    .where(whereSourceKey(key))
    .where('is_cancelled', '=', false)
    .returning('id')
    .executeTakeFirst();
  return cancelled?.id;
}

export async function findSourceEventTitle(db: CalendarDb, key: SourceKey): Promise<{ title: string; start: Date; end: Date | null } | null> {
  const row = await db.selectFrom('calendar.calendar_events').select(['title', 'start_time', 'end_time']).where(whereSourceKey(key)).executeTakeFirst();
  return row ? { title: row.title, start: row.start_time, end: row.end_time } : null;
}

/** The users a mirrored event already names (participants and organizer): none when there is no such event. */
export async function sourceEventUserIds(db: CalendarDb, key: SourceKey): Promise<string[]> {
  const rows = await db
    .selectFrom('calendar.calendar_events')
    .leftJoin('calendar.event_participants as p', 'p.event_id', 'calendar.calendar_events.id')
    .select(['calendar.calendar_events.organizer_id', 'p.user_id'])
    .where(whereSourceKey(key))
    .execute();
  return [...new Set(rows.flatMap((row) => [row.organizer_id, row.user_id]).filter((id): id is string => !!id))];
}
