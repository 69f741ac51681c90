/**
 * A document's share links, newest first, each with who made it (`createdBy`,
 * null when the API does not know) and whether it serves now and why not
 * (`status`: SERVING, or the one reason it does not, CANNOT_TELL when the API
 * cannot tell now). The makers' names come from academy: when it is down the
 * links are still listed (their state says CANNOT_TELL where it needs academy),
 * with `makerUnknown` set on those whose maker's name could not be read (all
 * those without one then: the answer does not tell them apart from makers
 * never recorded).
 */
import { graphql } from '../gql';
import type { DocumentShareLinksQuery, ShareLinkStatus } from '../gql/graphql';
import { requestAllowing, type GraphQLErrorShape } from './api';

const ShareLinks = graphql(`
  query DocumentShareLinks($id: ID!) {
    document(id: $id) {
      id
      shareLinks { id url expiresAt hasPassword revokedAt downloadCount createdAt createdBy { id fullName } status }
    }
  }
`);

export type ShareLinkWithMaker = NonNullable<DocumentShareLinksQuery['document']>['shareLinks'][number] & { makerUnknown?: boolean };

/** Academy, which gives the makers' names, not answering (the gateway then nulls every name it could not get). */
const makersUnread = (error: GraphQLErrorShape) => error.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && error.extensions.serviceName === 'academy';

export async function loadShareLinks(documentId: string): Promise<ShareLinkWithMaker[] | null> {
  const { data, allowedErrors } = await requestAllowing(ShareLinks, { id: documentId }, makersUnread);
  const document = data.document;
  if (!document) return null;
  return document.shareLinks.map((link) => ({ ...link, makerUnknown: allowedErrors.length > 0 && !link.createdBy })).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

const GROUPS = ['revoked', 'expired', 'not working', 'cannot be checked now'] as const;

const GROUP_OF: Record<Exclude<ShareLinkStatus, 'SERVING'>, (typeof GROUPS)[number]> = {
  REVOKED: 'revoked',
  EXPIRED: 'expired',
  MAKER_LOST_ACCESS: 'not working',
  LEFT_PINNED_RECORD: 'not working',
  DOCUMENT_GONE: 'not working',
  CANNOT_TELL: 'cannot be checked now',
};

/** The links that do not work now, counted by kind, always in the same order ("1 revoked · 2 expired"); '' for none. */
export function notWorkingWords(statuses: readonly ShareLinkStatus[]): string {
  const groups = statuses.flatMap((status) => (status === 'SERVING' ? [] : [GROUP_OF[status]]));
  return GROUPS.map((group) => [group, groups.filter((each) => each === group).length] as const)
    .filter(([, count]) => count > 0)
    .map(([group, count]) => `${count} ${group}`)
    .join(' · ');
}
