import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../database/connection.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { EVENTS_CHANNEL, publishEvent, publishEvents } from '../publish-event.js';
import { COMPANY_ID, deferred, taskPayload, within } from './event-test-support.js';

let database: TestDatabase;
let db: Kysely<any>;
let listener: pg.Client;
const notifications: string[] = [];
let onNotification: ((payload: string) => void) | undefined;

beforeAll(async () => {
  database = await createTestDatabase({ seeded: false });
  db = createKysely(database.url);
  listener = new pg.Client({ connectionString: database.url });
  await listener.connect();
  listener.on('notification', (message) => {
    notifications.push(message.payload ?? '');
    onNotification?.(message.payload ?? '');
  });
  await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
});
afterAll(async () => {
  await listener?.end();
  await database?.drop();
});

const outboxCount = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events.outbox`.execute(db)).rows[0]!.n);

describe('publishEvent', () => {
  it('writes the event with the change and wakes listeners only when the transaction commits', async () => {
    const payload = taskPayload();
    const woken = deferred<string>();
    onNotification = (topic) => woken.resolve(topic);
    const published = await db.transaction().execute(async (trx) => {
      const ref = await publishEvent(trx, { topic: 'project.task.created', companyId: COMPANY_ID, key: payload.task_id, payload, source: 'erp' });
      // Not visible outside the transaction before commit.
      const outside = await sql`SELECT 1 FROM events.outbox WHERE id = ${ref.id}`.execute(db);
      expect(outside.rows).toHaveLength(0);
      return ref;
    });
    expect(await within(woken.promise, 60_000, 'the notification')).toBe('project.task.created');
    const { rows } = await sql<any>`SELECT topic, company_id, entity_key, payload, source, created_at FROM events.outbox WHERE id = ${published.id}`.execute(db);
    expect(rows[0]).toMatchObject({ topic: 'project.task.created', company_id: COMPANY_ID, entity_key: payload.task_id, payload, source: 'erp' });
    expect(rows[0].created_at).toBeInstanceOf(Date);
    expect(published.cursor).toMatch(/^\d+:\d+$/);
  });

  it('publishes nothing, and notifies no one, when the change rolls back', async () => {
    const before = await outboxCount();
    notifications.length = 0;
    await expect(
      db.transaction().execute(async (trx) => {
        const payload = taskPayload();
        await publishEvent(trx, { topic: 'project.task.deleted', companyId: COMPANY_ID, key: payload.task_id, payload, source: 'erp' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    // A committed event after it: its notification arrives, the rolled-back one's never did.
    const woken = deferred<void>();
    onNotification = (topic) => topic === 'project.task.updated' && woken.resolve();
    const payload = taskPayload({ changed_fields: ['status'] });
    await db.transaction().execute((trx) => publishEvent(trx, { topic: 'project.task.updated', companyId: COMPANY_ID, key: payload.task_id, payload, source: 'erp' }));
    await within(woken.promise, 60_000, 'the committed notification');
    expect(notifications).toEqual(['project.task.updated']);
    expect(await outboxCount()).toBe(before + 1);
  });

  it('wakes listeners for each commit, even while another publishing transaction stays open', async () => {
    const release = deferred<void>();
    const heard = (topic: string) => {
      const woken = deferred<void>();
      const previous = onNotification;
      onNotification = (payload) => {
        previous?.(payload);
        if (payload === topic) woken.resolve();
      };
      return woken.promise;
    };
    const longOneHeard = heard('project.milestone.created');
    const shortOneHeard = heard('sales.meeting.created');
    const now = new Date().toISOString();
    const milestone = {
      company_id: COMPANY_ID,
      actor_id: null,
      milestone_id: randomUUID(),
      milestone_name: 'Exams',
      description: null,
      due_date: now,
      completed_at: null,
      project_id: randomUUID(),
      project_name: 'Semester',
      created_at: now,
      updated_at: now,
    };
    const long = db.transaction().execute(async (trx) => {
      await publishEvent(trx, { topic: 'project.milestone.created', companyId: COMPANY_ID, key: milestone.milestone_id, payload: milestone, source: 'erp' });
      await release.promise;
    });
    const meeting = {
      company_id: COMPANY_ID,
      actor_id: null,
      meeting_id: randomUUID(),
      customer_name: 'Initech',
      customer_email: null,
      location: null,
      description: null,
      scheduled_at: now,
      // A meeting ends after it starts (erp-topics.ts), as scheduleSalesMeeting requires.
      end_at: new Date(Date.parse(now) + 3_600_000).toISOString(),
      owner_id: '8',
      status: 'SCHEDULED',
      cancellation_reason: null,
      created_at: now,
      updated_at: now,
    };
    await db.transaction().execute((trx) => publishEvent(trx, { topic: 'sales.meeting.created', companyId: COMPANY_ID, key: meeting.meeting_id, payload: meeting, source: 'erp' }));
    await within(shortOneHeard, 60_000, 'the short transaction’s wake-up');
    expect(notifications).not.toContain('project.milestone.created');
    release.resolve();
    await long;
    await within(longOneHeard, 60_000, 'the long transaction’s wake-up, after its commit');
  });

  it('refuses an unknown topic and explains every bad field of a payload, writing nothing', async () => {
    const before = await outboxCount();
    await expect(publishEvent(db, { topic: 'project.task.exploded', companyId: COMPANY_ID, key: 'k', payload: {}, source: 'erp' })).rejects.toThrow(
      'Unknown event topic "project.task.exploded"',
    );
    const bad = taskPayload({ task_id: 'not-a-uuid', due_date: 'tomorrow', status: 'LATE' });
    delete (bad as Record<string, unknown>).task_name;
    const error = await publishEvent(db, { topic: 'project.task.created', companyId: COMPANY_ID, key: 'k', payload: bad, source: 'erp' }).catch((e) => e);
    expect(error.name).toBe('PayloadError');
    expect(error.issues).toEqual([
      'task_id: expected a UUID, got "not-a-uuid"',
      'task_name: is required',
      'status: expected one of TODO, IN_PROGRESS, DONE, CANCELLED, got "LATE"',
      'due_date: expected an RFC 3339 date-time with offset, got "tomorrow"',
    ]);
    expect(await outboxCount()).toBe(before);
  });

  it('keeps notifications tiny, whatever the payload size', async () => {
    const woken = deferred<string>();
    onNotification = (topic) => woken.resolve(topic);
    const payload = taskPayload({ description: 'x'.repeat(50_000) });
    await db.transaction().execute((trx) => publishEvent(trx, { topic: 'project.task.created', companyId: COMPANY_ID, key: payload.task_id, payload, source: 'erp' }));
    expect(await within(woken.promise, 60_000, 'the notification')).toBe('project.task.created');
  });

  it('publishes a batch in one statement, in order, with one wake-up per topic after the commit; a bad payload writes none of it', async () => {
    const payloads = [taskPayload(), taskPayload(), taskPayload({ changed_fields: ['status'] })];
    const batch = [
      { topic: 'project.task.created', companyId: COMPANY_ID, key: payloads[0]!.task_id, payload: payloads[0]!, source: 'erp' },
      { topic: 'project.task.created', companyId: COMPANY_ID, key: payloads[1]!.task_id, payload: payloads[1]!, source: 'erp' },
      { topic: 'project.task.updated', companyId: COMPANY_ID, key: payloads[2]!.task_id, payload: payloads[2]!, source: 'erp' },
    ];
    const before = await outboxCount();
    const bad = { ...batch[1]!, payload: taskPayload({ status: 'LATE' }) };
    await expect(publishEvents(db, [batch[0]!, bad])).rejects.toThrow('status: expected one of');
    expect(await outboxCount()).toBe(before);

    notifications.length = 0;
    const woken = deferred<void>();
    onNotification = (topic) => topic === 'project.task.updated' && woken.resolve();
    const refs = await db.transaction().execute((trx) => publishEvents(trx, batch));
    await within(woken.promise, 60_000, 'the batch’s wake-up');
    expect([...notifications].sort()).toEqual(['project.task.created', 'project.task.updated']);
    const { rows } = await sql<{
      id: string;
      entity_key: string;
    }>`SELECT id, entity_key FROM events.outbox WHERE id IN (${sql.join(refs.map((ref) => ref.id))}) ORDER BY position`.execute(db);
    expect(rows.map((row) => row.entity_key)).toEqual(batch.map((event) => event.key));
    expect(rows.map((row) => row.id)).toEqual(refs.map((ref) => ref.id));
  });
});
