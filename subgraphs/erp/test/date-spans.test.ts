/**
 * The platform's one bound on how long anything dated lasts
 * (platform/date-time.ts, MAX_SPAN_DAYS = 366), for the ERP's records with a
 * start and an end, whichever way they come in: a sales meeting scheduled or
 * changed through GraphQL is held to it as leave always was (BAD_USER_INPUT
 * naming the end's field, nothing stored, nothing published), and the same
 * records ingested from Bheem Core (POST /events/ingest) are refused with
 * 422 INVALID_PAYLOAD, publishing nothing.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { postCoreEvent } from '../../../test/support/core-ingest.js';
import { leavePayload, salesMeetingPayload } from '../../../test/support/erp-event-payloads.js';
import { DEMO, useErpPlatform } from './erp-test-kit.js';

const erp = useErpPlatform();

const SCHEDULE = 'mutation($input: ScheduleSalesMeetingInput!) { scheduleSalesMeeting(input: $input) { id } }';
const UPDATE = 'mutation($id: ID!, $input: UpdateSalesMeetingInput!) { updateSalesMeeting(id: $id, input: $input) { id endAt } }';
const LEAVE = 'mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }';
const DAY = 86_400_000;
const daysAfter = (start: string, days: number) => new Date(Date.parse(start) + days * DAY).toISOString();

/** A refusal naming `field`, with nothing published. */
async function refused(username: string, query: string, variables: Record<string, unknown>, field: string) {
  const mark = await erp.db.outboxMark();
  const { data, errors } = await erp.call(username, query, variables);
  expect(data ?? null).toBeNull();
  expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(errors?.[0]?.message).toMatch(/366 days/);
  expect(await erp.db.eventsSince(mark)).toEqual([]);
}

describe('how long a meeting or leave may last, through GraphQL', () => {
  it('refuses a sales meeting from 1900 to 2200, or of 367 days, naming endAt; takes one of 366 days', async () => {
    await refused('maya.manager', SCHEDULE, { input: { customerName: 'Initech', scheduledAt: '1900-01-01T00:00:00Z', endAt: '2200-12-31T00:00:00Z' } }, 'endAt');
    const start = '2031-01-01T10:00:00.000Z';
    await refused('maya.manager', SCHEDULE, { input: { customerName: 'Initech', scheduledAt: start, endAt: daysAfter(start, 367) } }, 'endAt');
    const { errors } = await erp.call('maya.manager', SCHEDULE, { input: { customerName: 'Initech', scheduledAt: start, endAt: daysAfter(start, 366) } });
    expect(errors).toBeUndefined();
  });

  it('refuses moving a meeting\u2019s end centuries later, and keeps it as it was', async () => {
    const before = (await erp.call('maya.manager', 'query($id: ID!) { salesMeeting(id: $id) { endAt } }', { id: DEMO.sunriseMeeting })).data.salesMeeting.endAt;
    await refused('maya.manager', UPDATE, { id: DEMO.sunriseMeeting, input: { endAt: '2200-12-31T00:00:00Z' } }, 'endAt');
    expect((await erp.call('maya.manager', 'query($id: ID!) { salesMeeting(id: $id) { endAt } }', { id: DEMO.sunriseMeeting })).data.salesMeeting.endAt).toBe(before);
  });

  it('refuses leave of 367 days as before, by the same rule', async () => {
    const start = '2035-01-01T00:00:00.000Z';
    await refused('emil.employee', LEAVE, { input: { startDate: start, endDate: daysAfter(start, 367) } }, 'endDate');
  });
});

describe('the same records ingested from Bheem Core', () => {
  const meeting = (scheduledAt: string, endAt: string) => salesMeetingPayload(randomUUID(), { scheduled_at: scheduledAt, end_at: endAt });
  const leave = (start: string, end: string) => leavePayload(randomUUID(), { start_date: start, end_date: end });

  const ingest = (topic: string, payload: Record<string, unknown>) => postCoreEvent(erp.platform, topic, payload);

  const ingestedSince = async (mark: string) =>
    (await sql<{ topic: string }>`SELECT topic FROM events.outbox WHERE position > ${mark}::bigint AND source = 'bheem-core'`.execute(erp.platform.db)).rows;

  it('refuses a meeting from 1900 to 2200, scheduled or changed, and leave of 367 days: 422 naming the end', async () => {
    const mark = await erp.db.outboxMark();
    const cases: [string, Record<string, unknown>, string][] = [
      ['sales.meeting.created', meeting('1900-01-01T00:00:00Z', '2200-12-31T00:00:00Z'), 'end_at'],
      ['sales.meeting.updated', { ...meeting('1900-01-01T00:00:00Z', '2200-12-31T00:00:00Z'), changed_fields: ['end_at'] }, 'end_at'],
      ['sales.meeting.created', meeting('2031-01-01T10:00:00Z', '2031-01-01T09:00:00Z'), 'end_at'],
      ['hr.leave.approved', leave('2035-01-01T00:00:00Z', daysAfter('2035-01-01T00:00:00Z', 367)), 'end_date'],
      ['hr.leave.requested', leave('2035-01-01T00:00:00Z', daysAfter('2035-01-01T00:00:00Z', 367)), 'end_date'],
    ];
    for (const [topic, payload, field] of cases) {
      const answer = await ingest(topic, payload);
      expect({ topic, ...answer }).toMatchObject({ topic, status: 422, body: { error: { code: 'INVALID_PAYLOAD' } } });
      expect(answer.body.error.details.join('\n')).toContain(`${field}: `);
    }
    expect(await ingestedSince(mark)).toEqual([]);
  });

  it('takes a meeting and leave within the bound', async () => {
    expect((await ingest('sales.meeting.created', meeting('2031-01-01T10:00:00Z', '2031-01-01T11:00:00Z'))).status).toBe(202);
    expect((await ingest('hr.leave.approved', leave('2035-01-01T00:00:00Z', daysAfter('2035-01-01T00:00:00Z', 366)))).status).toBe(202);
  });
});
