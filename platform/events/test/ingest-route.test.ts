import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../database/connection.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createEventIngestRoute } from '../ingest-route.js';
import { INGEST_SIGNATURE_HEADER, signIngestRequest } from '../ingest-signature.js';
import { COMPANY_ID, taskPayload } from './event-test-support.js';

const SECRET = 'ingest-test-secret';
let database: TestDatabase;
let db: Kysely<any>;
let server: http.Server;
let url: string;

beforeAll(async () => {
  database = await createTestDatabase({ seeded: false });
  db = createKysely(database.url);
  const route = createEventIngestRoute({ databaseUrl: database.url, secret: SECRET, companyExists: async (id) => id === COMPANY_ID });
  server = http.createServer((request, response) => {
    route.handle(request, response).catch(() => {
      response.statusCode = 500;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${route.path}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await database?.drop();
});

async function deliver(body: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as any };
}

function envelope(overrides: Record<string, unknown> = {}) {
  return JSON.stringify({ id: `core-${randomUUID()}`, topic: 'project.task.created', company_id: COMPANY_ID, payload: taskPayload(), ...overrides });
}

const outboxRows = async (source = 'bheem-core') => (await sql<any>`SELECT id, topic, entity_key, payload, source FROM events.outbox WHERE source = ${source}`.execute(db)).rows;

describe('event ingestion endpoint', () => {
  it('publishes a signed event of a known topic, keyed by its entity, exactly as a subgraph would', async () => {
    const body = envelope();
    const { status, body: answer } = await deliver(body, signIngestRequest(SECRET, body));
    expect(status).toBe(202);
    expect(answer.duplicate).toBe(false);
    const row = (await outboxRows()).find((candidate) => candidate.id === answer.eventId);
    expect(row).toMatchObject({ topic: 'project.task.created', entity_key: JSON.parse(body).payload.task_id, payload: JSON.parse(body).payload });
  });

  it('rejects a bad signature, a missing one, and a signature of another body', async () => {
    const body = envelope();
    const before = (await outboxRows()).length;
    const forged = await deliver(body, signIngestRequest('not-the-secret', body));
    expect(forged).toMatchObject({ status: 401, body: { error: { code: 'BAD_SIGNATURE' } } });
    const unsigned = await deliver(body, {});
    expect(unsigned).toMatchObject({ status: 401, body: { error: { code: 'MISSING_SIGNATURE' } } });
    const swapped = await deliver(envelope(), signIngestRequest(SECRET, body));
    expect(swapped).toMatchObject({ status: 401, body: { error: { code: 'BAD_SIGNATURE' } } });
    const garbled = await deliver(body, { ...signIngestRequest(SECRET, body), [INGEST_SIGNATURE_HEADER]: 'v1=zz' });
    expect(garbled.status).toBe(401);
    expect((await outboxRows()).length).toBe(before);
  });

  it('rejects a stale (or future) timestamp, even correctly signed', async () => {
    const body = envelope();
    const now = Math.floor(Date.now() / 1000);
    const stale = await deliver(body, signIngestRequest(SECRET, body, now - 400));
    expect(stale).toMatchObject({ status: 401, body: { error: { code: 'STALE_TIMESTAMP' } } });
    const future = await deliver(body, signIngestRequest(SECRET, body, now + 400));
    expect(future).toMatchObject({ status: 401, body: { error: { code: 'STALE_TIMESTAMP' } } });
  });

  it('publishes a replayed delivery only once, and refuses an id reused for another event', async () => {
    const body = envelope();
    const headers = signIngestRequest(SECRET, body);
    const first = await deliver(body, headers);
    const [again, concurrent] = await Promise.all([deliver(body, headers), deliver(body, signIngestRequest(SECRET, body))]);
    expect(first.status).toBe(202);
    for (const replay of [again, concurrent]) expect(replay).toEqual({ status: 200, body: { eventId: first.body.eventId, duplicate: true } });
    expect((await outboxRows()).filter((row) => row.payload.task_id === JSON.parse(body).payload.task_id)).toHaveLength(1);
    const reused = envelope({ id: JSON.parse(body).id });
    expect(await deliver(reused, signIngestRequest(SECRET, reused))).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT' } } });
  });

  it('explains an unknown topic or a payload that breaks its topic’s schema, publishing nothing', async () => {
    const before = (await outboxRows()).length;
    const unknown = envelope({ topic: 'crm.lead.created' });
    expect(await deliver(unknown, signIngestRequest(SECRET, unknown))).toMatchObject({ status: 422, body: { error: { code: 'UNKNOWN_TOPIC' } } });
    const invalid = envelope({ payload: taskPayload({ task_id: 7, due_date: 'soon' }) });
    const answer = await deliver(invalid, signIngestRequest(SECRET, invalid));
    expect(answer).toMatchObject({ status: 422, body: { error: { code: 'INVALID_PAYLOAD' } } });
    expect(answer.body.error.details).toEqual(['task_id: expected a UUID, got number', 'due_date: expected an RFC 3339 date-time with offset, got "soon"']);
    const otherTenant = envelope({ company_id: randomUUID() });
    expect(await deliver(otherTenant, signIngestRequest(SECRET, otherTenant))).toMatchObject({ status: 422 });
    const notJson = 'not json';
    expect(await deliver(notJson, signIngestRequest(SECRET, notJson))).toMatchObject({ status: 400 });
    expect((await outboxRows()).length).toBe(before);
  });

  it('refuses with 403 a topic of another domain: Bheem Core speaks for the ERP only, not for meet, academy or documents', async () => {
    const before = (await outboxRows()).length;
    const liveClassId = randomUUID();
    const cases: Record<string, Record<string, unknown>> = {
      // Would put a class meet never scheduled in Moodle's calendar and tell every student of the course.
      'meet.class.scheduled': { company_id: COMPANY_ID, live_class_id: liveClassId, course_id: '101', title: 'Not a class', scheduled_at: '2027-01-04T10:00:00Z' },
      'meet.recording.ready': { company_id: COMPANY_ID, recording_id: randomUUID(), live_class_id: liveClassId, course_id: '101' },
      'academy.notification.created': { company_id: COMPANY_ID, notification_id: '1', user_id: '5', kind: 'liveclass_reminder' },
    };
    for (const [topic, payload] of Object.entries(cases)) {
      const body = envelope({ topic, payload });
      const answer = await deliver(body, signIngestRequest(SECRET, body));
      expect({ topic, status: answer.status, code: answer.body.error?.code }).toEqual({ topic, status: 403, code: 'TOPIC_NOT_INGESTED' });
      expect(answer.body.error.message).toMatch(/only the ERP's topics/);
    }
    expect((await outboxRows()).length).toBe(before);
  });

  it('refuses with 400 an event id or key PostgreSQL cannot store as text, publishing nothing', async () => {
    const before = (await outboxRows()).length;
    for (const overrides of [{ id: 'core-\u0000' }, { key: 'task\u0000' }, { id: 'core-\ud800' }, { key: 'task-\udc00' }, { id: 'core-\u001b[31m' }]) {
      const body = envelope(overrides);
      const answer = await deliver(body, signIngestRequest(SECRET, body));
      expect(answer, JSON.stringify(overrides)).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST' } } });
      expect(answer.body.error.message).toMatch(/^"(id|key)" (may not contain control characters|is not valid Unicode text)/);
    }
    expect((await outboxRows()).length).toBe(before);
  });

  it('refuses with 422 a payload with extra fields PostgreSQL cannot store, or nested thousands deep, publishing nothing', async () => {
    const before = (await outboxRows()).length;
    const withExtra = (extra: string) => envelope().replace('"payload":{', `"payload":{"extra":${extra},`);
    const cases = {
      'NUL in an extra string': withExtra('"a\\u0000b"'),
      'NUL in an extra key': withExtra('{"a\\u0000":1}'),
      'a lone surrogate': withExtra('"\\ud800"'),
      'arrays 60,000 deep': withExtra(`${'['.repeat(60_000)}${']'.repeat(60_000)}`),
      'objects 30,000 deep': withExtra(`${'{"a":'.repeat(30_000)}1${'}'.repeat(30_000)}`),
    };
    for (const [what, body] of Object.entries(cases)) {
      const answer = await deliver(body, signIngestRequest(SECRET, body));
      expect({ what, status: answer.status, code: answer.body.error?.code }).toEqual({ what, status: 422, code: 'INVALID_PAYLOAD' });
    }
    expect((await outboxRows()).length).toBe(before);
  });
});
