/**
 * Answers given to single occurrences the organiser has since taken out of
 * the series (an occurrence cancelled, by GraphQL or an EXDATE in her app; the
 * series cut short): dropped in the change's own transaction, as a series
 * moved drops those naming an occurrence it no longer has (moved-series.ts).
 * A decline of a cancelled occurrence answers nothing that is still asked.
 *
 * None of them would matter if the occurrence came back: RFC 5546 makes an
 * organiser's CANCEL of an instance (3.2.5) final for it, and bringing it
 * back again is the organiser adding an instance (an ADD, 3.2.4, or a REQUEST
 * of the series without that EXDATE at a higher SEQUENCE, 2.1.4), which asks
 * every attendee anew: replies to the earlier, cancelled instance carry a
 * SEQUENCE that request has made stale. Here, as for any occurrence the
 * series gains, their answer to the series then stands for it until they
 * answer it on its own. (An occurrence a participant deleted from their own
 * copy is not cancelled: it stays in the series, and so does their decline.)
 */
import type { Transaction } from 'kysely';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel } from '../models.js';
import { hasOccurrenceAt } from '../recurrence/expand-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';

/** Drops the answers to occurrences `series` (as just stored) no longer has. */
export async function dropAnswersToCancelled(trx: Transaction<CalendarDatabase>, series: CalendarEventModel): Promise<void> {
  if (series.parentId) return;
  const rows = await trx.selectFrom('calendar.occurrence_responses').select('recurrence_id').distinct().where('event_id', '=', series.id).execute();
  const definition = seriesOf(series);
  const gone = rows.map((row) => row.recurrence_id).filter((at) => !hasOccurrenceAt(definition, at));
  if (gone.length === 0) return;
  await trx.deleteFrom('calendar.occurrence_responses').where('event_id', '=', series.id).where('recurrence_id', 'in', gone).execute();
}
