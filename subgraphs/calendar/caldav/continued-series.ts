/**
 * "This and following" as most apps save it: not a RANGE=THISANDFUTURE
 * override (this-and-future.ts) but two objects. What they write:
 * - Nextcloud's web calendar (calendar-js, createRecurrenceException with
 *   thisAndAllFuture): the old series' RRULE gets UNTIL one second before
 *   the chosen occurrence (its later EXDATEs, RDATEs and overrides go); the
 *   rest is a copy of that occurrence under a new random UID, its DTSTART
 *   where the user put it, SEQUENCE 0, the same ORGANIZER and ATTENDEEs
 *   (RSVP=TRUE, to be asked again), and each names the other
 *   RELATED-TO;RELTYPE=SIBLING.
 * - Thunderbird has no such edit (its MODIFY_FOLLOWING throws "not
 *   implemented"): its users end the series (UNTIL or COUNT) and make a new
 *   one by hand, with nothing naming the old one.
 * Read one by one, the cut drops the answers and kept-out occurrences past
 * the new end and the rest starts with everyone PENDING. The rest is taken as
 * the old series' continuation, split as GraphQL's THIS_AND_FOLLOWING splits
 * (apply-following.ts: answers and kept-out occurrences carried over), only
 * when the evidence leaves no doubt; otherwise it stays a new event of its
 * own (a wrong merge would give people answers they never gave):
 * 1. in the same pull, the organiser's copy of a series we hold cut it short
 *    at `cut` (the same DTSTART, a finite rule ending before an occurrence
 *    the stored series has: its first one past the new end), and a new object
 *    (a UID we do not hold) is a series too. A pull reads objects in batches
 *    (caldav-pull.ts): in a pull of more than one, cuts and new series wait
 *    for its end and are judged there, together with every other one of the
 *    pull with the same ORGANIZER and ATTENDEEs; a cut a push meets as a
 *    conflict is left to the pull that follows it (caldav-sync-service.ts);
 * 2. both name the same ORGANIZER and the same ATTENDEE addresses;
 * 3. either one of them names the other RELATED-TO;RELTYPE=SIBLING, the rest
 *    then starting anywhere (a move of "this and following": later
 *    occurrences move as far by wall-clock time, as a RANGE split moves them),
 *    or, named by neither, the rest starts exactly at `cut`;
 * 4. exactly one new object of the pull fits: two look-alikes link neither.
 */
import type { CalendarEventModel } from '../models.js';
import { expandOccurrences } from '../recurrence/expand-occurrences.js';
import { followingMove } from '../recurrence/moved-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import type { RemoteItem } from './caldav-client.js';
import type { RemoteEvent, RemoteObject } from './icalendar.js';
import type { FollowingSeries } from './this-and-future.js';

export interface NewObject {
  item: RemoteItem;
  remote: RemoteObject;
}

const FAR = 400 * 86_400_000;
const finite = (rule: string | null) => !!rule && /(^|;)(UNTIL|COUNT)=/i.test(rule);

/** Where the copy `cut` the stored series short: the stored series' first occurrence past the copy's last one; null when it did not. */
export function cutOf(stored: CalendarEventModel, copy: RemoteEvent): Date | null {
  if (!stored.recurrenceRule || !finite(copy.recurrenceRule) || copy.start.getTime() !== stored.start.getTime()) return null;
  const kept = expandOccurrences({ ...seriesOf(copy), exdates: [] }, copy.start, new Date(8.64e15));
  const last = kept[kept.length - 1]?.start ?? copy.start;
  const after = new Date(last.getTime() + 1);
  return expandOccurrences({ ...seriesOf(stored), exdates: [] }, after, new Date(after.getTime() + FAR)).find((o) => o.start > last)?.start ?? null;
}

const addresses = (event: RemoteEvent) => [...new Set(event.attendees.map((attendee) => attendee.email.toLowerCase()))].sort().join(' ');

/** Whether the organiser's `copy` cut the stored series short, so that a new object of the pull may be its rest. */
export function mayBeCut(stored: CalendarEventModel, copy: RemoteObject): boolean {
  return !!copy.master?.organizer && cutOf(stored, copy.master) !== null;
}

/** Whether a new object may be the rest of a series cut short: a series with an ORGANIZER. */
export function mayContinue(remote: RemoteObject): boolean {
  return !!remote.master?.recurrenceRule && !!remote.master.organizer;
}

/** Cuts and rests that may belong together have the same key: only these need to be judged side by side. */
export function partnersKey(remote: RemoteObject): string {
  return remote.master ? `${remote.master.organizer ?? ''}\n${addresses(remote.master)}` : '';
}

/** The new object of `candidates` that continues the stored series its organiser's `copy` cut short, as the rest of a split; null when none does beyond doubt. */
export function continuationOf(stored: CalendarEventModel, copy: RemoteObject, candidates: readonly NewObject[]): (NewObject & { following: FollowingSeries }) | null {
  const master = copy.master;
  // No new object in the batch: no rule is walked for the cut (most edits).
  if (!master?.organizer || candidates.length === 0) return null;
  const cut = cutOf(stored, master);
  if (!cut) return null;
  const alike = candidates.filter(({ remote }) => {
    const rest = remote.master;
    return !!rest?.recurrenceRule && rest.organizer === master.organizer && addresses(rest) === addresses(master) && remote.uid !== copy.uid;
  });
  const named = alike.filter(({ remote }) => (master.siblings ?? []).includes(remote.uid) || (remote.master!.siblings ?? []).includes(copy.uid));
  const atCut = alike.filter(({ remote }) => remote.master!.start.getTime() === cut.getTime() && !(remote.master!.siblings ?? []).length);
  const chosen = named.length > 0 ? named : atCut;
  if (chosen.length !== 1) return null;
  const { item, remote } = chosen[0]!;
  return { item, remote, following: { remote, from: cut, move: followingMove(cut, stored, remote.master!) } };
}
