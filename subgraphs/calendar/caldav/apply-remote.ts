/**
 * Writing what a CalDAV server holds into our tables, inside the caller's
 * transaction (a pull writes a whole batch in one): a remote edit of one of
 * our own events (series and its overrides replaced), or events created in
 * the user's calendar app (new own events of theirs, inserted many rows per
 * statement).
 */
import type { Transaction } from 'kysely';
import { inDateRange, MAX_YEAR, MIN_YEAR } from '../../../platform/date-time.js';
import { badInput } from '../../../platform/errors.js';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel } from '../models.js';
import type { EventRepository } from '../repositories/event-repository.js';
import { insertEvents, insertParticipants, updateEventRow, type NewEventRow, type NewParticipant } from '../repositories/event-writes.js';
import { publishCalendarChange, publishCalendarChanges } from '../services/calendar-change-events.js';
import { draftOf, draftToRow, type EventDraft } from '../services/event-draft.js';
import type { RemoteEvent, RemoteObject } from './icalendar.js';
import { withoutAnswerOnlyOverrides } from './remote-equality.js';

type Trx = Transaction<CalendarDatabase>;

/**
 * What the remote says that our columns do not hold, kept for the round trip: its TZID when it is not
 * the IANA name we expand in (metadata.tzid), whether it shows as free (metadata.transparent), and
 * whether its times were floating (metadata.floating), and its CLASS when not PUBLIC (metadata.class).
 */
function withRemoteMetadata(metadata: Record<string, unknown>, remote: RemoteEvent): Record<string, unknown> {
  const { tzid: _tzid, transparent: _transparent, floating: _floating, class: _class, ...rest } = metadata;
  return {
    ...rest,
    ...(remote.tzid ? { tzid: remote.tzid } : {}),
    ...(remote.transparent ? { transparent: true } : {}),
    ...(remote.floating ? { floating: true } : {}),
    ...(remote.classification ? { class: remote.classification } : {}),
  };
}

export function withRemote(draft: EventDraft, remote: RemoteEvent): EventDraft {
  return {
    ...draft,
    title: remote.title,
    description: remote.description,
    location: remote.location,
    start: remote.start,
    end: remote.end,
    allDay: remote.allDay,
    timezone: remote.timezone,
    recurrenceRule: remote.recurrenceRule,
    exdates: remote.exdates,
    rdates: remote.rdates,
    isCancelled: remote.cancelled,
    metadata: withRemoteMetadata(draft.metadata ?? {}, remote),
  };
}

/**
 * Why a remote object cannot be stored as it is (a rule over the occurrence cap, an unknown zone...), or null.
 * Also one that could be stored but not announced: calendar.event.* carry the end, and event payloads hold
 * dates to the years GraphQL takes (platform/date-time.ts), so an end past them (a DURATION of centuries)
 * would fail the whole batch at publishing.
 */
export function unstorable(remote: RemoteObject, companyId: string): Error | null {
  try {
    const placeholder: EventDraft = { companyId, title: '', start: new Date(0), eventType: 'CUSTOM' };
    const drafts = [
      ...(remote.master ? [withRemote(placeholder, remote.master)] : []),
      ...remote.overrides.map((override): EventDraft => ({ ...withRemote(placeholder, override), recurrenceRule: null, exdates: [], rdates: [] })),
    ];
    for (const draft of drafts) {
      draftToRow(draft);
      if (draft.end && !inDateRange(draft.end)) throw badInput(`end must lie within the years ${MIN_YEAR} to ${MAX_YEAR}`, 'end');
    }
    return null;
  } catch (error) {
    return error as Error;
  }
}

/** The row of one RECURRENCE-ID override of a series, as the remote describes it. */
export function overrideRow(series: CalendarEventModel, override: RemoteEvent): NewEventRow {
  const base: EventDraft = { ...draftOf(series), parentId: series.id, recurrenceId: override.recurrenceId, externalId: null };
  return { ...draftToRow({ ...withRemote(base, override), recurrenceRule: null, exdates: [], rdates: [] }), sequence: override.sequence };
}

/** Our own event takes the remote version; returns it as stored (its updated_at is the new synced version). */
export async function applyRemoteEdit(trx: Trx, events: EventRepository, event: CalendarEventModel, remote: RemoteObject): Promise<CalendarEventModel> {
  let updated = event;
  if (remote.master) {
    const row = draftToRow(withRemote(draftOf(event), remote.master));
    updated = (await updateEventRow(trx, event.companyId, event.id, { ...row, sequence: Math.max(event.sequence + 1, remote.master.sequence), last_synced_at: new Date() }))!;
  }
  const existing = await events.overridesFor(trx, updated.companyId, updated.id);
  // Overrides that only carry answers are not edits of the occurrence: they do not become rows.
  const edits = withoutAnswerOnlyOverrides(updated, existing, remote).overrides;
  await events.deleteEvents(
    trx,
    updated.companyId,
    existing.map((override) => override.id),
  );
  await insertEvents(
    trx,
    edits.map((override) => overrideRow(updated, override)),
  );
  // Overrides were rewritten after the series row: stamp the series last, so its updated_at covers them.
  const stored = (await updateEventRow(trx, event.companyId, event.id, { last_synced_at: new Date() }))!;
  await publishCalendarChange(trx, event.companyId, event.id, 'updated');
  return stored;
}

/**
 * Events made in the user's calendar app: theirs, as organizer. Series rows,
 * organizer rows and override rows go in one statement each; returns the new
 * series by UID (objects without a series, or whose UID repeats, are left out).
 */
/**
 * The ATTENDEEs of an imported event as participants: company users matched
 * by address (`userByEmail`), everyone else an outside guest; the owner is
 * already its organiser. A company user's answer is theirs alone to give
 * (respondToEvent): they start PENDING whatever PARTSTAT the organiser's copy
 * says, as on an edit (organiser-attendees.ts); a guest takes the copy's.
 */
function importedParticipants(remote: RemoteEvent, ownerEmail: string | null, userByEmail: ReadonlyMap<string, string>, ownerId: string): NewParticipant[] {
  const seen = new Set<string>([ownerId]);
  return remote.attendees.flatMap((attendee) => {
    if (attendee.email === ownerEmail?.toLowerCase()) return [];
    const userId = userByEmail.get(attendee.email);
    const key = userId ?? attendee.email;
    if (seen.has(key)) return [];
    seen.add(key);
    return [userId ? { userId, status: 'PENDING' } : { externalEmail: attendee.email, externalName: attendee.name, status: attendee.status ?? 'PENDING' }];
  });
}

export interface RemoteOwner {
  companyId: string;
  userId: string;
  email?: string | null;
  /** Company users by lower-cased address. */
  userByEmail?: ReadonlyMap<string, string>;
}

export async function createFromRemote(trx: Trx, owner: RemoteOwner, remotes: readonly RemoteObject[]): Promise<Map<string, CalendarEventModel>> {
  const wanted = new Map<string, RemoteObject>();
  for (const remote of remotes) if (remote.master && !wanted.has(remote.uid)) wanted.set(remote.uid, remote);
  const rows = [...wanted.values()].map((remote) => ({
    ...draftToRow(
      withRemote({ companyId: owner.companyId, title: '', start: remote.master!.start, eventType: 'CUSTOM', organizerId: owner.userId, externalId: remote.uid }, remote.master!),
    ),
    sequence: remote.master!.sequence,
    last_synced_at: new Date(),
  }));
  const created = new Map((await insertEvents(trx, rows, { userId: owner.userId, isOrganizer: true, status: 'ACCEPTED' })).map((event) => [event.externalId!, event]));
  await insertParticipants(
    trx,
    [...created.values()].flatMap((series) =>
      importedParticipants(wanted.get(series.externalId!)!.master!, owner.email ?? null, owner.userByEmail ?? new Map(), owner.userId).map((p) => ({ ...p, eventId: series.id })),
    ),
  );
  // Overrides and series share the transaction's now() as updated_at: the series is not newer than what it was synced as.
  await insertEvents(
    trx,
    [...created.values()].flatMap((series) => wanted.get(series.externalId!)!.overrides.map((override) => overrideRow(series, override))),
  );
  await publishCalendarChanges(
    trx,
    owner.companyId,
    [...created.values()].map((event) => event.id),
    'created',
  );
  return created;
}
