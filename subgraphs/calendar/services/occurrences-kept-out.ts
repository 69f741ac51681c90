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
 * their answer to it goes back to PENDING). Nothing of this changes the
 * event: the organiser's and everyone else's copies keep the occurrence.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { Logger } from '../../../platform/logger.js';
import { occurrenceAnswered } from '../caldav/answered-content.js';
import type { RemoteObject } from '../caldav/icalendar.js';
import { removedOccurrences } from '../caldav/removed-occurrences.js';
import type { CalendarEventModel } from '../models.js';
import { hasOccurrenceAt } from '../recurrence/expand-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import type { CaldavRepository } from '../repositories/caldav-repository.js';
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

export class OccurrencesKeptOut {
  private constructor(
    private readonly deps: KeptOutDeps,
    private readonly accountId: string,
    private readonly owner: Viewer,
    private readonly writes: EventWriteService,
    /** What each occurrence kept out asked when deleted, by event and instant. */
    private readonly answered: Map<string, Map<number, string>>,
  ) {}

  static async of(deps: KeptOutDeps, accountId: string, owner: Viewer, writes: EventWriteService): Promise<OccurrencesKeptOut> {
    return new OccurrencesKeptOut(deps, accountId, owner, writes, await deps.caldav.removedOccurrences(accountId));
  }

  /**
   * After the owner's answers in their copy were taken (own-answers.ts, which declined what it deleted): notes the
   * occurrences it deleted, and forgets those it has again.
   */
  async follow(series: CalendarEventModel, remote: RemoteObject): Promise<void> {
    const deleted = removedOccurrences(series, remote);
    const known = this.answered.get(series.id) ?? new Map<number, string>();
    const overrides = deleted.some((at) => !known.has(at.getTime())) ? await this.deps.events.overridesOf(series.companyId, [series.id]) : [];
    for (const at of deleted) {
      if (known.has(at.getTime()) || !(await this.declines(series, at))) continue;
      const answered = occurrenceAnswered(series, overrides, at);
      await this.deps.caldav.noteRemovedOccurrence(this.accountId, series.id, at, answered);
      known.set(at.getTime(), answered);
    }
    const stillDeleted = new Set(deleted.map((at) => at.getTime()));
    for (const at of [...known.keys()]) if (!stillDeleted.has(at)) await this.forget(series.id, known, at);
    if (known.size > 0) this.answered.set(series.id, known);
  }

  /**
   * Before the series is written to the owner's copy: forgets the occurrences that come back (see above), asking
   * again for the ones the organiser moved. True when an answer changed (the rows read before are stale).
   */
  async review(series: CalendarEventModel): Promise<boolean> {
    const known = this.answered.get(series.id);
    if (!known) return false;
    const overrides = await this.deps.events.overridesOf(series.companyId, [series.id]);
    let answersChanged = false;
    for (const [at, answered] of [...known]) {
      const instant = new Date(at);
      const occurrence = overrides.find((override) => override.recurrenceId?.getTime() === at);
      const there = !series.isCancelled && !occurrence?.isCancelled && hasOccurrenceAt(seriesOf(series), instant);
      if (there && (await this.declines(series, instant))) {
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

  /** Does the owner decline this occurrence (their answer to it, else to the series)? */
  private async declines(series: CalendarEventModel, at: Date): Promise<boolean> {
    const own = await this.deps.responses.ofEvents([series.id], [this.owner.moodleUserId!]);
    const answer = own.find((response) => response.recurrenceId.getTime() === at.getTime())?.status;
    if (answer) return answer === 'DECLINED';
    const participant = (await this.deps.participants.ofEvents(series.companyId, [series.id])).find((p) => p.userId === this.owner.moodleUserId && !p.isOrganizer);
    return participant?.status === 'DECLINED';
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

  private async forget(eventId: string, known: Map<number, string>, at: number): Promise<void> {
    known.delete(at);
    await this.deps.caldav.forgetRemovedOccurrence(this.accountId, eventId, new Date(at));
  }
}
