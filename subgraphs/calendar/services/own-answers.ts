/**
 * A participant's answers in their own CalDAV copy (their ATTENDEE's
 * PARTSTAT, series-wide and per occurrence) applied through the write
 * service acting as them: all a participant's copy may change
 * (caldav/remote-rights.ts). Taken on pull, and on push when the event
 * changed here too (their answer is theirs even then).
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { RemoteObject } from '../caldav/icalendar.js';
import { changedAnswers } from '../caldav/remote-rights.js';
import type { CalendarEventModel } from '../models.js';
import type { OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import type { EventWriteService } from './event-write-service.js';

export interface AnsweringParticipant {
  owner: Viewer;
  ownerEmail: string | null;
  writes: EventWriteService;
  participants: ParticipantRepository;
  responses: OccurrenceResponseRepository;
}

/** Applies the answers that differ from ours; returns the error of one refused (an occurrence the series lacks), else null. */
export async function takeOwnAnswers(who: AnsweringParticipant, event: CalendarEventModel, remote: RemoteObject): Promise<unknown> {
  const own = await who.participants.ofEvents(event.companyId, [event.id]);
  const series = own.find((p) => p.userId === who.owner.moodleUserId)?.status ?? 'PENDING';
  const occurrences = await who.responses.ofEvents([event.id], [who.owner.moodleUserId!]);
  let refusal: unknown = null;
  for (const answer of changedAnswers(remote, who.ownerEmail, { series, occurrences })) {
    try {
      await who.writes.respond(event.id, answer.status, answer.occurrence);
    } catch (error) {
      refusal = error;
    }
  }
  return refusal;
}
