/**
 * A series whose occurrences moved (its start, zone or rule changed) keeps
 * what was said of them: its overrides and the answers given to single
 * occurrences follow them (recurrence/moved-occurrences.ts); those naming an
 * occurrence the series no longer has go, as they would never apply.
 */
import type { Transaction } from 'kysely';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel } from '../models.js';
import { occurrenceMover, timingChanged } from '../recurrence/moved-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import type { EventRepository } from '../repositories/event-repository.js';
import type { OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';

type Trx = Transaction<CalendarDatabase>;

/** The series' stored overrides, moved with their occurrences (their own times by as much, as Thunderbird moves them). */
export async function moveOverrides(trx: Trx, events: EventRepository, before: CalendarEventModel, after: CalendarEventModel): Promise<void> {
  const place = occurrenceMover(seriesOf(before), seriesOf(after));
  const overrides = await events.overridesFor(trx, after.companyId, after.id);
  const gone: string[] = [];
  const moves: { id: string; at: number; shiftMs: number }[] = [];
  for (const override of overrides) {
    const at = override.recurrenceId!;
    const to = place(at);
    if (!to) gone.push(override.id);
    else if (to.getTime() !== at.getTime()) moves.push({ id: override.id, at: at.getTime(), shiftMs: to.getTime() - at.getTime() });
  }
  await events.deleteEvents(trx, after.companyId, gone);
  // One at a time, the farthest along first: two overrides never name the same occurrence in between.
  moves.sort((a, b) => (a.shiftMs > 0 ? b.at - a.at : a.at - b.at));
  for (const move of moves) await events.reparent(trx, after.companyId, [move.id], after.id, move.shiftMs);
}

/** Answers given to single occurrences, moved with them. */
export async function moveAnswers(trx: Trx, responses: OccurrenceResponseRepository, before: CalendarEventModel, after: CalendarEventModel): Promise<void> {
  if (!timingChanged(seriesOf(before), seriesOf(after))) return;
  await responses.move(trx, after.id, occurrenceMover(seriesOf(before), seriesOf(after)));
}
