/**
 * A share link serves only while its maker could read the document where it
 * is now (services/share-maker-access.ts), judged from the maker's roles kept
 * with the link (`created_by_roles`). Links made before the roles were kept
 * cannot be judged that way: rather than stop them all at once (links already
 * sent to customers), each keeps the record its document was attached to when
 * this migration ran (`legacy_attachment`, "type:id") and serves only while
 * the document is still there; moved anywhere else, it stops.
 */
import { sql, type Kysely, type Migration } from 'kysely';

/** Pins every link without recorded roles to its document's record now. */
export async function pinLegacyShareLinks(db: Kysely<any>): Promise<void> {
  await sql`UPDATE documents.share_links s SET legacy_attachment = d.entity_type || ':' || d.entity_id
    FROM documents.documents d
    WHERE s.created_by_roles IS NULL AND s.legacy_attachment IS NULL AND d.id = s.document_id`.execute(db);
}

export const shareLinkMakerRoles: Migration = {
  async up(db: Kysely<any>) {
    const links = () => db.schema.withSchema('documents').alterTable('share_links');
    await links().addColumn('created_by_roles', sql`text[]`).execute();
    await links().addColumn('legacy_attachment', 'text').execute();
    await pinLegacyShareLinks(db);
  },
};
