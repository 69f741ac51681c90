/**
 * Bheem Core's events (POST /events/ingest) speak for a company of the ERP:
 * one the ERP does not know (no row in erp.companies) is refused at the door
 * for every ERP topic, 422 UNKNOWN_COMPANY, publishing nothing, so no
 * consumer mirrors a record (a task with no assignee, a milestone) of a
 * company nobody can sign in to. Bheem Core keeps the event and may send it
 * again, under the same id, once the company exists.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCompanyId } from '../../../platform/demo/demo-ids.js';
import { erpTopics } from '../../../platform/events/topics/erp-topics.js';
import { leavePayload, milestonePayload, projectPayload, salesMeetingPayload, taskPayload } from '../../../test/support/erp-event-payloads.js';
import { postCoreEvent } from '../../../test/support/core-ingest.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['erp'], gateway: false });
});
afterAll(async () => {
  await platform?.stop();
});

/** A valid payload of each ERP record, for `companyId`. */
function recordOf(topic: string, companyId: string): Record<string, unknown> {
  const [domain, kind, change] = topic.split('.') as [string, string, string];
  const changes = (field: string, more: Record<string, unknown> = {}) => ({
    company_id: companyId,
    ...more,
    ...(change === 'updated' ? { changed_fields: [field] } : {}),
  });
  switch (`${domain}.${kind}`) {
    case 'project.project':
      return projectPayload(randomUUID(), changes('status'));
    case 'project.task':
      return taskPayload(randomUUID(), changes('status'));
    case 'project.milestone':
      return milestonePayload(randomUUID(), changes('due_date'));
    case 'sales.meeting':
      return salesMeetingPayload(randomUUID(), changes('location', { status: change === 'cancelled' ? 'CANCELLED' : 'SCHEDULED' }));
    case 'hr.leave':
      return leavePayload(
        randomUUID(),
        changes('status', {
          status: { requested: 'PENDING', approved: 'APPROVED', rejected: 'REJECTED', cancelled: 'CANCELLED' }[change],
          ...(change === 'cancelled' ? { previous_status: 'APPROVED' } : {}),
        }),
      );
    default:
      throw new Error(`no payload for ${topic}`);
  }
}

/** Bheem Core's event of `topic` with `payload`, for the payload's company; `id` to send one again. */
const ingest = (topic: string, payload: Record<string, unknown>, id?: string) => postCoreEvent(platform, topic, payload, id);

const published = async (companyId: string) =>
  Number((await sql<{ n: string }>`SELECT count(*) AS n FROM events.outbox WHERE company_id = ${companyId}`.execute(platform.db)).rows[0]!.n);

describe('ingested events of a company the ERP does not know', () => {
  it('refuses every ERP topic with 422 UNKNOWN_COMPANY and publishes nothing', async () => {
    const stranger = randomUUID();
    const topics = Object.keys(erpTopics);
    expect(topics.length).toBeGreaterThanOrEqual(15);
    for (const topic of topics) {
      const answer = await ingest(topic, recordOf(topic, stranger));
      expect({ topic, ...answer }).toMatchObject({ topic, status: 422, body: { error: { code: 'UNKNOWN_COMPANY' } } });
      expect(answer.body.error.message).toContain(stranger);
    }
    expect(await published(stranger)).toBe(0);
  });

  it('accepts the same events for a company it knows', async () => {
    const bheem = demoCompanyId('bheem');
    const before = await published(bheem);
    for (const topic of Object.keys(erpTopics)) expect({ topic, status: (await ingest(topic, recordOf(topic, bheem))).status }).toEqual({ topic, status: 202 });
    expect(await published(bheem)).toBe(before + Object.keys(erpTopics).length);
  });

  it('lets the sender retry a refused event under the same id once the company exists', async () => {
    const newcomer = randomUUID();
    const id = `core-${randomUUID()}`;
    const task = recordOf('project.task.created', newcomer);
    expect((await ingest('project.task.created', task, id)).status).toBe(422);
    await sql`INSERT INTO erp.companies (id, name) VALUES (${newcomer}, 'Newcomer Ltd')`.execute(platform.db);
    expect((await ingest('project.task.created', task, id)).status).toBe(202);
    expect(await published(newcomer)).toBe(1);
  });
});
