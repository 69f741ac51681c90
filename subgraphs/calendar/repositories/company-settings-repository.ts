/** A company's calendar settings (Kysely only): the zone its dates are in. */
import type { CalendarDb } from './event-repository.js';

/** The zone a company set, else UTC. */
export async function companyTimeZone(db: CalendarDb, companyId: string): Promise<string> {
  const row = await db.selectFrom('calendar.company_settings').select('timezone').where('company_id', '=', companyId).executeTakeFirst();
  return row?.timezone ?? 'UTC';
}

export async function saveCompanyTimeZone(db: CalendarDb, companyId: string, timezone: string): Promise<void> {
  await db
    .insertInto('calendar.company_settings')
    .values({ company_id: companyId, timezone })
    .onConflict((oc) => oc.column('company_id').doUpdateSet({ timezone }))
    .execute();
}
