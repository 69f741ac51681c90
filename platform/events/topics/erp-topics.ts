/**
 * The ERP's topics (Bheem Core's names) and their payloads: the one
 * statement of the contract, checked on publish and consume; the payload
 * types of subgraphs/erp/events.ts are derived from it. Bheem Core's own
 * event bus feeds the same topics through the ingestion endpoint, so both
 * producers meet one schema. Every payload is a snapshot of the record
 * after the change.
 */
import { array, dateTime, decimalId, extend, nullable, object, oneOf, optional, spanning, string, uuid, type Schema } from '../payload-schema.js';
import { defineTopic } from '../topic-registry.js';

const base = {
  company_id: uuid(),
  /** Moodle user id of who made the change; absent or null for service callers (and outside senders). */
  actor_id: optional(decimalId()),
};

const changedFields = <const Fields extends readonly string[]>(fields: Fields) => ({
  changed_fields: array(oneOf(fields), { minItems: 1 }),
});

const project = object({
  ...base,
  project_id: uuid(),
  project_name: string({ minLength: 1 }),
  description: nullable(string()),
  status: oneOf(['PLANNED', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CANCELLED']),
  start_date: nullable(dateTime()),
  due_date: nullable(dateTime()),
  /** The Academy course (Moodle course id) the project is linked to; absent in events of before the link existed. */
  course_id: optional(nullable(decimalId())),
  created_at: dateTime(),
  updated_at: dateTime(),
});

const task = object({
  ...base,
  task_id: uuid(),
  task_name: string({ minLength: 1 }),
  description: nullable(string()),
  status: oneOf(['TODO', 'IN_PROGRESS', 'DONE', 'CANCELLED']),
  due_date: nullable(dateTime()),
  project_id: uuid(),
  project_name: string(),
  assignee_id: nullable(decimalId()),
  created_at: dateTime(),
  updated_at: dateTime(),
});

const milestone = object({
  ...base,
  milestone_id: uuid(),
  milestone_name: string({ minLength: 1 }),
  description: nullable(string()),
  due_date: dateTime(),
  completed_at: nullable(dateTime()),
  project_id: uuid(),
  project_name: string(),
  created_at: dateTime(),
  updated_at: dateTime(),
});

const meeting = object({
  ...base,
  meeting_id: uuid(),
  customer_name: string({ minLength: 1 }),
  customer_email: nullable(string()),
  location: nullable(string()),
  description: nullable(string()),
  scheduled_at: dateTime(),
  end_at: dateTime(),
  owner_id: nullable(decimalId()),
  status: oneOf(['SCHEDULED', 'COMPLETED', 'CANCELLED']),
  cancellation_reason: nullable(string()),
  created_at: dateTime(),
  updated_at: dateTime(),
});

const leave = object({
  ...base,
  leave_id: uuid(),
  employee_id: decimalId(),
  start_date: dateTime(),
  /** Exclusive end. */
  end_date: dateTime(),
  status: oneOf(['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED']),
  leave_type: oneOf(['ANNUAL', 'SICK', 'UNPAID', 'PARENTAL', 'OTHER']),
  reason: nullable(string()),
  reviewed_by: nullable(decimalId()),
  reviewed_at: nullable(dateTime()),
  review_comment: nullable(string()),
  created_at: dateTime(),
  updated_at: dateTime(),
});

export const projectFields = ['project_name', 'description', 'status', 'start_date', 'due_date', 'course_id'] as const;
export const taskFields = ['task_name', 'description', 'status', 'due_date', 'project_id', 'assignee_id'] as const;
export const milestoneFields = ['milestone_name', 'description', 'due_date', 'completed_at'] as const;
export const meetingFields = ['customer_name', 'customer_email', 'location', 'description', 'scheduled_at', 'end_at', 'owner_id', 'status'] as const;

/** A record's `.updated` topic: its snapshot after the change (`schema` with changedFields), changed_fields naming what changed. */
const updatedTopic = <Payload>(name: string, schema: Schema<Payload>, keyOf: (payload: Payload) => string, what: string) =>
  defineTopic(name, { schema, keyOf, description: `${what} changed; changed_fields names what changed.` });

/**
 * A meeting scheduled or changed, leave requested or approved: it ends after it starts and at most
 * MAX_SPAN_DAYS later, as the ERP's mutations allow (platform/date-time.ts); an ingested one that does
 * not is refused (422), never put on calendars. Cancellations and rejections only take things off.
 */
const scheduledMeeting = spanning(meeting, 'scheduled_at', 'end_at');
const changedMeeting = spanning(extend(meeting, changedFields(meetingFields)), 'scheduled_at', 'end_at');
const plannedLeave = spanning(leave, 'start_date', 'end_date');

const projectKey = (p: { project_id: string }) => p.project_id;
const taskKey = (p: { task_id: string }) => p.task_id;
const milestoneKey = (p: { milestone_id: string }) => p.milestone_id;
const meetingKey = (p: { meeting_id: string }) => p.meeting_id;
const leaveKey = (p: { leave_id: string }) => p.leave_id;

export const erpTopics = {
  'project.project.created': defineTopic('project.project.created', { schema: project, keyOf: projectKey, description: 'A project was created.' }),
  'project.project.updated': updatedTopic('project.project.updated', extend(project, changedFields(projectFields)), projectKey, 'A project'),
  'project.task.created': defineTopic('project.task.created', { schema: task, keyOf: taskKey, description: 'A task was created.' }),
  'project.task.updated': updatedTopic('project.task.updated', extend(task, changedFields(taskFields)), taskKey, 'A task'),
  'project.task.deleted': defineTopic('project.task.deleted', { schema: task, keyOf: taskKey, description: 'A task was deleted (payload: as it was).' }),
  'project.milestone.created': defineTopic('project.milestone.created', { schema: milestone, keyOf: milestoneKey, description: 'A milestone was created.' }),
  'project.milestone.updated': updatedTopic('project.milestone.updated', extend(milestone, changedFields(milestoneFields)), milestoneKey, 'A milestone'),
  'project.milestone.deleted': defineTopic('project.milestone.deleted', { schema: milestone, keyOf: milestoneKey, description: 'A milestone was deleted (payload: as it was).' }),
  'sales.meeting.created': defineTopic('sales.meeting.created', { schema: scheduledMeeting, keyOf: meetingKey, description: 'A sales meeting was scheduled.' }),
  'sales.meeting.updated': updatedTopic('sales.meeting.updated', changedMeeting, meetingKey, 'A sales meeting'),
  'sales.meeting.cancelled': defineTopic('sales.meeting.cancelled', { schema: meeting, keyOf: meetingKey, description: 'A sales meeting was cancelled.' }),
  'hr.leave.requested': defineTopic('hr.leave.requested', { schema: plannedLeave, keyOf: leaveKey, description: 'An employee requested leave.' }),
  'hr.leave.approved': defineTopic('hr.leave.approved', { schema: plannedLeave, keyOf: leaveKey, description: 'A leave request was approved.' }),
  'hr.leave.rejected': defineTopic('hr.leave.rejected', { schema: leave, keyOf: leaveKey, description: 'A leave request was rejected.' }),
  'hr.leave.cancelled': defineTopic('hr.leave.cancelled', {
    schema: extend(leave, { previous_status: oneOf(['PENDING', 'APPROVED']) }),
    keyOf: leaveKey,
    description: 'A leave request was cancelled; previous_status says whether it was on calendars.',
  }),
};
