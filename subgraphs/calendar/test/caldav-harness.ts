/**
 * The set-up CalDAV sync tests share: a real Radicale with an app password
 * per person, the platform (academy + calendar), every person's account
 * connected, and what each of them does: call GraphQL, sync their account,
 * and use their calendar app in plain CalDAV (caldav-client.ts).
 *
 * With `countRequests`, the platform reaches Radicale through a pass-through
 * proxy that notes each request's method and path (the calendar app's own
 * requests go straight to Radicale and are not counted).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { startRadicale, type RunningRadicale } from '../../../test/caldav/radicale.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import * as caldav from './caldav-client.js';

/** Demo users by the short names tests give them (platform/demo/demo-ids.ts): teachers, a student, a manager and an admin; gina teaches at another company (Globex). */
export const DEMO_USERS = { tara: 'tara.teacher', ravi: 'ravi.teacher', neil: 'neil.student', maya: 'maya.manager', admin: 'admin', gina: 'gina.teacher' } as const;
export const USER_IDS = { tara: '3', ravi: '4', neil: '7', maya: '8', admin: '2', gina: '21' } as const;
export type Person = keyof typeof DEMO_USERS;

export interface CalDAVRequest {
  method: string;
  path: string;
}

export interface CalDAVHarness {
  readonly platform: TestPlatform;
  readonly radicale: RunningRadicale;
  /** The CalDAV accounts of the people the harness was started with (anyone else may still call GraphQL). */
  readonly accounts: Record<Person, { id: string; calendarUrl: string }>;
  /** Requests the platform sent to Radicale (only with `countRequests`). */
  readonly requests: CalDAVRequest[];
  /**
   * Awaited before each counted request goes on to Radicale (something else writing in between, say); what it returns,
   * if anything, is awaited before Radicale's answer goes back to the platform.
   */
  beforeRequest: ((request: CalDAVRequest) => Promise<void | (() => Promise<void>)>) | null;
  call(person: Person, query: string, variables?: Record<string, unknown>): Promise<any>;
  ok(person: Person, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** Syncs the person's account; the sync must end without an error. */
  sync(person: Person): Promise<{ state: string; lastError: string | null; total: number; done: number }>;
  /**
   * Syncs the person's account while their app saves `change(copy)` over `copy` between our read and our PUT
   * of it (so that the PUT meets a 412); the app must have saved. Needs `countRequests`.
   */
  syncRacing(person: Person, copy: caldav.RemoteObject, change: (copy: caldav.RemoteObject) => string): Promise<void>;
  remoteObjects(person: Person): Promise<caldav.RemoteObject[]>;
  /** The first object holding `text`: give each series of a file a title no other starts with (one Radicale per file). */
  remoteWith(person: Person, text: string): Promise<caldav.RemoteObject | undefined>;
  /** Writes an object at `href`, or at that name in the person's calendar. */
  remotePut(person: Person, hrefOrName: string, data: string, etag?: string): Promise<void>;
  /** The paths of the objects the person's next pull reads as changed, in the server's order (their account's sync token). */
  remoteChanged(person: Person): Promise<string[]>;
  remoteDelete(person: Person, href: string): Promise<void>;
  stop(): Promise<void>;
}

const password = (person: Person) => `${person}-app-password`;

/** Forwards every request to `target`, noting it in `seen`. */
async function countingProxy(target: string, seen: CalDAVRequest[], before: () => CalDAVHarness['beforeRequest']): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (request, response) => {
    const noted = { method: request.method!, path: request.url! };
    seen.push(noted);
    const answering = await before()?.(noted);
    const upstream = http.request(new URL(request.url!, target), { method: request.method, headers: request.headers }, async (answer) => {
      if (answering) await answering();
      response.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** `people`: whose calendar app is connected (a Radicale user and an account each). */
export async function startCalDAVHarness(people: readonly Person[], options: { countRequests?: boolean } = {}): Promise<CalDAVHarness> {
  const radicale = await startRadicale(people.map((person) => ({ username: person, password: password(person) })));
  const requests: CalDAVRequest[] = [];
  let beforeRequest: CalDAVHarness['beforeRequest'] = null;
  const proxy = options.countRequests ? await countingProxy(radicale.url, requests, () => beforeRequest) : null;
  const platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  const calendar = subgraphCaller(() => platform, 'calendar');
  const call = async (person: Person, query: string, variables?: Record<string, unknown>) => (await calendar(DEMO_USERS[person], query, variables)).body;
  const ok = async (person: Person, query: string, variables?: Record<string, unknown>) => dataOf(await calendar(DEMO_USERS[person], query, variables));
  const accounts = {} as CalDAVHarness['accounts'];
  for (const person of people) {
    const url = proxy?.url ?? radicale.url;
    accounts[person] = (await ok(person, caldav.CONNECT_CALDAV, { url, username: person, password: password(person) })).connectCalDAVAccount;
  }
  const auth = (person: Person) => caldav.basicAuth(person, password(person));
  // The app talks to Radicale itself, also when the platform goes through the proxy.
  const appUrl = (person: Person, hrefOrName: string) => {
    const calendarUrl = proxy ? accounts[person].calendarUrl.replace(proxy.url, radicale.url) : accounts[person].calendarUrl;
    return new URL(hrefOrName, calendarUrl).toString();
  };
  const remoteObjects = (person: Person) => caldav.remoteObjects(appUrl(person, ''), auth(person));
  const sync = async (person: Person) => {
    const status = (await ok(person, `mutation($id: ID!) { syncCalDAV(accountId: $id) { state lastError total done } }`, { id: accounts[person].id })).syncCalDAV;
    expect(status).toMatchObject({ state: 'IDLE', lastError: null });
    return status;
  };
  return {
    platform,
    radicale,
    accounts,
    requests,
    get beforeRequest() {
      return beforeRequest;
    },
    set beforeRequest(hook) {
      beforeRequest = hook;
    },
    call,
    ok,
    sync,
    async syncRacing(person, copy, change) {
      let appSaved = false;
      beforeRequest = async (request) => {
        if (appSaved || request.method !== 'PUT' || request.path !== new URL(copy.href).pathname) return;
        appSaved = true;
        await caldav.remotePut(appUrl(person, copy.href), change(copy), auth(person), copy.etag);
      };
      try {
        await sync(person);
      } finally {
        beforeRequest = null;
      }
      expect(appSaved).toBe(true);
    },
    remoteObjects,
    remoteWith: async (person, text) => (await remoteObjects(person)).find((object) => object.data.includes(text)),
    remotePut: (person, hrefOrName, data, etag) => caldav.remotePut(appUrl(person, hrefOrName), data, auth(person), etag),
    remoteDelete: (person, href) => caldav.remoteDelete(href, auth(person)),
    async remoteChanged(person) {
      const account = await platform.db.selectFrom('calendar.caldav_accounts').select('sync_token').where('id', '=', accounts[person].id).executeTakeFirstOrThrow();
      return caldav.changedSince(appUrl(person, ''), auth(person), account.sync_token!);
    },
    async stop() {
      await platform.stop();
      await proxy?.close();
      await radicale.stop();
    },
  };
}

/**
 * The harness for a whole test file: started before its tests (before any
 * beforeAll registered after this call) and stopped after them. What it
 * returns stands for the started harness, so test code reads `h.ok(...)`.
 */
export function useCalDAVHarness(people: readonly Person[], options: { countRequests?: boolean } = {}): CalDAVHarness {
  let started: CalDAVHarness | undefined;
  beforeAll(async () => {
    started = await startCalDAVHarness(people, options);
  }, 120_000);
  afterAll(async () => {
    await started?.stop();
  });
  const harness = () => {
    if (!started) throw new Error('the CalDAV harness is used before its beforeAll has run');
    return started;
  };
  return new Proxy({} as CalDAVHarness, {
    get: (_target, key) => Reflect.get(harness(), key),
    set: (_target, key, value) => Reflect.set(harness(), key, value),
  });
}

/** The object as a calendar app saves it after an edit: a newer LAST-MODIFIED (a minute ahead). */
export function editedByApp(data: string, from: string | RegExp = /^$/, to = ''): string {
  const later = new Date(Date.now() + 60_000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return unfolded(data)
    .replace(from, to)
    .replace(/LAST-MODIFIED:\d{8}T\d{6}Z/g, `LAST-MODIFIED:${later}`);
}

/** iCalendar text with its folded lines joined (RFC 5545 3.1). */
export const unfolded = (data: string) => data.replace(/\r\n[ \t]/g, '');

/** The VEVENTs of an object, each as its text. */
export const veventsOf = (data: string) =>
  unfolded(data)
    .split('BEGIN:VEVENT')
    .slice(1)
    .map((part) => `BEGIN:VEVENT${part.split('END:VEVENT')[0]}END:VEVENT\r\n`);
