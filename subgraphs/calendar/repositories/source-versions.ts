/**
 * Versions of the records other domains mirror into the calendar. Bheem
 * Core's events may arrive out of order (a retried older update after a
 * newer one, a delete before the create it follows): each carries the
 * record's `updated_at`, and an event is applied only when it is newer than
 * the newest seen, or as new and that one did not remove the record. A
 * removal thus wins over an update of the same instant, and nothing older
 * brings a removed record back.
 */
import type { CalendarDb } from './event-repository.js';
import type { SourceKey } from './source-event-writes.js';

/** Records this version when it is to be applied, and says so; false: a stale event, to be ignored. */
export async function acceptSourceVersion(db: CalendarDb, key: SourceKey, updatedAt: Date, removes: boolean): Promise<boolean> {
  const accepted = await db
    .insertInto('calendar.source_versions')
    .values({
      company_id: key.companyId,
      source_module: key.sourceModule,
      entity_type: key.entityType,
      entity_id: key.entityId,
      updated_at: updatedAt,
      removed: removes,
    })
    .onConflict((oc) =>
      oc
        .columns(['company_id', 'source_module', 'entity_type', 'entity_id'])
        .doUpdateSet((eb) => ({ updated_at: eb.ref('excluded.updated_at'), removed: eb.ref('excluded.removed') }))
        .where((eb) =>
          eb.or([
            eb('calendar.source_versions.updated_at', '<', eb.ref('excluded.updated_at')),
            eb.and([eb('calendar.source_versions.updated_at', '=', eb.ref('excluded.updated_at')), eb('calendar.source_versions.removed', '=', false)]),
          ]),
        ),
    )
    .returning('entity_id')
    .executeTakeFirst();
  return accepted !== undefined;
}
