/**
 * A personal iCalendar feed (GET /calendar/feed/<token>.ics) for calendar apps
 * that subscribe by URL. The token is the only credential: 32 random bytes,
 * stored as a SHA-256, replaced (old URL dead) on every rotation. The feed
 * holds what the user organizes or takes part in, plus company holidays, from
 * 90 days back to a year ahead; cancelled events are left out. A user no
 * longer of the company (deleted in Moodle) has no feed: the URL is a
 * credential and must not outlive the access it stands for; while academy
 * cannot tell, the feed answers 503 rather than guess.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '../../../platform/auth/viewer.js';
import { forbidden } from '../../../platform/errors.js';
import type { HttpRoute } from '../../../platform/subgraph/subgraph-module.js';
import { toICalendarFeed } from '../caldav/icalendar.js';
import type { EventRepository } from '../repositories/event-repository.js';
import type { FeedTokenRepository } from '../repositories/feed-token-repository.js';
import type { OccurrenceResponseRepository } from '../repositories/occurrence-response-repository.js';
import type { ParticipantRepository } from '../repositories/participant-repository.js';
import type { ReminderRepository } from '../repositories/reminder-repository.js';
import type { UserContacts } from './user-contacts.js';
import type { CompanyOutsiders } from './user-directory.js';

export const FEED_PATH = '/calendar/feed/';
const DAY = 86_400_000;
/** The feed's name in calendar apps, how often they should fetch it again (RFC 7986), and that it is published, not an invitation (RFC 5546). */
const FEED_PROPERTIES = { method: 'PUBLISH', 'x-wr-calname': 'Bheem', name: 'Bheem', 'refresh-interval': 'PT15M', 'x-published-ttl': 'PT15M' };
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export class CalendarFeedService {
  constructor(
    private readonly tokens: FeedTokenRepository,
    private readonly events: EventRepository,
    private readonly participants: ParticipantRepository,
    private readonly responses: OccurrenceResponseRepository,
    private readonly contacts: UserContacts,
    private readonly publicUrl: string,
    private readonly reminders: ReminderRepository,
    /** Of some user ids, those no longer users of the company (academy): a feed's owner among them has none. */
    private readonly outsiders: CompanyOutsiders,
  ) {}

  /** A new secret feed URL for the caller; any previous one stops working. */
  async rotate(viewer: Viewer): Promise<string> {
    if (!viewer.moodleUserId) throw forbidden('Only users with a calendar of their own have a feed');
    const token = randomBytes(32).toString('base64url');
    await this.tokens.replace(viewer.companyId, viewer.moodleUserId, hash(token));
    return `${this.publicUrl}${FEED_PATH}${token}.ics`;
  }

  async feedFor(token: string): Promise<string | null> {
    const owner = await this.tokens.findOwner(hash(token));
    if (!owner) return null;
    if (!(await this.ownerStillAUser(owner.company_id, owner.user_id))) return null;
    // As the user sees their own calendar, without role-wide extras: the URL may travel further than the user.
    const viewer: Viewer = { userId: `feed:${owner.user_id}`, companyId: owner.company_id, roles: [], moodleUserId: owner.user_id };
    const now = Date.now();
    const series = await this.events.findVisibleInRange(viewer, new Date(now - 90 * DAY), new Date(now + 366 * DAY));
    const ids = series.map((event) => event.id);
    const [overrides, participants, responses] = await Promise.all([
      this.events.overridesOf(owner.company_id, ids),
      this.participants.ofEvents(owner.company_id, ids),
      this.responses.ofSeries(ids),
    ]);
    const contacts = await this.contacts.of(owner.company_id, [...series.map((event) => event.organizerId), ...participants.map((p) => p.userId)]);
    const reminders = (await this.reminders.defaultsOf(owner.company_id, [owner.user_id])).get(owner.user_id) ?? [];
    return toICalendarFeed(
      series.map((event) => ({
        series: event,
        overrides: overrides.filter((o) => o.parentId === event.id),
        participants: participants.filter((p) => p.eventId === event.id),
        responses: responses.filter((r) => r.eventId === event.id),
        reminders,
      })),
      contacts,
      FEED_PROPERTIES,
    );
  }

  /** Asked on every fetch: membership ends without a word to us. Academy unreachable: FeedUnavailable. */
  private async ownerStillAUser(companyId: string, userId: string): Promise<boolean> {
    const outsiders = await this.outsiders(companyId, [userId]).catch((error: unknown) => {
      throw new FeedUnavailable(error);
    });
    return outsiders.length === 0;
  }

  route(): HttpRoute {
    return {
      method: 'GET',
      path: FEED_PATH,
      handle: async (request: IncomingMessage, response: ServerResponse) => {
        const name = (request.url ?? '').split('?')[0]!.slice(FEED_PATH.length);
        const token = /^([A-Za-z0-9_-]{43})\.ics$/.exec(name)?.[1];
        const body = token ? await this.feedFor(token).catch(unlessUnavailable) : null;
        if (body instanceof FeedUnavailable) {
          response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '60' });
          response.end('The calendar feed cannot be checked right now: try again shortly');
          return;
        }
        if (body === null) {
          response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          response.end('No such calendar feed');
          return;
        }
        response.writeHead(200, {
          'content-type': 'text/calendar; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'cache-control': 'private, max-age=300',
          'content-disposition': 'inline; filename="bheem.ics"',
        });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
    };
  }
}

/** Whether the feed's owner is still a user could not be learnt (academy unreachable). */
class FeedUnavailable extends Error {
  constructor(cause: unknown) {
    super('calendar feed owner unknown', { cause });
  }
}

const unlessUnavailable = (error: unknown): FeedUnavailable => {
  if (error instanceof FeedUnavailable) return error;
  throw error;
};
