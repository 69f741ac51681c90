/**
 * Which user ids are members of the caller's company, asked of academy (the
 * owner of users) through its `_entities` contract: one call for a whole list.
 */
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { PlatformConfig } from '../../../platform/config.js';
import { badInput } from '../../../platform/errors.js';
import { callSubgraph } from '../../../platform/federation/subgraph-call.js';

const USERS_QUERY = `query CompanyUsers($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id } }
}`;

export class UserDirectory {
  constructor(
    private readonly config: PlatformConfig,
    private readonly viewer: Viewer,
  ) {}

  /** Refuses (BAD_USER_INPUT) any id that is not a user of the caller's company. */
  async requireCompanyUsers(ids: readonly string[], field: string): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const { _entities } = await callSubgraph<{ _entities: ({ id: string } | null)[] }>(this.config, 'academy', this.viewer, USERS_QUERY, {
      representations: unique.map((id) => ({ __typename: 'User', id })),
    });
    const unknown = unique.filter((_, index) => !_entities[index]);
    if (unknown.length > 0) throw badInput(`Not users of your company: ${unknown.join(', ')}`, field);
    return unique;
  }
}
