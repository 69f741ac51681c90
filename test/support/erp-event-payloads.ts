/**
 * Payloads of the ERP's domain events (the fields
 * platform/events/topics/erp-topics.ts defines), for Bheem's demo company:
 * a test names the record and what differs from these (another company:
 * `{ company_id }`). The calendar's tests feed them to its consumer, the
 * ERP's post them to /events/ingest (test/support/core-ingest.ts).
 */
import { randomUUID } from 'node:crypto';
import { demoCompanyId } from '../../platform/demo/demo-ids.js';

const bheem = demoCompanyId('bheem');
export const stamp = '2026-05-01T10:00:00.000Z';

/** A record of Bheem's as every ERP payload carries it: the company, its own fields, the times it was written, then what a test changes. */
const ofBheem = (fields: Record<string, unknown>, changes: Record<string, unknown>) => ({
  company_id: bheem,
  ...fields,
  created_at: stamp,
  updated_at: stamp,
  ...changes,
});

export function projectPayload(projectId: string, changes: Record<string, unknown> = {}) {
  return ofBheem(
    {
      project_id: projectId,
      project_name: 'Site',
      description: null,
      status: 'ACTIVE',
      start_date: null,
      due_date: null,
    },
    changes,
  );
}

export function taskPayload(taskId: string, changes: Record<string, unknown> = {}) {
  return ofBheem(
    {
      actor_id: '8',
      task_id: taskId,
      task_name: 'Write the report',
      description: null,
      status: 'TODO',
      due_date: '2026-05-20T15:00:00.000Z',
      project_id: randomUUID(),
      project_name: 'Reports',
      assignee_id: '9',
    },
    changes,
  );
}

export function milestonePayload(milestoneId: string, changes: Record<string, unknown> = {}) {
  return ofBheem(
    {
      milestone_id: milestoneId,
      milestone_name: 'Beta',
      description: null,
      due_date: '2026-06-30T18:30:00.000Z',
      completed_at: null,
      project_id: randomUUID(),
      project_name: 'Site',
    },
    changes,
  );
}

/** Maya's meeting with Initech, an hour long. */
export function salesMeetingPayload(meetingId: string, changes: Record<string, unknown> = {}) {
  return ofBheem(
    {
      actor_id: '8',
      meeting_id: meetingId,
      customer_name: 'Initech',
      customer_email: null,
      location: null,
      description: null,
      scheduled_at: '2026-05-20T09:00:00.000Z',
      end_at: '2026-05-20T10:00:00.000Z',
      owner_id: '8',
      status: 'SCHEDULED',
      cancellation_reason: null,
    },
    changes,
  );
}

/** Emil's approved annual leave. */
export function leavePayload(leaveId: string, changes: Record<string, unknown> = {}) {
  return ofBheem(
    {
      leave_id: leaveId,
      employee_id: '9',
      start_date: '2026-08-02T18:30:00.000Z',
      end_date: '2026-08-05T18:30:00.000Z',
      status: 'APPROVED',
      leave_type: 'ANNUAL',
      reason: null,
      reviewed_by: '8',
      reviewed_at: stamp,
      review_comment: null,
    },
    changes,
  );
}
