/** The company's time zone: read by everyone of the company, set by its admins. */
import type { Kysely } from 'kysely';
import { isAdmin, type Viewer } from '../../../platform/auth/viewer.js';
import { forbidden } from '../../../platform/errors.js';
import type { CalendarDatabase } from '../database.js';
import { requireTimeZone } from '../recurrence/time-zones.js';
import { companyTimeZone, saveCompanyTimeZone } from '../repositories/company-settings-repository.js';

export class CompanyTimeZoneService {
  constructor(
    private readonly viewer: Viewer,
    private readonly db: Kysely<CalendarDatabase>,
  ) {}

  get(): Promise<string> {
    return companyTimeZone(this.db, this.viewer.companyId);
  }

  async set(timezone: string): Promise<string> {
    if (!isAdmin(this.viewer)) throw forbidden('Only company admins may set the company\u2019s time zone');
    const zone = requireTimeZone(timezone);
    await saveCompanyTimeZone(this.db, this.viewer.companyId, zone);
    return zone;
  }
}
