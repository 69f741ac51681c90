/**
 * The CalDAV operations sync needs, over tsdav: discovery of the user's
 * calendar, conditional writes (If-None-Match: * to create, If-Match with the
 * stored ETag to change or delete), RFC 6578 sync-collection and, for servers
 * without it, an ETag listing. Credentials go in the Authorization header only.
 */
import type { EgressPolicy } from '../../../platform/http/egress-policy.js';
import { BHEEM_CALENDAR_NAME, calendarNamedBy, chooseCalendar, holdsEvents, tsdav } from './calendar-choice.js';

export interface CalDAVCredentials {
  username: string;
  password: string;
}

export interface RemoteItem {
  href: string;
  etag: string | null;
  data?: string;
}

export type WriteResult = { ok: true; etag: string | null } | { ok: false; status: number };

/** A sync token the server no longer accepts (403/409 with DAV:valid-sync-token). */
export class InvalidSyncTokenError extends Error {}

export class CalDAVError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The address names a real calendar that cannot be used: the one discovery failure told apart, since only a CalDAV server can cause it. */
export class UnusableCalendarError extends CalDAVError {}

/** ETags are kept bare (no quotes, no weak prefix) and quoted again when sent. */
export const bareEtag = (etag: unknown): string | null => (etag ? String(etag).replace(/^W\//, '').replace(/^"|"$/g, '') : null);
const quoted = (etag: string) => `"${etag}"`;
const dataOf = (props: Record<string, unknown>) => String((props.calendarData as { _cdata?: string })?._cdata ?? props.calendarData);
/** The UID of an object's first component, unfolded (RFC 5545 3.1), without parsing the rest. */
const uidIn = (ics: string) => /^UID:(.*)$/m.exec(ics.replace(/\r?\n[ \t]/g, ''))?.[1]?.trim() ?? null;

/**
 * The Authorization header tsdav's getBasicAuthHeaders makes (user:password in Latin-1, which it requires, in
 * base64), made here so that a client can be made without loading tsdav.
 */
export function basicAuthHeaders({ username, password }: CalDAVCredentials): Record<string, string> {
  const pair = `${username}:${password}`;
  if (/[^\u0000-\u00ff]/.test(pair)) throw new Error('Basic authentication credentials must be Latin-1: a user name or password has a character beyond it');
  return { authorization: `Basic ${Buffer.from(pair, 'latin1').toString('base64')}` };
}

export class CalDAVClient {
  private readonly headers: Record<string, string>;
  /** Every request goes through the outbound policy: the URLs are the user's, or the server's answers. */
  private readonly fetch: typeof fetch;

  constructor(
    readonly calendarUrl: string,
    credentials: CalDAVCredentials,
    egress: EgressPolicy,
  ) {
    this.headers = basicAuthHeaders(credentials);
    this.fetch = egress.fetch;
  }

  /** The calendar to sync with, chosen by the rule in calendar-choice.ts (made when the user has none that holds events). */
  static async discover(serverUrl: string, credentials: CalDAVCredentials, egress: EgressPolicy): Promise<string> {
    const named = await calendarNamedBy(serverUrl, basicAuthHeaders(credentials), egress.fetch);
    if (named.kind === 'events') return named.url;
    if (named.kind === 'no-events')
      throw new UnusableCalendarError(`${named.url} is a calendar that cannot hold events (VEVENT): give the address of an event calendar, or of the server`);
    const { DAVClient } = await tsdav();
    const client = new DAVClient({ serverUrl, credentials, authMethod: 'Basic', defaultAccountType: 'caldav', fetch: egress.fetch });
    try {
      await client.login();
    } catch (error) {
      throw new CalDAVError(`The CalDAV server at ${serverUrl} refused the login or could not be discovered: ${(error as Error).message}`, undefined, { cause: error });
    }
    const chosen = chooseCalendar(await client.fetchCalendars());
    if (chosen) return chosen;
    const home = client.account?.homeUrl;
    if (!home) throw new CalDAVError(`The CalDAV server at ${serverUrl} named no calendar home`);
    const url = new URL('bheem/', home).toString();
    await client.makeCalendar({ url, props: { displayname: BHEEM_CALENDAR_NAME } });
    return url;
  }

  /** The calendars of the user's calendar home on the server, by URL, with whether each can hold events. */
  static async listCalendars(
    serverUrl: string,
    credentials: CalDAVCredentials,
    egress: EgressPolicy,
  ): Promise<{ url: string; displayName: string | null; holdsEvents: boolean }[]> {
    const { DAVClient } = await tsdav();
    const client = new DAVClient({ serverUrl, credentials, authMethod: 'Basic', defaultAccountType: 'caldav', fetch: egress.fetch });
    try {
      await client.login();
    } catch (error) {
      throw new CalDAVError(`The CalDAV server at ${serverUrl} refused the login or could not be discovered: ${(error as Error).message}`, undefined, { cause: error });
    }
    const calendars = await client.fetchCalendars();
    return calendars
      .map((calendar) => ({
        url: calendar.url.endsWith('/') ? calendar.url : `${calendar.url}/`,
        displayName: typeof calendar.displayName === 'string' && calendar.displayName ? calendar.displayName : null,
        holdsEvents: holdsEvents(calendar),
      }))
      .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  }

  hrefFor(uid: string): string {
    return new URL(`${encodeURIComponent(uid.replace(/[^A-Za-z0-9@._-]/g, '-'))}.ics`, this.calendarUrl).toString();
  }

  async create(href: string, ics: string): Promise<WriteResult> {
    const { createObject } = await tsdav();
    const response = await createObject({
      fetch: this.fetch,
      url: href,
      data: ics,
      headers: { ...this.headers, 'content-type': 'text/calendar; charset=utf-8', 'If-None-Match': '*' },
    });
    await response.arrayBuffer();
    return response.ok ? { ok: true, etag: bareEtag(response.headers.get('etag')) } : { ok: false, status: response.status };
  }

  async update(href: string, ics: string, etag: string): Promise<WriteResult> {
    const { updateObject } = await tsdav();
    const response = await updateObject({
      fetch: this.fetch,
      url: href,
      data: ics,
      etag: quoted(etag),
      headers: { ...this.headers, 'content-type': 'text/calendar; charset=utf-8' },
    });
    await response.arrayBuffer();
    return response.ok ? { ok: true, etag: bareEtag(response.headers.get('etag')) } : { ok: false, status: response.status };
  }

  async delete(href: string, etag: string | null): Promise<WriteResult> {
    const { deleteObject } = await tsdav();
    const response = await deleteObject({ fetch: this.fetch, url: href, etag: etag ? quoted(etag) : undefined, headers: this.headers });
    await response.arrayBuffer();
    if (response.ok || response.status === 404) return { ok: true, etag: null };
    return { ok: false, status: response.status };
  }

  /** One object with its current ETag, or null when it is gone. */
  async get(href: string): Promise<RemoteItem | null> {
    const response = await this.fetch(href, { headers: this.headers });
    const body = await response.text();
    if (response.status === 404) return null;
    if (!response.ok) throw new CalDAVError(`GET ${href} answered ${response.status}`, response.status);
    return { href, etag: bareEtag(response.headers.get('etag')), data: body };
  }

  /**
   * Where the calendar holds the object of `uid`, if anywhere (a calendar-query REPORT on UID, RFC 4791 7.8.6):
   * an app may store it under a name of its own, and a collection holds one object per UID (no-uid-conflict).
   */
  async hrefOfUid(uid: string): Promise<string | null> {
    const { calendarQuery } = await tsdav();
    const responses = await calendarQuery({
      fetch: this.fetch,
      url: this.calendarUrl,
      props: { 'd:getetag': {}, 'c:calendar-data': {} },
      filters: {
        'comp-filter': {
          _attributes: { name: 'VCALENDAR' },
          'comp-filter': { _attributes: { name: 'VEVENT' }, 'prop-filter': { _attributes: { name: 'UID' }, 'text-match': { _attributes: { collation: 'i;octet' }, _text: uid } } },
        },
      },
      depth: '1',
      headers: this.headers,
    });
    // text-match is a substring match: only an object whose UID is exactly this one.
    const exact = responses.find((response) => response.ok !== false && response.href && response.props?.calendarData && uidIn(dataOf(response.props)) === uid);
    return exact ? new URL(exact.href!, this.calendarUrl).toString() : null;
  }

  /** Data and ETags of some objects, in one calendar-multiget REPORT. */
  async fetchMany(hrefs: readonly string[]): Promise<RemoteItem[]> {
    if (hrefs.length === 0) return [];
    const { calendarMultiGet } = await tsdav();
    const responses = await calendarMultiGet({
      fetch: this.fetch,
      url: this.calendarUrl,
      props: { 'd:getetag': {}, 'c:calendar-data': {} },
      objectUrls: hrefs.map((href) => new URL(href).pathname),
      depth: '1',
      headers: this.headers,
    });
    return responses
      .filter((response) => response.ok !== false && response.props?.calendarData)
      .map((response) => ({ href: new URL(response.href!, this.calendarUrl).toString(), etag: bareEtag(response.props?.getetag), data: dataOf(response.props!) }));
  }

  /**
   * Changes since `token` (RFC 6578): changed members with their ETags, and
   * removed ones. Without a token: every member. `withData` asks for each
   * member's calendar-data too (a full resync: one request instead of a
   * listing and then multigets). Throws InvalidSyncTokenError
   * when the server refuses the token, CalDAVError when it cannot sync at all.
   */
  async changesSince(token: string | null, options: { withData?: boolean } = {}): Promise<{ token: string | null; changed: RemoteItem[]; removed: string[] }> {
    const props = options.withData ? { 'd:getetag': {}, 'c:calendar-data': {} } : { 'd:getetag': {} };
    const { syncCollection } = await tsdav();
    const responses = await syncCollection({ fetch: this.fetch, url: this.calendarUrl, props, syncLevel: 1, syncToken: token ?? '', headers: { ...this.headers, depth: '1' } });
    const first = responses[0];
    // A refusal of the whole request has no multistatus; a 404 inside one is a removed member.
    const multistatus = (first?.raw as { multistatus?: unknown } | undefined)?.multistatus;
    if (first && !multistatus && first.status !== undefined && first.status >= 400) {
      const body = typeof first.raw === 'string' ? first.raw : JSON.stringify(first.raw ?? '');
      if ((first.status === 403 || first.status === 409) && /valid-?sync-?token/i.test(body)) throw new InvalidSyncTokenError(String(first.status));
      throw new CalDAVError(`sync-collection answered ${first.status}`, first.status);
    }
    const newToken = (first?.raw as { multistatus?: { syncToken?: string } } | undefined)?.multistatus?.syncToken ?? null;
    const members = responses.filter((response) => response.href && new URL(response.href, this.calendarUrl).toString() !== this.calendarUrl);
    const removed = members.filter((response) => response.status === 404).map((response) => new URL(response.href!, this.calendarUrl).toString());
    const changed = members
      .filter((response) => response.status !== 404)
      .map((response) => ({
        href: new URL(response.href!, this.calendarUrl).toString(),
        etag: bareEtag(response.props?.getetag),
        ...(options.withData && response.props?.calendarData ? { data: dataOf(response.props) } : {}),
      }));
    return { token: newToken ? String(newToken) : null, changed, removed };
  }

  /** Every member with its ETag (PROPFIND Depth 1): the fallback when sync-collection is unsupported. */
  async listAll(): Promise<RemoteItem[]> {
    const { propfind } = await tsdav();
    const responses = await propfind({ fetch: this.fetch, url: this.calendarUrl, props: { 'd:getetag': {} }, depth: '1', headers: this.headers });
    return responses
      .filter((response) => response.href && new URL(response.href, this.calendarUrl).toString() !== this.calendarUrl && response.props?.getetag)
      .map((response) => ({ href: new URL(response.href!, this.calendarUrl).toString(), etag: bareEtag(response.props?.getetag) }));
  }
}
