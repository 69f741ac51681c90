/**
 * Which of a user's calendars on the server we sync with (connectCalDAVAccount):
 *
 * 1. the calendar the given URL names, when it is one (a user who pasted their
 *    calendar's own address, e.g. Nextcloud's ".../calendars/<user>/personal/");
 *    a calendar that cannot hold events (VTODO only) is refused;
 * 2. otherwise, among the calendars of the user's calendar home that hold
 *    events (VEVENT, or no component restriction): the one named "Bheem" (ours,
 *    from an earlier connection), else the first by URL (not the server's
 *    listing order, which need not be stable);
 * 3. with none, a new calendar "Bheem" is made in the home.
 */

/**
 * tsdav, loaded at the first request to a CalDAV server, not with the calendar subgraph: a deployment whose
 * users connect no CalDAV account never needs it (platform/lazy-require.ts). Every use is asynchronous, so this
 * is the copy an `import` loads.
 */
export const tsdav = () => import('tsdav');

export interface CalendarCandidate {
  url: string;
  displayName?: unknown;
  components?: readonly string[];
}

export const BHEEM_CALENDAR_NAME = 'Bheem';

export const holdsEvents = (calendar: CalendarCandidate) => !calendar.components || calendar.components.length === 0 || calendar.components.includes('VEVENT');

/** Rule 2: the home's calendar to use, or null when none holds events. */
export function chooseCalendar(calendars: readonly CalendarCandidate[]): string | null {
  const candidates = calendars.filter(holdsEvents).sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return (candidates.find((calendar) => String(calendar.displayName ?? '') === BHEEM_CALENDAR_NAME) ?? candidates[0])?.url ?? null;
}

export type NamedCalendar = { kind: 'events'; url: string } | { kind: 'no-events'; url: string } | { kind: 'none' };

/** Rule 1: whether `url` itself is a calendar collection (PROPFIND Depth 0), and whether it holds events. */
export async function calendarNamedBy(url: string, headers: Record<string, string>, fetch: typeof globalThis.fetch): Promise<NamedCalendar> {
  let responses;
  try {
    const { propfind } = await tsdav();
    responses = await propfind({ fetch, url, props: { 'd:resourcetype': {}, 'c:supported-calendar-component-set': {} }, depth: '0', headers });
  } catch {
    return { kind: 'none' }; // not a WebDAV resource we may read: discovery reports why
  }
  const own = responses.find((response) => response.ok !== false && response.props?.resourcetype);
  if (!own || !Object.keys(own.props!.resourcetype as object).includes('calendar')) return { kind: 'none' };
  const set = (own.props!.supportedCalendarComponentSet as { comp?: unknown } | undefined)?.comp;
  const components = (Array.isArray(set) ? set : set ? [set] : [])
    .map((comp) => (comp as { _attributes?: { name?: string } })?._attributes?.name)
    .filter((name): name is string => !!name);
  const calendarUrl = new URL(own.href ?? url, url).toString();
  const normalized = calendarUrl.endsWith('/') ? calendarUrl : `${calendarUrl}/`;
  return holdsEvents({ url: normalized, components }) ? { kind: 'events', url: normalized } : { kind: 'no-events', url: normalized };
}
