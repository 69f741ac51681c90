/**
 * Which user ids are members of the caller's company, asked of academy (the
 * owner of users) through its `_entities` contract: one call for a whole list.
 * Domain events ask the same as the calendar service of the event's company.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { PlatformConfig } from '../../../platform/config.js';
import { badInput } from '../../../platform/errors.js';
import { callSubgraph, serviceViewer } from '../../../platform/federation/subgraph-call.js';

const USERS_QUERY = `query CompanyUsers($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id } }
}`;

/** Of `ids`, those that are not (not deleted) users of the company. */
export type CompanyOutsiders = (companyId: string, ids: readonly string[]) => Promise<string[]>;

async function notUsers(config: PlatformConfig, viewer: Viewer, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const { _entities } = await callSubgraph<{ _entities: ({ id: string } | null)[] }>(config, 'academy', viewer, USERS_QUERY, {
    representations: unique.map((id) => ({ __typename: 'User', id })),
  });
  return unique.filter((_, index) => !_entities[index]);
}

/** Asked as the calendar service of the company (an unreachable academy throws: the event is retried). */
export function academyCompanyOutsiders(config: PlatformConfig): CompanyOutsiders {
  return (companyId, ids) => notUsers(config, serviceViewer('calendar', companyId), ids);
}

export class UserDirectory {
  constructor(
    private readonly config: PlatformConfig,
    private readonly viewer: Viewer,
  ) {}

  /** Refuses (BAD_USER_INPUT) any id that is not a user of the caller's company. */
  async requireCompanyUsers(ids: readonly string[], field: string): Promise<string[]> {
    const unknown = await notUsers(this.config, this.viewer, ids);
    if (unknown.length > 0) throw badInput(`Not users of your company: ${unknown.join(', ')}`, field);
    return [...new Set(ids)];
  }
}
