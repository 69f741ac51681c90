/**
 * E-mail addresses and names of company users, asked of academy (the owner of
 * users) as the calendar service itself, one `_entities` call per list: what
 * ORGANIZER and ATTENDEE carry in pushed objects and the feed, and how a
 * CalDAV owner's own ATTENDEE is recognised in what comes back.
 */
import type { PlatformConfig } from '../../../platform/config.js';
import { callSubgraph, serviceViewer } from '../../../platform/federation/subgraph-call.js';
import type { Logger } from '../../../platform/logger.js';
import type { Contacts } from '../caldav/attendees.js';

const CONTACTS_QUERY = `query UserContacts($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id fullName email } }
}`;

export class UserContacts {
  constructor(
    private readonly config: PlatformConfig,
    private readonly log: Logger,
  ) {}

  /** Users without an address are left out; when academy cannot answer, nobody is (the objects go out without them). */
  async of(companyId: string, ids: readonly (string | null)[]): Promise<Contacts> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    const contacts = new Map<string, { email: string; name: string | null }>();
    if (unique.length === 0) return contacts;
    try {
      const { _entities } = await callSubgraph<{ _entities: ({ id: string; fullName: string; email: string | null } | null)[] }>(
        this.config,
        'academy',
        serviceViewer('calendar', companyId),
        CONTACTS_QUERY,
        { representations: unique.map((id) => ({ __typename: 'User', id })) },
      );
      for (const user of _entities) if (user?.email) contacts.set(user.id, { email: user.email, name: user.fullName || null });
    } catch (error) {
      this.log.warn({ err: error, companyId }, 'user contacts unavailable: ORGANIZER and internal ATTENDEEs left out');
    }
    return contacts;
  }
}
