/**
 * The ERP's domain events: topics and payloads as erp writes them to
 * `events.outbox` (in the same transaction as the change). The payloads'
 * schemas are stated once, in platform/events/topics/erp-topics.ts, and
 * checked on publish and consume; the types here are derived from them.
 * Consumers (calendar, ...) import the types from here.
 *
 * Conventions, for every payload:
 * - Field names are Bheem Core's, in snake_case (`task_id`, `due_date`, ...).
 * - Times are ISO 8601 strings in UTC with milliseconds, e.g.
 *   `2026-01-31T09:00:00.000Z`; absent times are `null`, never omitted.
 * - ERP record ids are UUID strings. People (`assignee_id`, `owner_id`,
 *   `employee_id`, `actor_id`, `reviewed_by`) are Moodle user ids as decimal
 *   strings: the federated `User.id`.
 * - Enumerations carry the GraphQL enum values (`TODO`, `IN_PROGRESS`, ...).
 * - `company_id` equals the outbox row's `company_id`; the row's `entity_key`
 *   is the record's id (`task_id`, `milestone_id`, ...).
 * - `actor_id` is who made the change: null when the caller has no Moodle
 *   user; absent in events from outside senders (ingestion).
 * - A payload is a snapshot of the whole record after the change (for a
 *   deletion: as it was), so a consumer never needs to read back.
 * - `*.updated` payloads add `changed_fields`: the snake_case names of the
 *   fields that changed (never empty: a change of nothing publishes nothing).
 *
 * Evolution: fields may be added; a field is never removed, renamed or
 * retyped under the same topic.
 */
import type { Infer } from '../../platform/events/payload-schema.js';
import { erpTopics, type meetingFields, type milestoneFields, type projectFields, type taskFields } from '../../platform/events/topics/erp-topics.js';

/** The outbox `source` of every erp event. */
export const ERP_EVENT_SOURCE = 'erp';

/** Every erp topic with its payload type, from the topics' schemas. */
export type ErpEventPayloads = { [Topic in keyof typeof erpTopics]: Infer<(typeof erpTopics)[Topic]['schema']> };
export type ErpTopic = keyof ErpEventPayloads;

export const ERP_TOPICS = {
  projectCreated: 'project.project.created',
  projectUpdated: 'project.project.updated',
  taskCreated: 'project.task.created',
  taskUpdated: 'project.task.updated',
  taskDeleted: 'project.task.deleted',
  milestoneCreated: 'project.milestone.created',
  milestoneUpdated: 'project.milestone.updated',
  milestoneDeleted: 'project.milestone.deleted',
  meetingCreated: 'sales.meeting.created',
  meetingUpdated: 'sales.meeting.updated',
  meetingCancelled: 'sales.meeting.cancelled',
  leaveRequested: 'hr.leave.requested',
  leaveApproved: 'hr.leave.approved',
  leaveRejected: 'hr.leave.rejected',
  leaveCancelled: 'hr.leave.cancelled',
} as const satisfies Record<string, ErpTopic>;

/** `project.project.created`, `project.project.updated` (without `changed_fields`). */
export type ProjectEventPayload = ErpEventPayloads['project.project.created'];
export type ProjectField = (typeof projectFields)[number];

/** `project.task.created`, `.updated`, `.deleted`. Calendar: a TASK_DEADLINE on `due_date` (all day) when not null. */
export type TaskEventPayload = ErpEventPayloads['project.task.created'];
export type TaskField = (typeof taskFields)[number];

/** `project.milestone.created`, `.updated`, `.deleted`. Calendar: a MILESTONE on `due_date`. */
export type MilestoneEventPayload = ErpEventPayloads['project.milestone.created'];
export type MilestoneField = (typeof milestoneFields)[number];

/** `sales.meeting.created`, `.updated`, `.cancelled`. Calendar: a MEETING from `scheduled_at` to `end_at`; `owner_id` is its organizer. */
export type MeetingEventPayload = ErpEventPayloads['sales.meeting.created'];
export type MeetingField = (typeof meetingFields)[number];

/**
 * `hr.leave.requested`, `.approved`, `.rejected`. Calendar: a LEAVE from
 * `start_date` to `end_date` (exclusive) once approved, removed when
 * cancelled (`hr.leave.cancelled` adds `previous_status`).
 */
export type LeaveEventPayload = ErpEventPayloads['hr.leave.requested'];
export type LeaveCancelledPayload = ErpEventPayloads['hr.leave.cancelled'];

/** Type guard for consumers reading `events.outbox` rows. */
export function isErpTopic(topic: string): topic is ErpTopic {
  return Object.hasOwn(erpTopics, topic);
}
