/**
 * A participant's answers in their own CalDAV copy (their ATTENDEE's
 * PARTSTAT, series-wide and per occurrence, and the occurrences they deleted
 * there, declined: caldav/removed-occurrences.ts) applied through the write
 * service acting as them: all a participant's copy may change
 * (caldav/remote-rights.ts). Taken on pull, and on push when the event
 * changed here too (their answer is theirs even then).
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { RemoteObject } from '../caldav/icalendar.js';
import { changedAnswers } from '../caldav/remote-rights.js';
import { removedOccurrences } from '../caldav/removed-occurrences.js';
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
  const answers = changedAnswers(remote, who.ownerEmail, { series, occurrences });
  // Occurrences deleted from their copy: declined, one by one, unless they decline the whole series anyway.
  const seriesNow = answers.find((answer) => answer.occurrence === null)?.status ?? series;
  const declined = new Set(occurrences.filter((r) => r.status === 'DECLINED').map((r) => r.recurrenceId.getTime()));
  if (seriesNow !== 'DECLINED') {
    for (const at of removedOccurrences(event, remote)) if (!declined.has(at.getTime())) answers.push({ status: 'DECLINED', occurrence: at });
  }
  for (const answer of answers) {
    try {
      await who.writes.respond(event.id, answer.status, answer.occurrence);
    } catch (error) {
      refusal = error;
    }
  }
  return refusal;
}
