/**
 * The zone a user's wall times are in when their calendar app does not say
 * (floating times, a TZID no one defines): the zone of their working hours,
 * else their company's.
 */
import type { Kysely } from 'kysely';
import type { CalendarDatabase } from '../database.js';
import { companyTimeZone } from '../repositories/company-settings-repository.js';
import { WorkingHoursRepository } from '../repositories/working-hours-repository.js';

export async function ownerTimeZone(db: Kysely<CalendarDatabase>, companyId: string, userId: string): Promise<string> {
  const hours = (await new WorkingHoursRepository(db).ofUsers(companyId, [userId])).get(userId);
  return hours?.timezone ?? companyTimeZone(db, companyId);
}
