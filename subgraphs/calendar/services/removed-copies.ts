/**
 * Copies of events a participant deleted in their calendar app: their
 * decline (caldav-pull.ts), as Nextcloud, Outlook and Apple read it. As in
 * those apps, a declined invitation deleted stays gone from that person's
 * calendar: the push leaves it out while they still decline it and the event
 * asks the same of them (answered-content.ts). It comes back when they answer
 * otherwise (respondToEvent), or when the organiser reschedules it: a new
 * REQUEST (RFC 5546 2.1.4, 3.2.2.1) asks for a new answer, so theirs goes
 * back to PENDING (NEEDS-ACTION, RSVP=TRUE), their old DECLINED being an
 * answer to another time or place.
 */
import type { Kysely } from 'kysely';
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { Logger } from '../../../platform/logger.js';
import { answeredContent } from '../caldav/answered-content.js';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel } from '../models.js';
import type { CaldavRepository } from '../repositories/caldav-repository.js';
import type { EventRepository } from '../repositories/event-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import type { EventWriteService } from './event-write-service.js';

interface RemovedCopiesDeps {
  db: Kysely<CalendarDatabase>;
  caldav: CaldavRepository;
  events: EventRepository;
  participants: ParticipantRepository;
  log: Logger;
}

export class RemovedCopies {
  private constructor(
    private readonly deps: RemovedCopiesDeps,
    private readonly accountId: string,
    private readonly owner: Viewer,
    private readonly writes: EventWriteService,
    /** What each removed copy's event asked when the owner deleted it, by event. */
    private readonly answered: Map<string, string>,
  ) {}

  static async of(deps: RemovedCopiesDeps, accountId: string, owner: Viewer, writes: EventWriteService): Promise<RemovedCopies> {
    return new RemovedCopies(deps, accountId, owner, writes, await deps.caldav.removedCopies(accountId));
  }

  has(eventId: string): boolean {
    return this.answered.has(eventId);
  }

  /**
   * Whether the removed copy of `event` goes back now: null while it stays gone, else the event as it is now (their
   * answer PENDING again when the event was rescheduled since). Either way, once back it is forgotten.
   */
  async comingBack(event: CalendarEventModel): Promise<CalendarEventModel | null> {
    const own = (await this.deps.participants.ofEvents(event.companyId, [event.id])).find((p) => p.userId === this.owner.moodleUserId && !p.isOrganizer);
    if (own?.status === 'DECLINED') {
      const overrides = await this.deps.events.overridesOf(event.companyId, [event.id]);
      if (answeredContent(event, overrides) === this.answered.get(event.id)) return null;
      try {
        await this.writes.respond(event.id, 'PENDING', null);
      } catch (error) {
        this.deps.log.warn({ accountId: this.accountId, eventId: event.id, err: error }, 'CalDAV: a rescheduled event could not ask its decliner again; left out');
        return null;
      }
    }
    this.answered.delete(event.id);
    await this.deps.caldav.forgetRemovedCopy(this.accountId, event.id);
    return (await this.deps.events.findVisibleIn(this.deps.db, this.owner, [event.id]))[0] ?? null;
  }
}
