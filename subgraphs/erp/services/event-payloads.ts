/** Records as event payloads (the contract in ../events.ts): snake_case, ISO 8601 times. */
import type {
  LeaveEventPayload,
  MeetingEventPayload,
  MeetingField,
  MilestoneEventPayload,
  MilestoneField,
  ProjectEventPayload,
  ProjectField,
  TaskEventPayload,
  TaskField,
} from '../events.js';
import type { LeaveRequestModel, MilestoneModel, ProjectModel, SalesMeetingModel, TaskModel } from '../models.js';

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

export function projectPayload(project: ProjectModel, actorId: string | null): ProjectEventPayload {
  return {
    company_id: project.companyId,
    actor_id: actorId,
    project_id: project.id,
    project_name: project.name,
    description: project.description,
    status: project.status,
    start_date: isoOrNull(project.startDate),
    due_date: isoOrNull(project.dueDate),
    course_id: project.courseId,
    created_at: iso(project.createdAt),
    updated_at: iso(project.updatedAt),
  };
}

export function taskPayload(task: TaskModel, project: Pick<ProjectModel, 'name'>, actorId: string | null): TaskEventPayload {
  return {
    company_id: task.companyId,
    actor_id: actorId,
    task_id: task.id,
    task_name: task.title,
    description: task.description,
    status: task.status,
    due_date: isoOrNull(task.dueDate),
    project_id: task.projectId,
    project_name: project.name,
    assignee_id: task.assigneeId,
    created_at: iso(task.createdAt),
    updated_at: iso(task.updatedAt),
  };
}

export function milestonePayload(milestone: MilestoneModel, project: Pick<ProjectModel, 'name'>, actorId: string | null): MilestoneEventPayload {
  return {
    company_id: milestone.companyId,
    actor_id: actorId,
    milestone_id: milestone.id,
    milestone_name: milestone.name,
    description: milestone.description,
    due_date: iso(milestone.dueDate),
    completed_at: isoOrNull(milestone.completedAt),
    project_id: milestone.projectId,
    project_name: project.name,
    created_at: iso(milestone.createdAt),
    updated_at: iso(milestone.updatedAt),
  };
}

export function meetingPayload(meeting: SalesMeetingModel, actorId: string | null): MeetingEventPayload {
  return {
    company_id: meeting.companyId,
    actor_id: actorId,
    meeting_id: meeting.id,
    customer_name: meeting.customerName,
    customer_email: meeting.customerEmail,
    location: meeting.location,
    description: meeting.description,
    scheduled_at: iso(meeting.scheduledAt),
    end_at: iso(meeting.endAt),
    owner_id: meeting.ownerId,
    status: meeting.status,
    cancellation_reason: meeting.cancellationReason,
    created_at: iso(meeting.createdAt),
    updated_at: iso(meeting.updatedAt),
  };
}

export function leavePayload(leave: LeaveRequestModel, actorId: string | null): LeaveEventPayload {
  return {
    company_id: leave.companyId,
    actor_id: actorId,
    leave_id: leave.id,
    employee_id: leave.employeeId,
    start_date: iso(leave.startDate),
    end_date: iso(leave.endDate),
    status: leave.status,
    leave_type: leave.leaveType,
    reason: leave.reason,
    reviewed_by: leave.reviewedBy,
    reviewed_at: isoOrNull(leave.reviewedAt),
    review_comment: leave.reviewComment,
    created_at: iso(leave.createdAt),
    updated_at: iso(leave.updatedAt),
  };
}

/** Model field → payload field, for `changed_fields`. */
export const PROJECT_FIELDS: Record<'name' | 'description' | 'status' | 'startDate' | 'dueDate' | 'courseId', ProjectField> = {
  name: 'project_name',
  description: 'description',
  status: 'status',
  startDate: 'start_date',
  dueDate: 'due_date',
  courseId: 'course_id',
};

export const TASK_FIELDS: Record<'title' | 'description' | 'status' | 'dueDate' | 'projectId' | 'assigneeId', TaskField> = {
  title: 'task_name',
  description: 'description',
  status: 'status',
  dueDate: 'due_date',
  projectId: 'project_id',
  assigneeId: 'assignee_id',
};

export const MILESTONE_FIELDS: Record<'name' | 'description' | 'dueDate' | 'completedAt', MilestoneField> = {
  name: 'milestone_name',
  description: 'description',
  dueDate: 'due_date',
  completedAt: 'completed_at',
};

export const MEETING_FIELDS: Record<'customerName' | 'customerEmail' | 'location' | 'description' | 'scheduledAt' | 'endAt' | 'ownerId' | 'status', MeetingField> = {
  customerName: 'customer_name',
  customerEmail: 'customer_email',
  location: 'location',
  description: 'description',
  scheduledAt: 'scheduled_at',
  endAt: 'end_at',
  ownerId: 'owner_id',
  status: 'status',
};
