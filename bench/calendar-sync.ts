/**
 * CalDAV full sync against a real Radicale: 1,000 events of one user
 * (created with createCalendarEvent, as the app does) pushed by syncCalDAV;
 * a full pull of all of them by a user of another company connecting the same calendar
 * (1,000 events new to us: fetched, parsed, inserted, announced); then a
 * full resync of the first user with sync token and ETags forgotten (every
 * object fetched and compared, none changed). Both are compared with
 * Radicale's own time to serve those 1,000 objects to a plain HTTP client
 * (one REPORT calendar-query with their data); Radicale's own PUT time,
 * sampled with a plain client, shows how much of the push is the server's.
 *
 * PostgreSQL: DATABASE_URL's server (in a throwaway database), or an
 * embedded one in a temporary directory. Radicale: `radicale` on PATH
 * (test/caldav/radicale.ts). BENCH_CALDAV_EVENTS sets the count.
 */
import { sql } from 'kysely';
import { prepareDatabase } from '../platform/bootstrap/prepare-database.js';
import { loadConfig } from '../platform/config.js';
import { closePools, createKysely } from '../platform/database/connection.js';
import { throwawayDatabase } from './support/throwaway-database.js';
import { createLogger } from '../platform/logger.js';
import { startSubgraph } from '../platform/subgraph/start-subgraph.js';
import { calendarSubgraph } from '../subgraphs/calendar/subgraph.js';
import { startRadicale } from '../test/caldav/radicale.js';
import { callSubgraph, demoViewer } from '../test/support/subgraph-client.js';

export interface CalendarSyncBenchResult {
  events: number;
  createSeconds: number;
  pushSeconds: number;
  /** A full pull of every event, all new to the puller. */
  pullSeconds: number;
  /** A full resync (token and ETags forgotten) where nothing changed. */
  resyncSeconds: number;
  radicaleServeSeconds: number;
  /** Radicale's own time for one PUT by a plain client (sampled), for the push's scale. */
  radicalePutSeconds: number;
  pushRatio: number;
  pullRatio: number;
  resyncRatio: number;
}

const PASSWORD = 'bench-app-password';
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const seconds = (began: bigint) => Number(process.hrtime.bigint() - began) / 1e9;

/** Radicale serving every object of a calendar with its data, to a plain client: one REPORT. */
async function radicaleServeAll(calendarUrl: string, expected: number): Promise<number> {
  const body = `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter>
</C:calendar-query>`;
  const began = process.hrtime.bigint();
  const response = await fetch(calendarUrl, {
    method: 'REPORT',
    headers: { authorization: `Basic ${Buffer.from(`bench:${PASSWORD}`).toString('base64')}`, depth: '1', 'content-type': 'application/xml; charset=utf-8' },
    body,
  });
  const xml = await response.text();
  const took = seconds(began);
  const served = (xml.match(/BEGIN:VEVENT/g) ?? []).length;
  if (response.status !== 207 || served < expected) throw new Error(`Radicale's REPORT answered ${response.status} with ${served} events, expected ${expected}`);
  return took;
}

/** Radicale storing objects sent by a plain client, one PUT after the other into the same calendar: seconds per PUT. */
async function radicalePutEach(calendarUrl: string, samples: number): Promise<number> {
  const stamp = '20270101T000000Z';
  const began = process.hrtime.bigint();
  for (let n = 0; n < samples; n++) {
    const uid = `bench-plain-${n}@bench`;
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//bench//EN',
      'BEGIN:VEVENT',
      `UID:${uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${stamp}`,
      'DURATION:PT1H',
      `SUMMARY:Plain ${n}`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const response = await fetch(new URL(`${encodeURIComponent(uid)}.ics`, calendarUrl), {
      method: 'PUT',
      headers: { authorization: `Basic ${Buffer.from(`bench:${PASSWORD}`).toString('base64')}`, 'content-type': 'text/calendar; charset=utf-8', 'if-none-match': '*' },
      body: ics,
    });
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`Radicale answered ${response.status} to a plain PUT`);
  }
  return seconds(began) / samples;
}

export async function runCalendarSyncBench(print: (line: string) => void = console.log): Promise<CalendarSyncBenchResult> {
  const count = Number(process.env.BENCH_CALDAV_EVENTS ?? 1000);
  const radicale = await startRadicale([{ username: 'bench', password: PASSWORD }]);
  const database = await throwawayDatabase('caldav', print);
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn', CALENDAR_CONSUME_EVENTS: 'false', CALENDAR_SYNC_INTERVAL_SECONDS: '0' });
  const deps = { config, databaseUrl: database.url, log: createLogger('bench', 'warn') };
  let subgraph: Awaited<ReturnType<typeof startSubgraph>> | undefined;
  try {
    await prepareDatabase(deps, [calendarSubgraph], { seed: false });
    subgraph = await startSubgraph(calendarSubgraph, deps);
    const viewer = demoViewer('tara.teacher');
    const call = async (query: string, variables?: Record<string, unknown>) => {
      const { body } = await callSubgraph({ url: subgraph!.url, audience: 'calendar', secret: config.internalSigningSecret, viewer, query, variables });
      if (body.errors) throw new Error(`calendar answered: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const { connectCalDAVAccount: account } = await call(
      `mutation($url: String!, $password: String!) { connectCalDAVAccount(url: $url, username: "bench", appPassword: $password) { id calendarUrl } }`,
      { url: radicale.url, password: PASSWORD },
    );

    print(`caldav sync: creating ${count} events for one user (createCalendarEvent, 8 at a time)`);
    const create = `mutation($input: CreateCalendarEventInput!) { createCalendarEvent(input: $input) { id } }`;
    const base = Date.UTC(2027, 0, 4, 9);
    let created = 0;
    const createBegan = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (created < count) {
          const n = created++;
          const start = new Date(base + n * 3 * 3_600_000);
          await call(create, { input: { title: `Bench event ${n}`, start, end: new Date(start.getTime() + 3_600_000), eventType: 'MEETING', location: `Room ${n % 20}` } });
          if ((n + 1) % 250 === 0) print(`  ${n + 1} created`);
        }
      }),
    );
    const createSeconds = seconds(createBegan);

    const sync = `mutation($id: ID!) { syncCalDAV(accountId: $id) { state total done lastError } }`;
    const runSync = async (label: string, id = account.id, as = call) => {
      print(`caldav sync: ${label}`);
      const began = process.hrtime.bigint();
      const { syncCalDAV: status } = await as(sync, { id });
      const took = seconds(began);
      if (status.state !== 'IDLE' || status.done < count) throw new Error(`sync ended ${JSON.stringify(status)}`);
      print(`  ${status.done} of ${status.total} done in ${took.toFixed(2)} s`);
      return took;
    };
    const pushSeconds = await runSync(`full push of ${count} events to Radicale (syncCalDAV)`);

    // A user of another company connects the same calendar: every object is new to them (UIDs are matched within a company).
    const other = demoViewer('gina.teacher');
    const callOther = async (query: string, variables?: Record<string, unknown>) => {
      const { body } = await callSubgraph({ url: subgraph!.url, audience: 'calendar', secret: config.internalSigningSecret, viewer: other, query, variables });
      if (body.errors) throw new Error(`calendar answered: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const { connectCalDAVAccount: second } = await callOther(
      `mutation($url: String!, $password: String!) { connectCalDAVAccount(url: $url, username: "bench", appPassword: $password) { id calendarUrl } }`,
      { url: radicale.url, password: PASSWORD },
    );
    if (second.calendarUrl !== account.calendarUrl) throw new Error(`the second account found ${second.calendarUrl}, not ${account.calendarUrl}`);
    const pullSeconds = await runSync(`full pull: all ${count} events, new to a second user connecting the same calendar`, second.id, callOther);

    // Forget what we knew of the server (token, ETags): the next sync lists everything, fetches every object and compares it.
    const db = createKysely<any>(database.url);
    await sql`UPDATE calendar.caldav_accounts SET sync_token = NULL WHERE id = ${account.id}`.execute(db);
    await sql`UPDATE calendar.caldav_resources SET etag = NULL WHERE account_id = ${account.id}`.execute(db);
    const resyncSeconds = await runSync(`full resync, nothing changed: all ${count} events fetched back and compared`);

    print(`caldav sync: Radicale serving all ${count} events to a plain client (one REPORT calendar-query, best of 3)`);
    const serves: number[] = [];
    for (let round = 0; round < 3; round++) serves.push(await radicaleServeAll(account.calendarUrl, count));
    const radicaleServeSeconds = Math.min(...serves);
    print('caldav sync: Radicale storing 100 more objects PUT one by one by a plain client');
    const radicalePutSeconds = await radicalePutEach(account.calendarUrl, 100);
    const result = {
      events: count,
      createSeconds: round(createSeconds),
      pushSeconds: round(pushSeconds),
      pullSeconds: round(pullSeconds),
      resyncSeconds: round(resyncSeconds),
      radicaleServeSeconds: round(radicaleServeSeconds, 3),
      radicalePutSeconds: round(radicalePutSeconds, 4),
      pushRatio: round(pushSeconds / radicaleServeSeconds, 1),
      pullRatio: round(pullSeconds / radicaleServeSeconds, 1),
      resyncRatio: round(resyncSeconds / radicaleServeSeconds, 1),
    };
    print(
      `caldav sync: ${count} events: push ${result.pushSeconds} s, full pull ${result.pullSeconds} s, unchanged full resync ${result.resyncSeconds} s; ` +
        `Radicale serves them in ${result.radicaleServeSeconds} s (push ${result.pushRatio}x, pull ${result.pullRatio}x, resync ${result.resyncRatio}x Radicale's own time); ` +
        `a plain client's PUT takes Radicale ${round(radicalePutSeconds * 1000, 1)} ms (${round(radicalePutSeconds * count, 1)} s for ${count}); creating them took ${result.createSeconds} s`,
    );
    return result;
  } finally {
    await subgraph?.stop();
    await closePools();
    await database.drop();
    await database.embedded?.stop();
    await radicale.stop();
  }
}
