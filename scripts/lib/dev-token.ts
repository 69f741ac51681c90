/**
 * A dev token (embedded mode) for a Moodle user, as Bheem Passport would
 * issue it: company and platform roles from academy's membership table.
 */
import { signDevUserToken } from '../../platform/auth/user-token.js';
import type { PlatformConfig } from '../../platform/config.js';
import { createKysely } from '../../platform/database/connection.js';
import type { AcademyDatabase } from '../../subgraphs/academy/database.js';
import { academyDb } from '../../subgraphs/academy/repositories/academy-db.js';
import { UserRepository } from '../../subgraphs/academy/repositories/user-repository.js';

export async function devTokenFor(
  config: PlatformConfig,
  databaseUrl: string,
  user: string,
  options: { roles?: string[]; ttlSeconds?: number } = {},
): Promise<{ token: string; username: string; companyId: string; roles: string[] }> {
  const repository = new UserRepository(academyDb(createKysely<AcademyDatabase>(databaseUrl), config.moodle.schema));
  const member = await repository.findMembership(user);
  if (!member) throw new Error(`No Moodle user "${user}" belongs to a company (try: admin, tara.teacher, sam.student, globex.admin)`);
  const roles = options.roles?.length ? options.roles : member.roles;
  const token = await signDevUserToken(
    config.auth,
    {
      userId: `passport-${member.id}`,
      companyId: member.company_id,
      roles,
      name: `${member.firstname} ${member.lastname}`.trim(),
      email: member.email || undefined,
      moodleUserId: member.id,
    },
    options.ttlSeconds,
  );
  return { token, username: member.username, companyId: member.company_id, roles };
}
