/**
 * A user's full name, asked of academy (the owner of users) as the calendar
 * service of the user's company: what a leave event is titled with. An
 * unreachable academy throws, so the domain event is retried rather than
 * mirrored without the name; an unknown user answers null.
 */
import type { PlatformConfig } from '../../../platform/config.js';
import { callSubgraph, serviceViewer } from '../../../platform/federation/subgraph-call.js';

const NAME_QUERY = `query UserName($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id fullName } }
}`;

export type UserNameLookup = (companyId: string, userId: string) => Promise<string | null>;

export function academyUserName(config: PlatformConfig): UserNameLookup {
  return async (companyId, userId) => {
    const { _entities } = await callSubgraph<{ _entities: ({ id: string; fullName: string | null } | null)[] }>(
      config,
      'academy',
      serviceViewer('calendar', companyId),
      NAME_QUERY,
      { representations: [{ __typename: 'User', id: userId }] },
    );
    return _entities[0]?.fullName?.trim() || null;
  };
}
