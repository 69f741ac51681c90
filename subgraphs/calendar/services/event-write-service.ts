/**
 * Changing the calendar: own events, single-occurrence edits (RECURRENCE-ID
 * overrides), "this and following" splits, cancellations and RSVPs. Every
 * change runs in one transaction that re-reads and locks the event and bumps
 * its SEQUENCE (CalDAV sync pushes what changed since it last ran).
 */
import type { Kysely, Transaction } from 'kysely';
import { hasRole, type Viewer } from '../../../platform/auth/viewer.js';
import { badInput, forbidden, notFound } from '../../../platform/errors.js';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel, EventParticipantModel, ParticipationStatusName } from '../models.js';
import { hasOccurrenceAt } from '../recurrence/expand-occurrences.js';
import { followingMove, occurrenceMover, timingChanged } from '../recurrence/moved-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import { splitRules } from '../recurrence/split-rules.js';
import type { EventRepository } from '../repositories/event-repository.js';
import { insertEvent, replaceParticipants, touchSeries, updateEventRow, type NewParticipant } from '../repositories/event-writes.js';
import type { OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import { COMPANY_EVENT_TYPES, OWN_EVENT_TYPES, requireEditable } from './event-edit-rules.js';
import { publishCalendarChange } from './calendar-change-events.js';
import { draftOf, draftToRow, type EventDraft } from './event-draft.js';
import { dropAnswersToCancelled } from './cancelled-answers.js';
import { placeAfter, settleKeptOut } from './kept-out-settling.js';
import { moveAnswers, moveOverrides } from './moved-series.js';
import { changesParticipants, checkedExternals, mergeInput, refuseSeriesFields, type EventInput } from './event-input.js';
import type { UserDirectory } from './user-directory.js';

export type EditScope = 'THIS' | 'THIS_AND_FOLLOWING' | 'ALL';
type Trx = Transaction<CalendarDatabase>;

const isSeries = (event: CalendarEventModel) => !event.parentId && (!!event.recurrenceRule || event.rdates.length > 0);
const durationOf = (event: CalendarEventModel) => (event.end ? event.end.getTime() - event.start.getTime() : null);

export class EventWriteService {
  constructor(
    private readonly viewer: Viewer,
    private readonly db: Kysely<CalendarDatabase>,
    private readonly events: EventRepository,
    private readonly participants: ParticipantRepository,
    private readonly responses: OccurrenceResponseRepository,
    private readonly users: UserDirectory,
  ) {}

  async create(input: EventInput & { title: string; start: Date }): Promise<CalendarEventModel> {
    const eventType = input.eventType ?? 'CUSTOM';
    if (!OWN_EVENT_TYPES.includes(eventType)) throw badInput(`${eventType} events come from their source domain and cannot be created here`, 'eventType');
    if (COMPANY_EVENT_TYPES.includes(eventType) && !hasRole(this.viewer, 'admin', 'manager')) throw forbidden(`Only admins and managers may create ${eventType} events`);
    const organizerId = this.viewer.moodleUserId ?? null;
    const row = draftToRow(mergeInput({ companyId: this.viewer.companyId, title: input.title, start: input.start, eventType, organizerId }, input));
    const participants = this.withOrganizer(organizerId, (await this.participantsOf(input)) ?? []);
    return this.db.transaction().execute(async (trx) => {
      const created = await insertEvent(trx, row, participants);
      await publishCalendarChange(trx, created.companyId, created.id, 'created');
      return created;
    });
  }

  async update(id: string, input: EventInput, scope: EditScope, occurrence?: Date | null): Promise<CalendarEventModel> {
    const invited = await this.participantsOf(input);
    return this.db.transaction().execute(async (trx) => {
      const event = await this.lockEditable(trx, id);
      const participants = invited && this.withOrganizer(event.organizerId, invited);
      const changed = await this.applyUpdate(trx, event, input, scope, occurrence, participants);
      // A split ends the old series and starts a new one: both changed.
      if (changed.id !== event.id && !changed.parentId) await publishCalendarChange(trx, event.companyId, event.id, 'updated');
      await publishCalendarChange(trx, changed.companyId, changed.id, changed.id === event.id || changed.parentId ? 'updated' : 'created');
      return changed;
    });
  }

  async cancel(id: string, scope: EditScope, occurrence?: Date | null): Promise<CalendarEventModel> {
    return this.db.transaction().execute(async (trx) => {
      const event = await this.lockEditable(trx, id);
      const cancelled = await this.applyCancel(trx, event, scope, occurrence);
      if (!cancelled.parentId) await settleKeptOut(trx, cancelled);
      await dropAnswersToCancelled(trx, cancelled);
      await publishCalendarChange(trx, cancelled.companyId, cancelled.id, 'updated');
      return cancelled;
    });
  }

  /** The caller's own answer; participants only. */
  async respond(eventId: string, status: ParticipationStatusName, occurrence?: Date | null): Promise<EventParticipantModel> {
    const userId = this.viewer.moodleUserId;
    return this.db.transaction().execute(async (trx) => {
      const event = await this.events.lockVisible(trx, this.viewer, eventId);
      if (!event) throw notFound('CalendarEvent', eventId);
      const seriesId = event.parentId ?? event.id;
      const participant = userId ? await this.participants.findOwn(trx, seriesId, userId) : null;
      if (!participant) throw forbidden('Only participants of the event may answer it');
      const recurrenceId = event.parentId ? event.recurrenceId! : occurrence;
      if (recurrenceId && (event.parentId || isSeries(event))) {
        const series = event.parentId ? await this.events.lockVisible(trx, this.viewer, event.parentId) : event;
        if (!event.parentId && !hasOccurrenceAt(seriesOf(series!), recurrenceId)) throw badInput(`The event has no occurrence at ${recurrenceId.toISOString()}`, 'occurrence');
        await this.responses.upsert(trx, { eventId: seriesId, userId: userId!, recurrenceId, status });
        await updateEventRow(trx, event.companyId, seriesId, {});
        return { ...participant, status };
      }
      await this.participants.setStatus(trx, participant.id, status);
      // PARTSTAT changes do not bump SEQUENCE (RFC 5546), but the event changed for sync.
      await updateEventRow(trx, event.companyId, seriesId, {});
      return { ...participant, status };
    });
  }

  /** The caller's own answer to one occurrence of a series withdrawn: their answer to the series applies to it again. */
  async withdrawOccurrenceAnswer(seriesId: string, occurrence: Date): Promise<void> {
    const userId = this.viewer.moodleUserId;
    await this.db.transaction().execute(async (trx) => {
      const series = await this.events.lockVisible(trx, this.viewer, seriesId);
      if (!series) throw notFound('CalendarEvent', seriesId);
      if (!userId || !(await this.participants.findOwn(trx, series.id, userId))) throw forbidden('Only participants of the event may answer it');
      await this.responses.remove(trx, series.id, userId, occurrence);
      await updateEventRow(trx, series.companyId, series.id, {});
    });
  }

  private async lockEditable(trx: Trx, id: string): Promise<CalendarEventModel> {
    const event = await this.events.lockVisible(trx, this.viewer, id);
    if (!event) throw notFound('CalendarEvent', id);
    requireEditable(this.viewer, event);
    return event;
  }

  private async applyUpdate(
    trx: Trx,
    event: CalendarEventModel,
    input: EventInput,
    scope: EditScope,
    occurrence: Date | null | undefined,
    participants: NewParticipant[] | undefined,
  ) {
    if (event.parentId) {
      refuseSeriesFields(input);
      const target = await this.store(trx, event, mergeInput(draftOf(event), input));
      await this.touch(trx, event.parentId);
      return target;
    }
    if (scope === 'ALL' || !isSeries(event)) return this.updateAll(trx, event, input, participants);
    const at = this.requireOccurrence(occurrence, scope);
    if (scope === 'THIS') return this.updateOne(trx, event, input, at);
    if (at.getTime() <= event.start.getTime()) return this.updateAll(trx, event, input, participants);
    return this.split(trx, event, input, at, participants);
  }

  private async updateAll(trx: Trx, event: CalendarEventModel, input: EventInput, participants: NewParticipant[] | undefined) {
    let updated = await this.store(trx, event, mergeInput(draftOf(event), input));
    if (isSeries(updated) && timingChanged(seriesOf(event), seriesOf(updated))) {
      // What was said of single occurrences follows them (moved-series.ts); what names none of the moved series' goes.
      await moveOverrides(trx, this.events, event, updated);
      await moveAnswers(trx, this.responses, event, updated);
      const place = occurrenceMover(seriesOf(event), seriesOf(updated));
      const kept = { ...seriesOf(updated), exdates: [] };
      const exdates = input.exdates != null ? updated.exdates.filter((date) => hasOccurrenceAt(kept, date)) : updated.exdates.flatMap((date) => place(date) ?? []);
      const same = exdates.length === updated.exdates.length && exdates.every((date, index) => date.getTime() === updated.exdates[index]!.getTime());
      if (!same) updated = await this.store(trx, updated, { ...draftOf(updated), exdates }, false);
    }
    if (participants) await replaceParticipants(trx, event.id, participants);
    await settleKeptOut(trx, updated, placeAfter(event, updated));
    await dropAnswersToCancelled(trx, updated);
    return updated;
  }

  /** THIS: create or change the RECURRENCE-ID override of one occurrence. */
  private async updateOne(trx: Trx, series: CalendarEventModel, input: EventInput, at: Date) {
    refuseSeriesFields(input);
    const existing = (await this.events.overridesFor(trx, series.companyId, series.id)).find((o) => o.recurrenceId!.getTime() === at.getTime());
    let target: CalendarEventModel;
    if (existing) {
      target = await this.store(trx, existing, mergeInput(draftOf(existing), input));
    } else {
      if (!hasOccurrenceAt(seriesOf(series), at)) throw badInput(`The series has no occurrence at ${at.toISOString()}`, 'occurrence');
      const duration = durationOf(series);
      const base: EventDraft = {
        ...draftOf(series),
        recurrenceRule: null,
        exdates: [],
        rdates: [],
        externalId: null,
        start: at,
        end: duration === null ? null : new Date(at.getTime() + duration),
        parentId: series.id,
        recurrenceId: at,
      };
      // As new as the series it leaves (clients drop an occurrence's update older than what they hold).
      target = await insertEvent(trx, { ...draftToRow(mergeInput(base, input)), sequence: series.sequence + 1 });
    }
    await this.touch(trx, series.id);
    return target;
  }

  /** THIS_AND_FOLLOWING: the old series ends before `at`, a new one starts there with the changes. */
  private async split(trx: Trx, series: CalendarEventModel, input: EventInput, at: Date, participants: NewParticipant[] | undefined) {
    const overrides = await this.events.overridesFor(trx, series.companyId, series.id);
    if (!hasOccurrenceAt(seriesOf(series), at) && !overrides.some((o) => o.recurrenceId!.getTime() === at.getTime())) {
      throw badInput(`The series has no occurrence at ${at.toISOString()}`, 'occurrence');
    }
    const duration = durationOf(series);
    const draft = mergeInput(
      {
        ...draftOf(series),
        externalId: null,
        start: at,
        end: duration === null ? null : new Date(at.getTime() + duration),
        exdates: series.exdates.filter((date) => date >= at),
        rdates: series.rdates.filter((date) => date >= at),
      },
      input,
    );
    // Moving the new series (Friday 10:00 -> Monday 10:00) moves its exceptions along, so they still name its occurrences:
    // by wall-clock time in its zone, so that past a DST change they keep their local times, as its occurrences do.
    const move = followingMove(at, series, draft);
    const rules = splitRules(seriesOf(series), at, move);
    // Its rule ends as the old one's did, on the weekday it moved to (unless the input gives its own rule).
    if (input.recurrenceRule === undefined) draft.recurrenceRule = rules.following;
    if (input.exdates === undefined) draft.exdates = (draft.exdates ?? []).map(move);
    if (input.rdates === undefined) draft.rdates = (draft.rdates ?? []).map(move);
    const before = await this.store(trx, series, {
      ...draftOf(series),
      recurrenceRule: rules.before,
      exdates: series.exdates.filter((date) => date < at),
      rdates: series.rdates.filter((date) => date < at),
    });
    const kept = await this.participants.ofSeries(trx, series.id);
    const created = await insertEvent(trx, draftToRow(draft), participants ?? kept);
    // Later overrides follow their occurrences (their own times by as much, as when a whole series moves).
    for (const override of overrides.filter((o) => o.recurrenceId! >= at)) {
      await this.events.reparent(trx, series.companyId, [override.id], created.id, move(override.recurrenceId!).getTime() - override.recurrenceId!.getTime());
    }
    // Answers to the moved occurrences follow them.
    await this.responses.reparent(trx, series.id, created.id, at);
    await this.responses.move(trx, created.id, move);
    // Occurrences kept out of copies go with them, or come back where the split moved them (kept-out-settling.ts).
    await settleKeptOut(trx, created, move, { fromId: series.id, since: at });
    await settleKeptOut(trx, before);
    return created;
  }

  private async applyCancel(trx: Trx, event: CalendarEventModel, scope: EditScope, occurrence: Date | null | undefined) {
    if (event.parentId) {
      // Cancelling an edited occurrence removes that occurrence from its series.
      const series = await this.events.lockVisible(trx, this.viewer, event.parentId);
      return this.cancelOne(trx, series!, event.recurrenceId!);
    }
    if (scope === 'ALL' || !isSeries(event)) return this.store(trx, event, { ...draftOf(event), isCancelled: true });
    const at = this.requireOccurrence(occurrence, scope);
    if (scope === 'THIS') return this.cancelOne(trx, event, at);
    if (at.getTime() <= event.start.getTime()) return this.store(trx, event, { ...draftOf(event), isCancelled: true });
    const overrides = await this.events.overridesFor(trx, event.companyId, event.id);
    await this.events.deleteEvents(
      trx,
      event.companyId,
      overrides.filter((o) => o.recurrenceId! >= at).map((o) => o.id),
    );
    return this.store(trx, event, {
      ...draftOf(event),
      recurrenceRule: splitRules(seriesOf(event), at).before,
      exdates: event.exdates.filter((d) => d < at),
      rdates: event.rdates.filter((d) => d < at),
    });
  }

  private async cancelOne(trx: Trx, series: CalendarEventModel, at: Date) {
    const overrides = await this.events.overridesFor(trx, series.companyId, series.id);
    const override = overrides.find((o) => o.recurrenceId!.getTime() === at.getTime());
    if (!override && !hasOccurrenceAt(seriesOf(series), at)) throw badInput(`The series has no occurrence at ${at.toISOString()}`, 'occurrence');
    if (override) await this.events.deleteEvents(trx, series.companyId, [override.id]);
    return this.store(trx, series, { ...draftOf(series), exdates: [...series.exdates, at] });
  }

  private requireOccurrence(occurrence: Date | null | undefined, scope: EditScope): Date {
    if (!occurrence) throw badInput(`scope ${scope} needs \`occurrence\`: the occurrence's recurrenceId`, 'occurrence');
    return occurrence;
  }

  /** Stores a whole draft over an event row, with SEQUENCE + 1 unless told otherwise. */
  private async store(trx: Trx, event: CalendarEventModel, draft: EventDraft, bump = true): Promise<CalendarEventModel> {
    const row = draftToRow(draft);
    const updated = await updateEventRow(trx, event.companyId, event.id, { ...row, sequence: event.sequence + (bump ? 1 : 0) });
    return updated!;
  }

  /** A series whose override changed is itself changed (its CalDAV resource holds the overrides). */
  private async touch(trx: Trx, seriesId: string): Promise<void> {
    await touchSeries(trx, this.viewer.companyId, seriesId);
  }

  /** The organizer always takes part, first and accepted. */
  private withOrganizer(organizerId: string | null, invited: NewParticipant[]): NewParticipant[] {
    const organizer: NewParticipant[] = organizerId ? [{ userId: organizerId, isOrganizer: true, status: 'ACCEPTED' }] : [];
    return [...organizer, ...invited.filter((p) => !p.userId || p.userId !== organizerId)];
  }

  /** Invited users of the company (checked with academy) and outsiders; undefined when the input names none. */
  private async participantsOf(input: EventInput): Promise<NewParticipant[] | undefined> {
    if (!changesParticipants(input)) return undefined;
    const userIds = await this.users.requireCompanyUsers(input.participantIds ?? [], 'participantIds');
    return [...userIds.map((userId) => ({ userId })), ...checkedExternals(input).map((external) => ({ externalEmail: external.email, externalName: external.name }))];
  }
}
