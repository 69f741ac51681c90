/**
 * Whether a user id names a person of the caller's company: asked of
 * academy (Moodle's users and their company membership) through its
 * `_entities` contract, as the caller, so academy applies its own tenant
 * filter. Per request, batched: many ids, one call.
 */
import DataLoader from 'dataloader';
import type { Viewer } from '../../../platform/auth/viewer.js';
import type { PlatformConfig } from '../../../platform/config.js';
import { badInput } from '../../../platform/errors.js';
import { callSubgraph } from '../../../platform/federation/subgraph-call.js';

const USERS_QUERY = `query CompanyUsers($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id } }
}`;

export class CompanyPeople {
  private readonly members: DataLoader<string, boolean>;

  constructor(config: PlatformConfig, viewer: Viewer) {
    this.members = new DataLoader(async (ids) => {
      const { _entities } = await callSubgraph<{ _entities: ({ id: string } | null)[] }>(config, 'academy', viewer, USERS_QUERY, {
        representations: ids.map((id) => ({ __typename: 'User', id })),
      });
      return ids.map((_, index) => _entities[index]?.id !== undefined);
    });
  }

  /** BAD_USER_INPUT on `field` unless `id` is a (not deleted) user of the caller's company; null and undefined pass. */
  async requireMember(id: string | null | undefined, field: string): Promise<void> {
    if (id === null || id === undefined) return;
    if (!(await this.members.load(id))) throw badInput(`${field} ${JSON.stringify(id)} is not a user of your company`, field);
  }
}
