/**
 * A share link's maker as a User: `created_by` holds the token's subject,
 * while the User entity is keyed by the Moodle user id, which only the
 * document's activity log kept (the `shared` entry naming the link). New
 * links store it in `created_by_user`; links made before get it from that
 * entry where there is one and stay null (maker unknown) where there is not.
 */
import { sql, type Kysely, type Migration } from 'kysely';

/** Fills the makers of links that have none from their `shared` activity entry (same company and document). */
export async function backfillShareLinkMakers(db: Kysely<any>): Promise<void> {
  await sql`UPDATE documents.share_links s SET created_by_user = a.actor_user
    FROM documents.document_activity a
    WHERE s.created_by_user IS NULL AND a.action = 'shared' AND a.details->>'shareLinkId' = s.id::text
      AND a.company_id = s.company_id AND a.document_id = s.document_id`.execute(db);
}

export const shareLinkMakers: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.withSchema('documents').alterTable('share_links').addColumn('created_by_user', 'text').execute();
    await backfillShareLinkMakers(db);
  },
};
