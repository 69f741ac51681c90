/**
 * Occurrences a participant deleted from their copy of a series (an EXDATE
 * their app added: a decline of that occurrence, caldav/removed-occurrences.ts).
 * As a deleted invitation does (removed-copies.ts), such an occurrence stays
 * gone from that person's copy while they still decline it and it asks the
 * same of them: a push for anything else the organiser changes (a title, a
 * description, another occurrence) writes it as an EXDATE of their copy
 * rather than bringing it back as a declined occurrence, as Outlook and
 * Apple keep it. It comes back when they answer it otherwise (respondToEvent),
 * when their app brings it back (the EXDATE gone), or when the organiser
 * moves it (a new time or place: RFC 5546 2.1.4's new REQUEST asks again, so
 * their answer to it goes back to PENDING; the organiser moving or cancelling
 * the whole series is settled in that change, kept-out-settling.ts). Nothing
 * of this changes the event: the organiser's and everyone else's copies keep
 * the occurrence.
 *
 * Their app bringing it back (the EXDATE dropped) is their wanting it again:
 * their answer to it becomes what it was before the delete declined it (their
 * own answer to that occurrence, else, with none, their answer to the series
 * again: PENDING if they never answered), unless the copy that brought it
 * back answers it itself.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { Logger } from '../../../platform/logger.js';
import { occurrenceAnswered } from '../caldav/answered-content.js';
import type { RemoteObject } from '../caldav/icalendar.js';
import { removedOccurrences } from '../caldav/removed-occurrences.js';
import type { CalendarEventModel, EventParticipantModel, ParticipationStatusName } from '../models.js';
import { hasOccurrenceAt } from '../recurrence/expand-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import type { CaldavRepository, KeptOutOccurrence } from '../repositories/caldav-repository.js';
import type { EventRepository } from '../repositories/event-repository.js';
import type { OccurrenceResponse, OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import type { EventWriteService } from './event-write-service.js';

interface KeptOutDeps {
  caldav: CaldavRepository;
  events: EventRepository;
  participants: ParticipantRepository;
  responses: OccurrenceResponseRepository;
  log: Logger;
}

/** The rows an event's object is written from, as the sync holds them. */
export interface WrittenRows {
  overrides: CalendarEventModel[];
  responses: OccurrenceResponse[];
}

/** The owner's answers to a series: to the series (null: not invited to it), and to single occurrences by instant. */
interface OwnAnswers {
  series: ParticipationStatusName | null;
  occurrences: Map<number, ParticipationStatusName>;
}

export class OccurrencesKeptOut {
  private constructor(
    private readonly deps: KeptOutDeps,
    private readonly accountId: string,
    private readonly owner: Viewer,
    private readonly writes: EventWriteService,
    /** Each occurrence kept out, by event and instant. */
    private readonly answered: Map<string, Map<number, KeptOutOccurrence>>,
  ) {}

  static async of(deps: KeptOutDeps, accountId: string, owner: Viewer, writes: EventWriteService): Promise<OccurrencesKeptOut> {
    return new OccurrencesKeptOut(deps, accountId, owner, writes, await deps.caldav.removedOccurrences(accountId));
  }

  /**
   * Takes the owner's answers in their copy (`answer`: own-answers.ts, which declines what it deleted), then notes the
   * occurrences it deleted, and forgets those it has again, giving back what they answered before (see above).
   * `gaveBack`: an answer was given back, which the copy does not say yet.
   */
  async follow<T>(series: CalendarEventModel, remote: RemoteObject, answer: () => Promise<T>): Promise<{ answered: T; gaveBack: boolean }> {
    const deleted = removedOccurrences(series, remote);
    const known = this.answered.get(series.id) ?? new Map<number, KeptOutOccurrence>();
    const stillDeleted = new Set(deleted.map((at) => at.getTime()));
    const fresh = deleted.filter((at) => !known.has(at.getTime()));
    const restored = [...known.keys()].filter((at) => !stillDeleted.has(at));
    const before = fresh.length > 0 ? await this.ownAnswers(series) : null;
    const answered = await answer();
    if (fresh.length === 0 && restored.length === 0) return { answered, gaveBack: false };
    const after = await this.ownAnswers(series);
    const overrides = fresh.length > 0 ? await this.deps.events.overridesOf(series.companyId, [series.id]) : [];
    for (const at of fresh) {
      if (!declines(after, at.getTime())) continue;
      const kept = { answered: occurrenceAnswered(series, overrides, at), answerBefore: before!.occurrences.get(at.getTime()) ?? null };
      await this.deps.caldav.noteRemovedOccurrence(this.accountId, series.id, at, kept);
      known.set(at.getTime(), kept);
    }
    let gaveBack = false;
    for (const at of restored) {
      const { answerBefore } = known.get(at)!;
      await this.forget(series.id, known, at);
      // Still the decline the delete gave (their copy did not answer it otherwise): what they answered before.
      if (after.occurrences.get(at) === 'DECLINED' && answerBefore !== 'DECLINED') gaveBack = (await this.giveBack(series, new Date(at), answerBefore)) || gaveBack;
    }
    if (known.size > 0) this.answered.set(series.id, known);
    return { answered, gaveBack };
  }

  /**
   * Before the series is written to the owner's copy: forgets the occurrences that come back (see above), asking
   * again for the ones the organiser moved. `rows`: the series' rows when the sync has read them already (else read
   * here, once for all its occurrences). True when an answer changed (the rows read before are stale).
   */
  async review(series: CalendarEventModel, rows?: WrittenRows & { participants: EventParticipantModel[] }): Promise<boolean> {
    const known = this.answered.get(series.id);
    if (!known) return false;
    const [overrides, answers] = rows
      ? [rows.overrides, this.answersIn(rows.participants, rows.responses)]
      : await Promise.all([this.deps.events.overridesOf(series.companyId, [series.id]), this.ownAnswers(series)]);
    let answersChanged = false;
    for (const [at, { answered }] of [...known]) {
      const instant = new Date(at);
      const occurrence = overrides.find((override) => override.recurrenceId?.getTime() === at);
      const there = !series.isCancelled && !occurrence?.isCancelled && hasOccurrenceAt(seriesOf(series), instant);
      if (there && declines(answers, at)) {
        if (occurrenceAnswered(series, overrides, instant) === answered) continue;
        answersChanged = (await this.askAgain(series, instant)) || answersChanged;
      }
      await this.forget(series.id, known, at);
    }
    return answersChanged;
  }

  /** The rows to write the owner's copy from: the occurrences kept out as EXDATEs, without their overrides. */
  applyTo(series: CalendarEventModel, rows: WrittenRows): { series: CalendarEventModel } & WrittenRows {
    const out = this.answered.get(series.id);
    if (!out?.size) return { series, ...rows };
    const kept = (at: Date | null) => !at || !out.has(at.getTime());
    const exdates = [...series.exdates.filter((at) => !out.has(at.getTime())), ...[...out.keys()].map((at) => new Date(at))].sort((a, b) => a.getTime() - b.getTime());
    return {
      series: { ...series, exdates },
      overrides: rows.overrides.filter((override) => kept(override.recurrenceId)),
      responses: rows.responses.filter((response) => kept(response.recurrenceId)),
    };
  }

  /** The owner's answers to the series, in one read. */
  private async ownAnswers(series: CalendarEventModel): Promise<OwnAnswers> {
    const [participants, responses] = await Promise.all([
      this.deps.participants.ofEvents(series.companyId, [series.id]),
      this.deps.responses.ofEvents([series.id], [this.owner.moodleUserId!]),
    ]);
    return this.answersIn(participants, responses);
  }

  /** The owner's answers among a series' participants and answers to its occurrences (anyone's). */
  private answersIn(participants: readonly EventParticipantModel[], responses: readonly OccurrenceResponse[]): OwnAnswers {
    const userId = this.owner.moodleUserId;
    const own = participants.find((p) => p.userId === userId && !p.isOrganizer);
    return {
      series: own?.status ?? null,
      occurrences: new Map(responses.filter((response) => response.userId === userId).map((response) => [response.recurrenceId.getTime(), response.status])),
    };
  }

  private async askAgain(series: CalendarEventModel, at: Date): Promise<boolean> {
    try {
      await this.writes.respond(series.id, 'PENDING', at);
      return true;
    } catch (error) {
      this.deps.log.warn({ accountId: this.accountId, eventId: series.id, occurrence: at, err: error }, 'CalDAV: a moved occurrence could not ask its decliner again');
      return false;
    }
  }

  /** Their answer to a restored occurrence as before its delete: that answer, or (null) their answer to the series. */
  private async giveBack(series: CalendarEventModel, at: Date, answerBefore: ParticipationStatusName | null): Promise<boolean> {
    try {
      if (answerBefore) await this.writes.respond(series.id, answerBefore, at);
      else await this.writes.withdrawOccurrenceAnswer(series.id, at);
      return true;
    } catch (error) {
      this.deps.log.warn({ accountId: this.accountId, eventId: series.id, occurrence: at, err: error }, 'CalDAV: a restored occurrence kept its decline');
      return false;
    }
  }

  private async forget(eventId: string, known: Map<number, KeptOutOccurrence>, at: number): Promise<void> {
    known.delete(at);
    await this.deps.caldav.forgetRemovedOccurrence(this.accountId, eventId, new Date(at));
  }
}

/** Does the owner decline this occurrence (their answer to it, else to the series)? */
function declines(answers: OwnAnswers, at: number): boolean {
  return (answers.occurrences.get(at) ?? answers.series) === 'DECLINED';
}
