/** Moodle's site settings (`mdl_config`, what Moodle loads into $CFG). */
import type { SiteTimeZones } from '../services/moodle-time-zone.js';
import type { AcademyDb } from './academy-db.js';

export class MoodleConfigRepository {
  constructor(private readonly db: AcademyDb) {}

  async timeZones(): Promise<SiteTimeZones> {
    const rows = await this.db.moodle.selectFrom('mdl_config').select(['name', 'value']).where('name', 'in', ['timezone', 'forcetimezone']).execute();
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  }
}
