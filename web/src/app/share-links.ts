/**
 * A document's share links with who made each: the API keeps the maker in the
 * document's activity (a `shared` entry naming the link), read page by page
 * until every link has its maker or the activity ends.
 */
import { graphql } from '../gql';
import type { DocumentShareLinksQuery } from '../gql/graphql';
import { request } from './api';

// Later pages read the (few) links again: one operation, and the fragment-free shape the gateway's cost limit takes.
const ShareLinks = graphql(`
  query DocumentShareLinks($id: ID!, $after: String) {
    document(id: $id) {
      id
      shareLinks { id url expiresAt hasPassword revokedAt downloadCount createdAt }
      activity(first: 50, after: $after) {
        edges { node { action shareLinkId actor { id fullName } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

type Link = NonNullable<DocumentShareLinksQuery['document']>['shareLinks'][number];
export type ShareLinkWithMaker = Link & { madeBy: string | null };

/** A bound on the pages read for makers: a document with thousands of downloads leaves old links' makers unknown. */
const MAX_ACTIVITY_PAGES = 20;

export async function loadShareLinks(documentId: string): Promise<ShareLinkWithMaker[] | null> {
  const document = (await request(ShareLinks, { id: documentId })).document;
  if (!document) return null;
  const makers = new Map<string, string | null>();
  const wanted = new Set(document.shareLinks.map((link) => link.id));
  let page = document.activity;
  for (let read = 1; ; read++) {
    for (const { node } of page.edges) {
      if (node.action === 'shared' && node.shareLinkId && wanted.has(node.shareLinkId)) makers.set(node.shareLinkId, node.actor?.fullName ?? null);
    }
    if (makers.size === wanted.size || !page.pageInfo.hasNextPage || !page.pageInfo.endCursor || read >= MAX_ACTIVITY_PAGES) break;
    const next = (await request(ShareLinks, { id: documentId, after: page.pageInfo.endCursor })).document;
    if (!next) break;
    page = next.activity;
  }
  return document.shareLinks.map((link) => ({ ...link, madeBy: makers.get(link.id) ?? null })).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
