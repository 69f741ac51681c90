/**
 * Which calendar connectCalDAVAccount syncs with when the user has several on
 * the server (rule in caldav/calendar-choice.ts), against a real Radicale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRadicale, type RunningRadicale } from '../../../test/caldav/radicale.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { subgraphCaller } from '../../../test/support/subgraph-caller.js';

const PASSWORD = 'choice-app-password';
const USERS = ['tara', 'ravi', 'sam'];
let radicale: RunningRadicale;
let platform: TestPlatform;

beforeAll(async () => {
  radicale = await startRadicale(USERS.map((username) => ({ username, password: PASSWORD })));
  platform = await startTestPlatform({ subgraphs: ['calendar'], gateway: false });
});
afterAll(async () => {
  await platform?.stop();
  await radicale?.stop();
});

const auth = (username: string) => ({ authorization: `Basic ${Buffer.from(`${username}:${PASSWORD}`).toString('base64')}` });

/** A calendar made by the user's calendar app, holding the given components. */
async function makeCalendar(username: string, path: string, name: string, components: string[]): Promise<string> {
  const url = `${radicale.homeUrl(username)}${path}/`;
  await (await fetch(radicale.homeUrl(username), { method: 'PROPFIND', headers: { ...auth(username), depth: '0' } })).arrayBuffer();
  const response = await fetch(url, {
    method: 'MKCALENDAR',
    headers: { ...auth(username), 'content-type': 'application/xml; charset=utf-8' },
    body: `<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>${name}</D:displayname>
<C:supported-calendar-component-set>${components.map((comp) => `<C:comp name="${comp}"/>`).join('')}</C:supported-calendar-component-set>
</D:prop></D:set></C:mkcalendar>`,
  });
  expect(response.status).toBe(201);
  return url;
}

const calendar = subgraphCaller(() => platform, 'calendar');
async function connect(viewer: string, url: string, username: string) {
  const { body } = await calendar(
    viewer,
    `mutation($url: String!, $username: String!, $password: String!) { connectCalDAVAccount(url: $url, username: $username, appPassword: $password) { calendarUrl } }`,
    { url, username, password: PASSWORD },
  );
  return body;
}

describe('choosing the calendar to sync with', () => {
  it('takes the first event calendar by URL, skipping task lists, then ours once it exists', async () => {
    await makeCalendar('tara', 'a-chores', 'Chores', ['VTODO']);
    const zeta = await makeCalendar('tara', 'zeta', 'Zeta', ['VEVENT']);
    const mixed = await makeCalendar('tara', 'mixed', 'Mixed', ['VEVENT', 'VTODO']);
    expect((await connect('tara.teacher', radicale.url, 'tara')).data.connectCalDAVAccount.calendarUrl).toBe(mixed);
    // Server root or home: the same choice.
    expect((await connect('tara.teacher', radicale.homeUrl('tara'), 'tara')).data.connectCalDAVAccount.calendarUrl).toBe(mixed);
    // A calendar named Bheem (ours, from an earlier connection) is preferred.
    const ours = await makeCalendar('tara', 'zz-bheem', 'Bheem', ['VEVENT']);
    expect((await connect('tara.teacher', radicale.url, 'tara')).data.connectCalDAVAccount.calendarUrl).toBe(ours);
    // The address of a calendar of theirs: that one.
    expect((await connect('tara.teacher', zeta, 'tara')).data.connectCalDAVAccount.calendarUrl).toBe(zeta);
  });

  it('refuses the address of a calendar that cannot hold events', async () => {
    const chores = await makeCalendar('ravi', 'chores', 'Chores', ['VTODO']);
    const body = await connect('ravi.teacher', chores, 'ravi');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(/cannot hold events/);
  });

  it('makes a calendar named Bheem when the user has no event calendar', async () => {
    await makeCalendar('sam', 'chores', 'Chores', ['VTODO']);
    const { calendarUrl } = (await connect('sam.student', radicale.url, 'sam')).data.connectCalDAVAccount;
    expect(calendarUrl).toBe(`${radicale.homeUrl('sam')}bheem/`);
    const response = await fetch(calendarUrl, { method: 'PROPFIND', headers: { ...auth('sam'), depth: '0' } });
    expect(await response.text()).toMatch(/<(\w+:)?displayname>Bheem<\/(\w+:)?displayname>/);
    // Connecting again finds it rather than making another.
    expect((await connect('sam.student', radicale.url, 'sam')).data.connectCalDAVAccount.calendarUrl).toBe(calendarUrl);
  });
});
