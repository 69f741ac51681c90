/**
 * A user's calendar app against a real Radicale, in plain CalDAV, for the
 * sync tests: list, read, write and delete the objects of a calendar with
 * the user's app password. Also the mutation that connects the account.
 */
import { expect } from 'vitest';

export const basicAuth = (username: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });

export type Auth = ReturnType<typeof basicAuth>;

export interface RemoteObject {
  href: string;
  etag: string;
  data: string;
}

/** Every object of the calendar collection, with its ETag and iCalendar text. */
export async function remoteObjects(calendarUrl: string, auth: Auth): Promise<RemoteObject[]> {
  const response = await fetch(calendarUrl, { method: 'PROPFIND', headers: { ...auth, depth: '1' } });
  const hrefs = [...(await response.text()).matchAll(/<(?:\w+:)?href>([^<]+\.ics)<\/(?:\w+:)?href>/g)].map((m) => new URL(m[1]!, calendarUrl).toString());
  // A few at a time: a calendar of hundreds of objects read all at once had the server drop connections.
  const objects: RemoteObject[] = [];
  for (let at = 0; at < hrefs.length; at += 8) {
    const read = hrefs.slice(at, at + 8).map(async (href) => {
      const got = await fetch(href, { headers: auth });
      return { href, etag: got.headers.get('etag')!, data: await got.text() };
    });
    objects.push(...(await Promise.all(read)));
  }
  return objects;
}

/** Writes the object (only over `etag` when given); the server must accept it. */
export async function remotePut(href: string, data: string, auth: Auth, etag?: string): Promise<void> {
  const response = await fetch(href, { method: 'PUT', headers: { ...auth, 'content-type': 'text/calendar', ...(etag ? { 'if-match': etag } : {}) }, body: data });
  expect(response.status).toBeLessThan(300);
}

/** Deletes the object; the server must accept it. */
export async function remoteDelete(href: string, auth: Auth): Promise<void> {
  expect((await fetch(href, { method: 'DELETE', headers: auth })).status).toBeLessThan(300);
}

export const CONNECT_CALDAV = `mutation($url: String!, $username: String!, $password: String!) {
  connectCalDAVAccount(url: $url, username: $username, appPassword: $password) { id calendarUrl } }`;

/**
 * The hrefs (paths) of the objects changed since `token`, in the order the server lists them (RFC 6578
 * sync-collection, as a pull asks it): those gone left out.
 */
export async function changedSince(calendarUrl: string, auth: Auth, token: string): Promise<string[]> {
  const body = `<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>`;
  const response = await fetch(calendarUrl, { method: 'REPORT', headers: { ...auth, depth: '1', 'content-type': 'application/xml' }, body });
  expect(response.status).toBe(207);
  const responses = [...(await response.text()).matchAll(/<(?:\w+:)?response>([\s\S]*?)<\/(?:\w+:)?response>/g)].map((m) => m[1]!);
  return responses.filter((part) => /propstat>/.test(part)).map((part) => /<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/.exec(part)![1]!);
}
