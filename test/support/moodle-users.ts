/**
 * Moodle's side of a user's life that the API has no mutation for: a user
 * deleted in Moodle (mdl_user.deleted = 1), as academy then no longer lists
 * them. Tests of what must not outlive a user's membership run their checks
 * inside `whileDeletedInMoodle`, which puts the user back however they end.
 */
import type { Kysely } from 'kysely';

export async function whileDeletedInMoodle<T>(db: Kysely<any>, username: string, action: () => Promise<T>): Promise<T> {
  const deleted = async (flag: number) => {
    const [result] = await db.updateTable('moodle.mdl_user').set({ deleted: flag }).where('username', '=', username).execute();
    if (Number(result?.numUpdatedRows) !== 1) throw new Error(`no Moodle user ${username}`);
  };
  await deleted(1);
  try {
    return await action();
  } finally {
    await deleted(0);
  }
}
