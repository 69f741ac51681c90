/**
 * The organiser's change of a series, as it meets the occurrences its
 * participants keep out of their copies (occurrences-kept-out.ts), settled in
 * the change's own transaction, by GraphQL or from the organiser's app alike:
 * - an occurrence the series no longer has (cancelled, the series cancelled
 *   or cut short, its rule no longer reaching it) leaves nothing to keep out;
 * - an occurrence moved with its series to a new time is a new REQUEST (RFC
 *   5546 2.1.4, as Outlook and Nextcloud reschedule a series): the decline of
 *   the old time answers nothing of it, so it comes back into their copy and
 *   their answer to it, carried along with it (moved-series.ts), is PENDING;
 * - one the change left where it was stays out (a new place for it is for
 *   the push to see, occurrences-kept-out.ts review);
 * - one kept out by someone no longer a participant is forgotten.
 */
import type { Transaction } from 'kysely';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel } from '../models.js';
import { hasOccurrenceAt } from '../recurrence/expand-occurrences.js';
import { occurrenceMover, timingChanged } from '../recurrence/moved-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';

type Trx = Transaction<CalendarDatabase>;
type Place = (at: Date) => Date | null;

const unmoved: Place = (at) => at;

/** Where a series change put each occurrence of `before` in `after` (null: none). */
export function placeAfter(before: CalendarEventModel, after: CalendarEventModel): Place {
  return timingChanged(seriesOf(before), seriesOf(after)) ? occurrenceMover(seriesOf(before), seriesOf(after)) : unmoved;
}

/** Which kept-out occurrences a change settles: those of `fromId` (default: the series changed), for a split only those in [since, until). */
export interface KeptOutTaken {
  fromId?: string;
  since?: Date;
  until?: Date;
}

/**
 * The kept-out occurrences `taken` settled against the series `after`, each placed there by `place`: kept (under
 * `after`'s id), forgotten, or forgotten and asked again.
 */
export async function settleKeptOut(trx: Trx, after: CalendarEventModel, place: Place = unmoved, taken: KeptOutTaken = {}): Promise<void> {
  const { fromId = after.id, since, until } = taken;
  let query = trx
    .selectFrom('calendar.caldav_removed_occurrences as kept')
    .innerJoin('calendar.caldav_accounts as account', 'account.id', 'kept.account_id')
    .leftJoin('calendar.event_participants as participant', (join) =>
      join.onRef('participant.user_id', '=', 'account.user_id').on('participant.event_id', '=', after.id).on('participant.is_organizer', '=', false),
    )
    .select(['kept.account_id', 'kept.recurrence_id', 'account.user_id', 'participant.id as participant_id'])
    .where('kept.event_id', '=', fromId);
  if (since) query = query.where('kept.recurrence_id', '>=', since);
  if (until) query = query.where('kept.recurrence_id', '<', until);
  const rows = await query.execute();
  const series = seriesOf(after);
  for (const row of rows) {
    const at = row.recurrence_id;
    const to = row.participant_id && !after.isCancelled ? place(at) : null;
    const there = !!to && hasOccurrenceAt(series, to);
    const same = there && to.getTime() === at.getTime();
    const key = trx.updateTable('calendar.caldav_removed_occurrences').where('account_id', '=', row.account_id).where('event_id', '=', fromId).where('recurrence_id', '=', at);
    if (same && fromId === after.id) continue;
    if (same) {
      await key.set({ event_id: after.id }).execute();
      continue;
    }
    await trx.deleteFrom('calendar.caldav_removed_occurrences').where('account_id', '=', row.account_id).where('event_id', '=', fromId).where('recurrence_id', '=', at).execute();
    if (there) {
      await trx
        .updateTable('calendar.occurrence_responses')
        .set({ status: 'PENDING', responded_at: new Date() })
        .where('event_id', '=', after.id)
        .where('user_id', '=', row.user_id)
        .where('recurrence_id', '=', to)
        .execute();
    }
  }
}
