/**
 * Calls one subgraph directly, signing the identity exactly as the gateway
 * does (or not at all, to test refusals). For `_entities` contract tests.
 */
import { signIdentity, IDENTITY_HEADER } from '../../platform/auth/gateway-signature.js';
import type { Viewer } from '../../platform/auth/viewer.js';
import { DEMO_COMPANIES, DEMO_USERS } from '../../platform/demo/demo-ids.js';
import type { GraphQLResponse } from './test-platform.js';

export function demoViewer(username: string, overrides: Partial<Viewer> = {}): Viewer {
  const user = DEMO_USERS.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`No demo user ${username}`);
  return {
    userId: `passport-${user.id}`,
    companyId: DEMO_COMPANIES[user.company].id,
    roles: user.roles,
    name: `${user.firstname} ${user.lastname}`,
    moodleUserId: user.id,
    ...overrides,
  };
}

export async function callSubgraph<T = any>(options: {
  url: string;
  audience: string;
  secret: string;
  viewer?: Viewer;
  query: string;
  variables?: Record<string, unknown>;
  /** Sign a different body than the one sent (tampering tests). */
  signedBody?: string;
}): Promise<{ status: number; body: GraphQLResponse<T> }> {
  const body = JSON.stringify({ query: options.query, variables: options.variables });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.viewer) headers[IDENTITY_HEADER] = signIdentity(options.secret, options.viewer, options.audience, options.signedBody ?? body);
  const response = await fetch(options.url, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<T> };
}

export const ENTITIES_QUERY = (typename: string, selection: string) =>
  `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`;
