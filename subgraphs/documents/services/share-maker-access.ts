/**
 * A share link is its maker's authority: it serves only while its maker
 * could still read the document where it is attached now, by the rules
 * GraphQL applies to them (DocumentAccess), for the maker as their identity
 * was when they made the link (roles, company, Moodle user id, kept with it).
 * Judged each time the link is opened, so it holds however the document
 * moved (moveDocument, or any other change of its record). For a course,
 * academy is asked the maker's role there now, as for their own requests.
 * A link made before makers' roles were kept has no maker to judge: it
 * serves only while its document stays on the record it was on when the
 * roles began to be kept (migrations/share-link-maker-roles.ts). Nextcloud
 * serves its own shares: those are judged when the document moves
 * (ShareService), and such an older one is revoked by any move; and again
 * with the periodic jobs (jobs/judge-nextcloud-shares.ts), for the changes
 * of access that come another way.
 */
import { GraphQLError } from 'graphql';
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { EntityType } from '../models.js';
import type { DocumentAccess } from './document-access.js';

/** What a link's maker's access rested on when they made it. */
export interface LinkMaker {
  /** The link's company, its maker's when they made it. */
  maker_company_id: string;
  created_by: string;
  created_by_user: string | null;
  created_by_roles: string[] | null;
  /** Only for a link without recorded roles: the record ("type:id") it serves on. */
  legacy_attachment?: string | null;
}

export interface SharedDocument extends LinkMaker {
  /** The document's company and attachment now. */
  company_id: string;
  entity_type: string;
  entity_id: string;
}

/** The maker as they were when they made the link; null when that was not kept. */
export function makerOf(link: LinkMaker): Viewer | null {
  if (!link.created_by_roles) return null;
  return {
    userId: link.created_by,
    companyId: link.maker_company_id,
    roles: link.created_by_roles,
    ...(link.created_by_user !== null && { moodleUserId: link.created_by_user }),
  };
}

/**
 * The link judged for its maker: 'reads' (it may serve), 'lost' (the maker may not read the document where it is
 * now, or academy refused them), 'left-pinned' (a link without a recorded maker whose document left the record it
 * was pinned to) or 'unavailable' (academy cannot tell now, for a course's document).
 */
export type MakerJudgement = 'reads' | 'lost' | 'left-pinned' | 'unavailable';

export async function makerJudgement(link: SharedDocument, accessFor: (viewer: Viewer) => DocumentAccess): Promise<MakerJudgement> {
  const maker = makerOf(link);
  if (!maker) return link.legacy_attachment === `${link.entity_type}:${link.entity_id}` ? 'reads' : 'left-pinned';
  try {
    const reads = await accessFor(maker).mayRead({ companyId: link.company_id, entityType: link.entity_type as EntityType, entityId: link.entity_id });
    return reads ? 'reads' : 'lost';
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    // Academy refusing the maker (forbidden, not found) refuses the link; academy down says nothing either way.
    return error.extensions.code === 'UNAVAILABLE' ? 'unavailable' : 'lost';
  }
}

/**
 * accessFor, with one DocumentAccess per maker for as long as this lives (a request, a run of the judging): links
 * by the same maker then ask academy once per course (CourseAccess batches and keeps its answers).
 */
export function perMaker(accessFor: (viewer: Viewer) => DocumentAccess): (viewer: Viewer) => DocumentAccess {
  const accesses = new Map<string, DocumentAccess>();
  return (maker) => {
    const key = JSON.stringify([maker.companyId, maker.userId, maker.moodleUserId ?? null, maker.roles]);
    let access = accesses.get(key);
    if (!access) accesses.set(key, (access = accessFor(maker)));
    return access;
  };
}
