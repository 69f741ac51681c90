/**
 * The rest of a series an app changed "this and following" with RANGE=
 * THISANDFUTURE (this-and-future.ts), written inside the pull's transaction as
 * GraphQL's THIS_AND_FOLLOWING split writes it: a new series with the old
 * one's type, organiser and participants (their answers kept), its own
 * overrides, and the answers given to the occurrences it took over moved
 * along with them, as do the occurrences participants keep out of their
 * copies (kept-out-settling.ts: still out where the split left them, asked
 * again where it moved them). Made once: a second pull of the same split
 * updates it.
 */
import type { Transaction } from 'kysely';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel } from '../models.js';
import type { EventRepository } from '../repositories/event-repository.js';
import { insertEvent, insertEvents } from '../repositories/event-writes.js';
import type { OccurrenceResponse, OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import { publishCalendarChange } from '../services/calendar-change-events.js';
import { draftOf, draftToRow } from '../services/event-draft.js';
import { settleKeptOut } from '../services/kept-out-settling.js';
import { applyRemoteEdit, overrideRow, withRemote } from './apply-remote.js';
import type { FollowingSeries } from './this-and-future.js';

type Trx = Transaction<CalendarDatabase>;

export interface FollowingDeps {
  events: EventRepository;
  participants: ParticipantRepository;
  responses: OccurrenceResponseRepository;
  /** The series already made for an earlier pull of the same split, by UID. */
  existing(trx: Trx, uids: readonly string[]): Promise<CalendarEventModel[]>;
}

/**
 * Writes each following series of `source`; returns them as stored. `answers`: those given to single
 * occurrences of `source` before the split (its own edit has dropped those past its new end): each
 * rest takes the ones to its occurrences, moved with them.
 */
export async function applyFollowing(
  trx: Trx,
  deps: FollowingDeps,
  source: CalendarEventModel,
  following: readonly FollowingSeries[],
  answers: readonly OccurrenceResponse[],
): Promise<CalendarEventModel[]> {
  if (following.length === 0) return [];
  const made = new Map(
    (
      await deps.existing(
        trx,
        following.map((rest) => rest.remote.uid),
      )
    ).map((event) => [event.externalId, event]),
  );
  const kept = await deps.participants.ofSeries(trx, source.id);
  const stored: CalendarEventModel[] = [];
  for (const [index, { remote, from, move }] of following.entries()) {
    const until = following[index + 1]?.from;
    const earlier = made.get(remote.uid);
    if (earlier) {
      const edited = await applyRemoteEdit(trx, deps.events, earlier, remote);
      await settleKeptOut(trx, edited, move, { fromId: source.id, since: from, until });
      stored.push(edited);
      continue;
    }
    const base = { ...draftOf(source), externalId: remote.uid, parentId: null, recurrenceId: null };
    const row = { ...draftToRow(withRemote(base, remote.master!)), sequence: remote.master!.sequence, last_synced_at: null };
    const series = await insertEvent(trx, row, kept);
    await insertEvents(
      trx,
      remote.overrides.map((override) => overrideRow(series, override)),
    );
    const taken = answers.filter((answer) => answer.recurrenceId >= from && (!until || answer.recurrenceId < until));
    await deps.responses.insert(
      trx,
      taken.map((answer) => ({ ...answer, eventId: series.id, recurrenceId: move(answer.recurrenceId) })),
    );
    // After the answers: one asked again is the moved decline, set back to PENDING.
    await settleKeptOut(trx, series, move, { fromId: source.id, since: from, until });
    await publishCalendarChange(trx, series.companyId, series.id, 'created');
    stored.push(series);
  }
  return stored;
}
