/**
 * The ERP's domain events: topics and payloads as erp writes them to
 * `events.outbox` (in the same transaction as the change). This file is a
 * contract for consumers (calendar, ...): import the types from here.
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
 * - `actor_id` is who made the change (null when the caller has no Moodle user).
 * - A payload is a snapshot of the whole record after the change (for a
 *   deletion: as it was), so a consumer never needs to read back.
 * - `*.updated` payloads add `changed_fields`: the snake_case names of the
 *   fields that changed (never empty: a change of nothing publishes nothing).
 *
 * Evolution: fields may be added; a field is never removed, renamed or
 * retyped under the same topic.
 */
import type {
  LeaveStatusName,
  LeaveTypeName,
  ProjectStatusName,
  SalesMeetingStatusName,
  TaskStatusName,
} from './models.js';

/** The outbox `source` of every erp event. */
export const ERP_EVENT_SOURCE = 'erp';

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
} as const;

export type ErpTopic = (typeof ERP_TOPICS)[keyof typeof ERP_TOPICS];

/** Fields every erp payload carries. */
export interface ErpEventBase {
  company_id: string;
  /** Moodle user id of who made the change; null for callers without one (services). */
  actor_id: string | null;
}

/** Added to every `*.updated` payload. */
export interface ChangedFields<Field extends string> {
  /** snake_case names of the fields whose value changed; never empty. */
  changed_fields: Field[];
}

/** `project.project.created`, `project.project.updated`. */
export interface ProjectEventPayload extends ErpEventBase {
  project_id: string;
  project_name: string;
  description: string | null;
  status: ProjectStatusName;
  start_date: string | null;
  due_date: string | null;
  created_at: string;
  updated_at: string;
}
export type ProjectField = 'project_name' | 'description' | 'status' | 'start_date' | 'due_date';

/** `project.task.created`, `.updated`, `.deleted`. Calendar: a TASK_DEADLINE on `due_date` (all day) when not null. */
export interface TaskEventPayload extends ErpEventBase {
  task_id: string;
  /** The task's title. */
  task_name: string;
  description: string | null;
  status: TaskStatusName;
  due_date: string | null;
  project_id: string;
  project_name: string;
  assignee_id: string | null;
  created_at: string;
  updated_at: string;
}
export type TaskField = 'task_name' | 'description' | 'status' | 'due_date' | 'project_id' | 'assignee_id';

/** `project.milestone.created`, `.updated`, `.deleted`. Calendar: a MILESTONE on `due_date`. */
export interface MilestoneEventPayload extends ErpEventBase {
  milestone_id: string;
  milestone_name: string;
  description: string | null;
  due_date: string;
  completed_at: string | null;
  project_id: string;
  project_name: string;
  created_at: string;
  updated_at: string;
}
export type MilestoneField = 'milestone_name' | 'description' | 'due_date' | 'completed_at';

/** `sales.meeting.created`, `.updated`, `.cancelled`. Calendar: a MEETING from `scheduled_at` to `end_at`. */
export interface MeetingEventPayload extends ErpEventBase {
  meeting_id: string;
  customer_name: string;
  customer_email: string | null;
  location: string | null;
  description: string | null;
  scheduled_at: string;
  end_at: string;
  /** The responsible salesperson (the event's organizer). */
  owner_id: string | null;
  status: SalesMeetingStatusName;
  /** Set by `sales.meeting.cancelled` when the canceller gave one. */
  cancellation_reason: string | null;
  created_at: string;
  updated_at: string;
}
export type MeetingField =
  | 'customer_name'
  | 'customer_email'
  | 'location'
  | 'description'
  | 'scheduled_at'
  | 'end_at'
  | 'owner_id'
  | 'status';

/**
 * `hr.leave.requested`, `.approved`, `.rejected`, `.cancelled`. Calendar: a
 * LEAVE from `start_date` to `end_date` (exclusive) once approved, removed
 * when cancelled.
 */
export interface LeaveEventPayload extends ErpEventBase {
  leave_id: string;
  employee_id: string;
  start_date: string;
  /** Exclusive end. */
  end_date: string;
  status: LeaveStatusName;
  leave_type: LeaveTypeName;
  reason: string | null;
  /** Who approved or rejected (null while pending). */
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_comment: string | null;
  created_at: string;
  updated_at: string;
}

export interface LeaveCancelledPayload extends LeaveEventPayload {
  /** The status before the cancellation: PENDING or APPROVED (only then was it on calendars). */
  previous_status: 'PENDING' | 'APPROVED';
}

/** Every erp topic with its payload type. */
export interface ErpEventPayloads {
  'project.project.created': ProjectEventPayload;
  'project.project.updated': ProjectEventPayload & ChangedFields<ProjectField>;
  'project.task.created': TaskEventPayload;
  'project.task.updated': TaskEventPayload & ChangedFields<TaskField>;
  'project.task.deleted': TaskEventPayload;
  'project.milestone.created': MilestoneEventPayload;
  'project.milestone.updated': MilestoneEventPayload & ChangedFields<MilestoneField>;
  'project.milestone.deleted': MilestoneEventPayload;
  'sales.meeting.created': MeetingEventPayload;
  'sales.meeting.updated': MeetingEventPayload & ChangedFields<MeetingField>;
  'sales.meeting.cancelled': MeetingEventPayload;
  'hr.leave.requested': LeaveEventPayload;
  'hr.leave.approved': LeaveEventPayload;
  'hr.leave.rejected': LeaveEventPayload;
  'hr.leave.cancelled': LeaveCancelledPayload;
}

/** Type guard for consumers reading `events.outbox` rows. */
export function isErpTopic(topic: string): topic is ErpTopic {
  return (Object.values(ERP_TOPICS) as string[]).includes(topic);
}
