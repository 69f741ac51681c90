/**
 * What a CalDAV account's owner may change of an event from their calendar
 * app: exactly what they may change through GraphQL.
 * - `mirror`: the event follows another domain's record; nobody edits it here.
 * - `edit`: its organiser, or a company admin not invited to it; the remote
 *   version applies, and deleting their copy cancels the event.
 * - `answer`: a participant, an admin invited included; only their own PARTSTAT
 *   comes back, as their RSVP for the series or for one occurrence
 *   (RECURRENCE-ID), and deleting their copy declines the event.
 * - `none`: anyone else; nothing applies.
 * Whatever is not applied is put back from ours.
 *
 * An admin invited to someone else's event is, in their own calendar, an
 * attendee as calendar apps see them (Nextcloud, Outlook, Apple): an
 * attendee's edit of an invitation stays in their copy, never sent to the
 * organiser, and deleting it sends a DECLINED reply (RFC 6638). So their copy
 * answers, as anyone's invitation does; they change the event for everyone
 * through Bheem, as an admin.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { CalendarEventModel, EventParticipantModel, ParticipationStatusName } from '../models.js';
import type { OccurrenceResponse } from '../repositories/occurrence-response-repository.js';
import { mayEdit } from '../services/event-edit-rules.js';
import type { RemoteObject } from './icalendar.js';

export type RemoteRight = 'mirror' | 'edit' | 'answer' | 'none';

export function remoteRight(owner: Viewer, event: CalendarEventModel, participants: readonly EventParticipantModel[]): RemoteRight {
  if (event.sourceModule) return 'mirror';
  const invited = event.organizerId !== owner.moodleUserId && participants.some((p) => p.userId === owner.moodleUserId && !p.isOrganizer);
  if (invited) return 'answer';
  return mayEdit(owner, event) ? 'edit' : 'none';
}

/** An answer of the owner's that differs from ours: for the series (`occurrence` null) or one occurrence. */
export interface RemoteAnswer {
  status: ParticipationStatusName;
  occurrence: Date | null;
}

/**
 * The owner's answers in a remote copy (their ATTENDEE, matched by address)
 * that differ from what we hold: the series-wide one on the master, and one
 * per RECURRENCE-ID override whose answer differs from the series' or from
 * the occurrence's stored one.
 */
export function changedAnswers(
  remote: RemoteObject,
  ownerEmail: string | null,
  stored: { series: ParticipationStatusName; occurrences: readonly OccurrenceResponse[] },
): RemoteAnswer[] {
  if (!ownerEmail) return [];
  const address = ownerEmail.toLowerCase();
  const own = (attendees: RemoteObject['overrides'][number]['attendees']) => attendees.find((a) => a.email === address)?.status ?? null;
  const answers: RemoteAnswer[] = [];
  const seriesAnswer = remote.master ? own(remote.master.attendees) : null;
  if (seriesAnswer && seriesAnswer !== stored.series) answers.push({ status: seriesAnswer, occurrence: null });
  const series = seriesAnswer ?? stored.series;
  const byOccurrence = new Map(stored.occurrences.map((r) => [r.recurrenceId.getTime(), r.status]));
  for (const override of remote.overrides) {
    const status = own(override.attendees);
    if (status && status !== (byOccurrence.get(override.recurrenceId!.getTime()) ?? series)) answers.push({ status, occurrence: override.recurrenceId });
  }
  return answers;
}
