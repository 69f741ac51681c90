import { isUuid } from '../ids.js';

/**
 * The caller, as Bheem Passport describes them. Built from a verified JWT at
 * the gateway and carried to subgraphs in a signed header.
 */
export type PlatformRole = 'admin' | 'manager' | 'employee' | 'teacher' | 'student';

export interface Viewer {
  /** Passport subject. */
  userId: string;
  companyId: string;
  roles: readonly string[];
  name?: string;
  email?: string;
  /** The Moodle user id (`mdl_user.id`), which is also the federated `User.id`. */
  moodleUserId?: string;
  /** Scopes the token grants (its scope claim, AUTH_SCOPE_CLAIM): @requiresScopes at the gateway. Not forwarded. */
  scopes?: readonly string[];
  /** Policies granted from the token's claims (GATEWAY_POLICIES_FILE): @policy at the gateway. Not forwarded. */
  policies?: readonly string[];
  /** No verified identity: the gateway's anonymous caller (GATEWAY_ANONYMOUS). @authenticated fields are removed for it. */
  anonymous?: true;
}

/** Claims as they travel in tokens. */
export interface IdentityClaims {
  sub: string;
  company_id: string;
  roles: string[];
  name?: string;
  email?: string;
  moodle_user_id?: string;
}

export function viewerFromClaims(claims: Record<string, unknown>): Viewer | null {
  const { sub, company_id, roles, name, email, moodle_user_id } = claims;
  if (typeof sub !== 'string' || !sub) return null;
  if (typeof company_id !== 'string' || !company_id) return null;
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) return null;
  return {
    userId: sub,
    companyId: company_id,
    roles,
    name: typeof name === 'string' ? name : undefined,
    email: typeof email === 'string' ? email : undefined,
    moodleUserId: typeof moodle_user_id === 'string' || typeof moodle_user_id === 'number' ? String(moodle_user_id) : undefined,
  };
}

const MOODLE_ID = /^[1-9][0-9]{0,17}$/;

/**
 * Why a viewer's claims that name rows (company, Moodle user) cannot be used, or null: each
 * way in that reads claims (a user's token, the gateway's signed identity, a tus token) refuses
 * them at the door, so no service meets a malformed id in a query (an SQL error there, a 500).
 */
export function malformedClaim(viewer: Viewer): string | null {
  if (!isUuid(viewer.companyId)) return 'claim company_id is not a UUID';
  if (viewer.moodleUserId !== undefined && !MOODLE_ID.test(viewer.moodleUserId)) return 'claim moodle_user_id is not a Moodle user id';
  return null;
}

export function claimsFromViewer(viewer: Viewer): IdentityClaims {
  return {
    sub: viewer.userId,
    company_id: viewer.companyId,
    roles: [...viewer.roles],
    ...(viewer.name !== undefined && { name: viewer.name }),
    ...(viewer.email !== undefined && { email: viewer.email }),
    ...(viewer.moodleUserId !== undefined && { moodle_user_id: viewer.moodleUserId }),
  };
}

export function hasRole(viewer: Viewer, ...roles: PlatformRole[]): boolean {
  return roles.some((role) => viewer.roles.includes(role));
}

export const isAdmin = (viewer: Viewer) => viewer.roles.includes('admin');
