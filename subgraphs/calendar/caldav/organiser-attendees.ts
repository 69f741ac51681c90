/**
 * An organiser's edit of the ATTENDEE list in their own calendar app: who is
 * invited follows their copy (people added become participants, people
 * removed stop being ones), but no company user's answer is theirs to set,
 * so one who stays keeps the answer we hold, and one added starts PENDING.
 * An outside guest answers the organiser by mail (an iTIP REPLY), and the
 * organiser's server records it on the guest's ATTENDEE in her copy
 * (Nextcloud: PARTSTAT with SCHEDULE-STATUS=2.0): a guest takes the PARTSTAT
 * the organiser's copy gives, when added and after.
 * A copy without an ORGANIZER states no scheduling at all (a client that drops
 * it): the participants are left as they are.
 * The organiser is the event's owner, which neither CalDAV nor GraphQL
 * changes: a copy whose ORGANIZER names someone else (an app's "transfer
 * organiser", or its bug) changes nobody's place, and ours goes back.
 */
import type { EventParticipantModel } from '../models.js';
import type { NewParticipant } from '../repositories/event-writes.js';
import type { OccurrenceResponse } from '../repositories/occurrence-response-repository.js';
import type { RemoteEvent, RemoteObject } from './icalendar.js';

const keyOf = (p: NewParticipant) => (p.userId ? `u:${p.userId}` : p.externalEmail ? `e:${p.externalEmail.toLowerCase()}` : `n:${p.externalName ?? ''}`);

/** The participants the organiser's copy asks for, or null when it says nothing about them. */
export function organiserAttendees(remote: RemoteEvent, current: readonly EventParticipantModel[], userByEmail: ReadonlyMap<string, string>): NewParticipant[] | null {
  if (!remote.organizer) return null;
  const addressed = new Set(userByEmail.values());
  const stays = (p: EventParticipantModel): NewParticipant => ({
    userId: p.userId,
    externalEmail: p.externalEmail,
    externalName: p.externalName,
    status: p.status,
    isOrganizer: p.isOrganizer,
  });
  // The organiser, and anyone our copies could not name (no address known), are not the copy's to remove.
  const wanted = new Map<string, NewParticipant>();
  for (const p of current) if (p.isOrganizer || (p.userId ? !addressed.has(p.userId) : !p.externalEmail)) wanted.set(keyOf(p), stays(p));
  const existing = new Map(current.map((p) => [keyOf(p), p]));
  for (const attendee of remote.attendees) {
    const userId = userByEmail.get(attendee.email);
    const candidate: NewParticipant = userId ? { userId, status: 'PENDING' } : { externalEmail: attendee.email, externalName: attendee.name, status: attendee.status ?? 'PENDING' };
    const key = keyOf(candidate);
    const before = existing.get(key);
    // The organiser's own ATTENDEE (already wanted when her address names her), else the ORGANIZER's, unless that is someone we hold.
    if (wanted.has(key) || (!userId && !before && attendee.email === remote.organizer)) continue;
    const guestAnswer = !userId && attendee.status ? { status: attendee.status } : {};
    wanted.set(key, before ? { ...stays(before), ...guestAnswer } : candidate);
  }
  return [...wanted.values()];
}

/** Whether a list names the same people as the stored participants, the guests with the same answers. */
export function sameParticipants(current: readonly EventParticipantModel[], wanted: readonly NewParticipant[]): boolean {
  const have = new Map(current.map((p) => [keyOf(p), p]));
  return wanted.length === have.size && wanted.every((p) => have.has(keyOf(p)) && (!!p.userId || (p.status ?? 'PENDING') === have.get(keyOf(p))!.status));
}

/**
 * Whether the organiser's copy gives a company user (not herself) an answer other than the one they gave, to the
 * series or to an occurrence it edits (their answer to that occurrence, else to the series, as we write it): it goes
 * back right. `responses`: the answers given to single occurrences of this series.
 */
export function misstatesAnswers(
  remote: RemoteObject,
  current: readonly EventParticipantModel[],
  responses: readonly OccurrenceResponse[],
  userByEmail: ReadonlyMap<string, string>,
): boolean {
  return [remote.master, ...remote.overrides].some((vevent) =>
    vevent?.attendees.some((attendee) => {
      const userId = userByEmail.get(attendee.email);
      const participant = userId ? current.find((p) => p.userId === userId && !p.isOrganizer) : undefined;
      if (!participant || !attendee.status) return false;
      const at = vevent.recurrenceId?.getTime();
      const answer = at === undefined ? undefined : responses.find((r) => r.userId === userId && r.recurrenceId.getTime() === at)?.status;
      return attendee.status !== (answer ?? participant.status);
    }),
  );
}

/**
 * Whether the copy names as ORGANIZER someone other than the event's organiser (`userByEmail` naming her too), in
 * the series or in any occurrence it edits (RFC 5545 gives each VEVENT its own ORGANIZER; one organiser schedules
 * them all): ours goes back. Who is invited is read from the series alone, so nobody is dropped either way.
 */
export function misstatesOrganiser(remote: RemoteObject, organizerId: string | null, userByEmail: ReadonlyMap<string, string>): boolean {
  if (!organizerId) return false;
  return [remote.master, ...remote.overrides].some((vevent) => !!vevent?.organizer && userByEmail.get(vevent.organizer) !== organizerId);
}
