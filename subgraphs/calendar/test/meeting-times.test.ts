/**
 * findMeetingTimes counts what really occupies people: working hours in their
 * own zones, live classes, approved leave and busy time pulled from their
 * CalDAV calendars each rule slots out, and say so when nothing fits.
 */
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCompanyId } from '../../../platform/demo/demo-ids.js';
import { startRadicale, type RunningRadicale } from '../../../test/caldav/radicale.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import { dataOf, subgraphCaller } from '../../../test/support/subgraph-caller.js';
import type { CalendarDatabase } from '../database.js';
import { academyDomainEventDeps, handleDomainEvent, type DomainEventInput } from '../services/domain-event-handler.js';
import { leavePayload } from '../../../test/support/erp-event-payloads.js';

let platform: TestPlatform;
let radicale: RunningRadicale;
let db: Kysely<CalendarDatabase>;
beforeAll(async () => {
  radicale = await startRadicale([{ username: 'ravi', password: 'ravi-pw' }]);
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], gateway: false });
  db = platform.db;
});
afterAll(async () => {
  await platform?.stop();
  await radicale?.stop();
});

const calendar = subgraphCaller(() => platform, 'calendar');
const ok = async (username: string, query: string, variables?: Record<string, unknown>) => dataOf(await calendar(username, query, variables));
const handle = (event: DomainEventInput) => db.transaction().execute((trx) => handleDomainEvent(trx, event, academyDomainEventDeps(platform.config)));
const bheem = demoCompanyId('bheem');

const FIND = `query($ids: [ID!]!, $optional: [ID!]) { findMeetingTimes(attendeeIds: $ids, optionalAttendeeIds: $optional, durationMinutes: 60,
  from: "2027-09-13T00:00:00Z", to: "2027-09-14T00:00:00Z", limit: 50) { slots { start end score unavailable { id } } rejections { user { id } reason slots } } }`;
const starts = async (ids: string[], optional?: string[]) => {
  const { findMeetingTimes } = await ok('maya.manager', FIND, { ids, optional });
  return { ...findMeetingTimes, starts: findMeetingTimes.slots.map((s: any) => s.start.slice(11, 16)).sort() };
};
const HOURS = `mutation($input: WorkingHoursInput!) { setWorkingHours(input: $input) { timezone days start end } }`;

describe('findMeetingTimes', () => {
  it('keeps to everyone\u2019s working hours, each in their own zone', async () => {
    // Tara works 09:00-17:00 in Kolkata (03:30-11:30Z), Ravi 09:00-17:00 in Berlin (07:00-15:00Z in September).
    expect((await ok('tara.teacher', HOURS, { input: { timezone: 'Asia/Kolkata', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } })).setWorkingHours).toEqual({
      timezone: 'Asia/Kolkata',
      days: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '17:00',
    });
    await ok('ravi.teacher', HOURS, { input: { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } });
    const both = await starts(['3', '4']);
    expect(both.starts).toEqual(['07:00', '07:30', '08:00', '08:30', '09:00', '09:30', '10:00', '10:30']);
    expect(both.rejections).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user: { id: '3' }, reason: 'OUTSIDE_WORKING_HOURS' }),
        expect.objectContaining({ user: { id: '4' }, reason: 'OUTSIDE_WORKING_HOURS' }),
      ]),
    );
  });

  it('leaves out a live class of the course one teaches', async () => {
    await handle({
      topic: 'meet.class.scheduled',
      companyId: bheem,
      payload: {
        company_id: bheem,
        live_class_id: randomUUID(),
        course_id: '101',
        title: 'Vectors, live',
        scheduled_at: '2027-09-13T08:00:00.000Z',
        duration_minutes: 45,
        status: 'SCHEDULED',
        host_user_id: '3',
      },
    } as DomainEventInput);
    expect((await starts(['3', '4'])).starts).toEqual(['07:00', '09:00', '09:30', '10:00', '10:30']);
  });

  it('leaves out busy time pulled from a CalDAV calendar', async () => {
    const { connectCalDAVAccount: account } = await ok(
      'ravi.teacher',
      `mutation { connectCalDAVAccount(url: "${radicale.url}", username: "ravi", appPassword: "ravi-pw") { id calendarUrl } }`,
    );
    const dentist = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Phone//EN',
      'BEGIN:VEVENT',
      'UID:dentist-1',
      'DTSTAMP:20270101T000000Z',
      'DTSTART:20270913T100000Z',
      'DTEND:20270913T110000Z',
      'SUMMARY:Dentist',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const put = await fetch(new URL('dentist-1.ics', account.calendarUrl), {
      method: 'PUT',
      headers: { authorization: `Basic ${Buffer.from('ravi:ravi-pw').toString('base64')}`, 'content-type': 'text/calendar' },
      body: dentist,
    });
    expect(put.status).toBe(201);
    expect((await ok('ravi.teacher', `mutation($id: ID!) { syncCalDAV(accountId: $id) { state } }`, { id: account.id })).syncCalDAV.state).toBe('IDLE');
    expect((await starts(['3', '4'])).starts).toEqual(['07:00', '09:00']);
  });

  it('leaves out approved leave, says why when nothing fits, and ranks optional attendees', async () => {
    await handle({
      topic: 'hr.leave.approved',
      companyId: bheem,
      payload: leavePayload(randomUUID(), { start_date: '2027-09-13T00:00:00.000Z', end_date: '2027-09-13T00:00:00.000Z' }),
    } as DomainEventInput);
    const withEmil = await starts(['3', '4', '9']);
    expect(withEmil.slots).toEqual([]);
    expect(withEmil.rejections).toContainEqual(expect.objectContaining({ user: { id: '9' }, reason: 'OUT_OF_OFFICE' }));
    expect(withEmil.rejections).toContainEqual(expect.objectContaining({ user: { id: '4' }, reason: 'BUSY' }));
    // Emil optional: the two slots remain, with Emil named as unable to come.
    const optional = await starts(['3', '4'], ['9']);
    expect(optional.starts).toEqual(['07:00', '09:00']);
    expect(optional.slots.every((s: any) => s.unavailable.some((u: any) => u.id === '9'))).toBe(true);
    const { freeBusy } = await ok(
      'maya.manager',
      `{ freeBusy(userIds: ["9"], from: "2027-09-13T00:00:00Z", to: "2027-09-14T00:00:00Z") { intervals { start end status } workingHours { timezone start end } } }`,
    );
    expect(freeBusy[0].intervals).toContainEqual({ start: '2027-09-13T00:00:00.000Z', end: '2027-09-14T00:00:00.000Z', status: 'OUT_OF_OFFICE' });
    expect(freeBusy[0].workingHours).toEqual({ timezone: 'UTC', start: '09:00', end: '17:00' });
  });
});
