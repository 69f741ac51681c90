/**
 * Writing what a CalDAV server holds into our tables: a remote edit of one of
 * our own events (series and its overrides replaced), or an event created in
 * the user's calendar app (a new own event of theirs).
 */
import type { Kysely } from 'kysely';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel } from '../models.js';
import type { EventRepository } from '../repositories/event-repository.js';
import { insertEvent, updateEventRow } from '../repositories/event-writes.js';
import { publishCalendarChange } from '../services/calendar-change-events.js';
import { draftOf, draftToRow, type EventDraft } from '../services/event-draft.js';
import type { RemoteEvent, RemoteObject } from './icalendar.js';

function withRemote(draft: EventDraft, remote: RemoteEvent): EventDraft {
  return {
    ...draft,
    title: remote.title, description: remote.description, location: remote.location, start: remote.start, end: remote.end,
    allDay: remote.allDay, timezone: remote.timezone, recurrenceRule: remote.recurrenceRule, exdates: remote.exdates, rdates: remote.rdates,
    isCancelled: remote.cancelled,
  };
}

async function replaceOverrides(trx: Kysely<CalendarDatabase>, events: EventRepository, series: CalendarEventModel, remote: RemoteObject) {
  const existing = await events.overridesFor(trx, series.companyId, series.id);
  await events.deleteEvents(trx, series.companyId, existing.map((override) => override.id));
  for (const override of remote.overrides) {
    const base: EventDraft = { ...draftOf(series), parentId: series.id, recurrenceId: override.recurrenceId, externalId: null };
    await insertEvent(trx, draftToRow({ ...withRemote(base, override), recurrenceRule: null, exdates: [], rdates: [] }));
  }
}

/** Our own event takes the remote version; returns it as stored (its updated_at is the new synced version). */
export async function applyRemoteEdit(db: Kysely<CalendarDatabase>, events: EventRepository, event: CalendarEventModel, remote: RemoteObject): Promise<CalendarEventModel> {
  return db.transaction().execute(async (trx) => {
    let updated = event;
    if (remote.master) {
      const row = draftToRow(withRemote(draftOf(event), remote.master));
      updated = (await updateEventRow(trx, event.companyId, event.id, { ...row, sequence: event.sequence + 1, last_synced_at: new Date() }))!;
    }
    await replaceOverrides(trx, events, updated, remote);
    // Overrides were rewritten after the series row: stamp the series last, so its updated_at covers them.
    const stored = (await updateEventRow(trx, event.companyId, event.id, { last_synced_at: new Date() }))!;
    await publishCalendarChange(trx, event.companyId, event.id, 'updated');
    return stored;
  });
}

/** An event made in the user's calendar app: theirs, as organizer. */
export async function createFromRemote(
  db: Kysely<CalendarDatabase>, events: EventRepository, owner: { companyId: string; userId: string }, remote: RemoteObject,
): Promise<CalendarEventModel | null> {
  if (!remote.master) return null;
  return db.transaction().execute(async (trx) => {
    const draft: EventDraft = withRemote(
      { companyId: owner.companyId, title: '', start: remote.master!.start, eventType: 'CUSTOM', organizerId: owner.userId, externalId: remote.uid },
      remote.master!,
    );
    const created = await insertEvent(trx, { ...draftToRow(draft), last_synced_at: new Date() }, [{ userId: owner.userId, isOrganizer: true, status: 'ACCEPTED' }]);
    await replaceOverrides(trx, events, created, remote);
    const stored = (await updateEventRow(trx, owner.companyId, created.id, {}))!;
    await publishCalendarChange(trx, owner.companyId, created.id, 'created');
    return stored;
  });
}
