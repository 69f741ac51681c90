/**
 * A document's share links, newest first, each with who made it (`createdBy`,
 * null when the API does not know) and whether it serves now (`servesNow`:
 * false too for a live link whose maker may no longer read the document where
 * it is; null when the API cannot tell now).
 */
import { graphql } from '../gql';
import type { DocumentShareLinksQuery } from '../gql/graphql';
import { request } from './api';

const ShareLinks = graphql(`
  query DocumentShareLinks($id: ID!) {
    document(id: $id) {
      id
      shareLinks { id url expiresAt hasPassword revokedAt downloadCount createdAt createdBy { id fullName } servesNow }
    }
  }
`);

export type ShareLinkWithMaker = NonNullable<DocumentShareLinksQuery['document']>['shareLinks'][number];

export async function loadShareLinks(documentId: string): Promise<ShareLinkWithMaker[] | null> {
  const document = (await request(ShareLinks, { id: documentId })).document;
  if (!document) return null;
  return [...document.shareLinks].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
