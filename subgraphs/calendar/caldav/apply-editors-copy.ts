/**
 * The copy of an editor (the organiser's app, an admin's) taken over ours,
 * by a pull or by a push that lost a conflict to it, object by object as
 * last-modified wins, but each occurrence as its own edit:
 * - overrides the app left behind its moved series follow it, and so do
 *   the answers given to single occurrences (moved-master.ts);
 * - an occurrence edited here since the last sync that the app's copy does
 *   not override keeps our edit (the app changed the series, not it), as
 *   long as the series still has that occurrence: what the edit changed
 *   stays, what it left as the series had it (title, description, location)
 *   takes the app's new series' value.
 * `rewrite`: the app's copy lacks what was kept or names the old
 * occurrences, and must be put right.
 */
import type { Transaction } from 'kysely';
import type { CalendarDatabase } from '../database.js';
import type { CalendarEventModel } from '../models.js';
import { hasOccurrenceAt } from '../recurrence/expand-occurrences.js';
import { seriesOf } from '../recurrence/series-occurrences.js';
import type { EventRepository } from '../repositories/event-repository.js';
import { insertEvents } from '../repositories/event-writes.js';
import type { OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import { dropAnswersToCancelled } from '../services/cancelled-answers.js';
import { draftOf, draftToRow } from '../services/event-draft.js';
import { placeAfter, settleKeptOut } from '../services/kept-out-settling.js';
import { moveAnswers } from '../services/moved-series.js';
import { applyRemoteEdit } from './apply-remote.js';
import type { RemoteObject } from './icalendar.js';
import { overridesFollowingMaster } from './moved-master.js';

const FOLLOWING_THE_SERIES = ['title', 'description', 'location'] as const;

/** Our occurrence's edit over the app's new series: a field it did not change from the old series takes the new one's. */
function rebased(override: CalendarEventModel, before: CalendarEventModel, after: CalendarEventModel): CalendarEventModel {
  const merged = { ...override, parentId: after.id };
  for (const field of FOLLOWING_THE_SERIES) if (override[field] === before[field]) merged[field] = after[field] as never;
  return merged;
}

export interface EditorsCopyDeps {
  events: EventRepository;
  responses: OccurrenceResponseRepository;
}

/**
 * `editedHereSince`: the version last synced, when the event changed here since (null: it did not). `splitAt`: where
 * the app split the series "this and future" (this-and-future.ts): the occurrences kept out from there on are left for
 * the split-off series to take (apply-following.ts), not settled against this one, which no longer has them.
 */
export async function applyEditorsCopy(
  trx: Transaction<CalendarDatabase>,
  deps: EditorsCopyDeps,
  event: CalendarEventModel,
  remote: RemoteObject,
  editedHereSince: Date | null,
  splitAt?: Date,
): Promise<{ stored: CalendarEventModel; rewrite: boolean }> {
  const placed = overridesFollowingMaster(event, remote);
  const theirs = new Set(placed.remote.overrides.map((override) => override.recurrenceId!.getTime()));
  const editedHere = editedHereSince
    ? (await deps.events.overridesFor(trx, event.companyId, event.id)).filter((override) => override.updatedAt > editedHereSince && !theirs.has(override.recurrenceId!.getTime()))
    : [];
  const stored = await applyRemoteEdit(trx, deps.events, event, placed.remote);
  await moveAnswers(trx, deps.responses, event, stored);
  await settleKeptOut(trx, stored, placeAfter(event, stored), { until: splitAt });
  await dropAnswersToCancelled(trx, stored);
  const kept = editedHere.filter((override) => hasOccurrenceAt(seriesOf(stored), override.recurrenceId!));
  await insertEvents(
    trx,
    kept.map((override) => ({ ...draftToRow(draftOf(rebased(override, event, stored))), sequence: override.sequence })),
  );
  return { stored, rewrite: placed.moved || kept.length > 0 };
}
