/** Moodle users who are members of a company. */
import { sql } from 'kysely';
import { preparedQuery } from '../../../platform/database/prepared-query.js';
import type { UserModel } from '../models.js';
import type { AcademyDb } from './academy-db.js';

export class UserRepository {
  /** Every User reference of a course page comes here: built once, run as a prepared statement. */
  private readonly byIds;

  constructor(private readonly db: AcademyDb) {
    this.byIds = preparedQuery(db.moodle, 'academy_users_by_ids', (p: { companyId: string; ids: readonly string[] }) =>
      db.moodle
        .selectFrom('mdl_user as u')
        .innerJoin('academy.company_users as cu', (join) => join.onRef('cu.user_id', '=', 'u.id').on('cu.company_id', '=', p.companyId))
        .where('u.id', '=', sql<string>`any(${p.ids})`)
        .where('u.deleted', '=', 0)
        .select(['u.id', 'u.username', 'u.firstname', 'u.lastname', 'u.email']),
    );
  }

  async findByIds(companyId: string, ids: readonly string[]): Promise<UserModel[]> {
    const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
    if (numeric.length === 0) return [];
    return this.byIds({ companyId, ids: numeric });
  }

  /** A user by username or id, with their company and platform roles (for dev tokens). */
  async findMembership(usernameOrId: string) {
    return this.db.moodle
      .selectFrom('mdl_user as u')
      .innerJoin('academy.company_users as cu', 'cu.user_id', 'u.id')
      .where((eb) => (/^\d+$/.test(usernameOrId) ? eb('u.id', '=', usernameOrId) : eb('u.username', '=', usernameOrId)))
      .where('u.deleted', '=', 0)
      .select(['u.id', 'u.username', 'u.firstname', 'u.lastname', 'u.email', 'cu.company_id', 'cu.roles'])
      .executeTakeFirst();
  }

  /** Each user's own `timezone` setting (raw: '99' is the site's), for writing times as Moodle would show them. */
  async timeZones(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.moodle
      .selectFrom('mdl_user')
      .select(['id', 'timezone'])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.map((row) => [row.id, row.timezone]));
  }
}
