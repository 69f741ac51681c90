/**
 * The calendar's side of the event backbone: records of other domains
 * (tasks, milestones, sales meetings, leave, live classes) mirrored as
 * calendar events. Idempotent: an event handled twice leaves one calendar
 * event, unchanged the second time (see source-event-writes.ts).
 *
 * Live classes get the course's teachers and students as participants,
 * asked of academy with a service identity of the event's company; leave is
 * titled with the person's name, asked the same way. A person an event names
 * (assignee, meeting owner, employee on leave, class host) must be a user of
 * the event's company, as through GraphQL, where naming anyone else is
 * refused: an event naming someone else is refused whole (EventRejected, a
 * dead letter saying who), and the calendar keeps what it had. People the
 * mirrored event already names pass unasked (a user who left since does not
 * block the next change of the record). Dates are read in the
 * company's time zone (see source-dates.ts): a deadline keeps its time unless
 * the record gives a date only. ERP records are mirrored newest version
 * first: an event older than what was seen is ignored (source-versions.ts).
 */
import type { Transaction } from 'kysely';
import type { PlatformConfig } from '../../../platform/config.js';
import type { EventHandlers } from '../../../platform/events/event-consumer.js';
import { EventRejected } from '../../../platform/events/handle-event.js';
import { CourseAccess, type CourseParticipants } from '../../../platform/federation/course-access.js';
import { serviceViewer } from '../../../platform/federation/subgraph-call.js';
import type { TopicName, TopicPayload } from '../../../platform/events/topics/index.js';
import type { CalendarDatabase } from '../database.js';
import type { NewParticipant } from '../repositories/event-writes.js';
import { acceptSourceVersion } from '../repositories/source-versions.js';
import { cancelSourceEvent, findSourceEventTitle, sourceEventUserIds, upsertSourceEvent, type SourceKey } from '../repositories/source-event-writes.js';
import { publishCalendarChange } from './calendar-change-events.js';
import { companyTimeZone } from '../repositories/company-settings-repository.js';
import { draftToRow, type EventDraft } from './event-draft.js';
import { companyDays, deadlineTimes } from './source-dates.js';
import { academyCompanyOutsiders, type CompanyOutsiders } from './user-directory.js';
import { academyUserName, type UserNameLookup } from './user-names.js';

/** What a handler sees of a published event. */
export interface DomainEventInput<T extends TopicName = TopicName> {
  topic: T;
  companyId: string;
  payload: TopicPayload<T>;
}

export interface DomainEventDeps {
  /** Teachers and students of a course (academy), for live class participants. */
  courseParticipants: (companyId: string, courseId: string) => Promise<CourseParticipants | null>;
  /** A user's full name (academy), for leave titles. */
  userName: UserNameLookup;
  /** Of some user ids, those that are not users of the company (academy). */
  outsiders: CompanyOutsiders;
}

export function academyCourseParticipants(config: PlatformConfig): DomainEventDeps['courseParticipants'] {
  return (companyId, courseId) => new CourseAccess(config, serviceViewer('calendar', companyId)).participants(courseId);
}

/** What the handlers ask of academy, as the calendar service of the event's company. */
export function academyDomainEventDeps(config: PlatformConfig): DomainEventDeps {
  return { courseParticipants: academyCourseParticipants(config), userName: academyUserName(config), outsiders: academyCompanyOutsiders(config) };
}

/** The topics the calendar follows. */
export const CALENDAR_TOPICS = [
  'project.task.created',
  'project.task.updated',
  'project.task.deleted',
  'project.milestone.created',
  'project.milestone.updated',
  'project.milestone.deleted',
  'sales.meeting.created',
  'sales.meeting.updated',
  'sales.meeting.cancelled',
  'hr.leave.approved',
  'hr.leave.rejected',
  'hr.leave.cancelled',
  'meet.class.scheduled',
  'meet.class.updated',
  'meet.class.cancelled',
] as const satisfies readonly TopicName[];

type Trx = Transaction<CalendarDatabase>;
const date = (value: string) => new Date(value);

/**
 * Refuses the event when it names a user (participant or organizer) who is not one of its company's;
 * `vouched` ids come from academy's own answers for the company, and ids the mirrored event already names pass.
 */
async function requireCompanyPeople(trx: Trx, draft: EventDraft, participants: NewParticipant[], deps: DomainEventDeps, vouched: readonly string[]): Promise<void> {
  const named = new Set(participants.flatMap((p) => (p.userId ? [p.userId] : [])));
  if (draft.organizerId) named.add(draft.organizerId);
  for (const id of vouched) named.delete(id);
  if (named.size === 0) return;
  const key: SourceKey = { companyId: draft.companyId, sourceModule: draft.sourceModule!, entityType: draft.entityType!, entityId: draft.entityId! };
  for (const id of await sourceEventUserIds(trx, key)) named.delete(id);
  if (named.size === 0) return;
  const outsiders = await deps.outsiders(draft.companyId, [...named]);
  if (outsiders.length === 0) return;
  const who = outsiders.map((id) => `user ${JSON.stringify(id)}`).join(', ');
  throw new EventRejected(
    `${who} ${outsiders.length === 1 ? 'is not a user' : 'are not users'} of the event\u2019s company (${draft.companyId}): not mirrored, as GraphQL refuses naming them`,
  );
}

/** Mirrors a record and announces the change (a redelivered, unchanged record announces nothing). */
async function mirror(trx: Trx, draft: EventDraft, participants: NewParticipant[], deps: DomainEventDeps, vouched: readonly string[] = []): Promise<void> {
  await requireCompanyPeople(trx, draft, participants, deps, vouched);
  const { id, change } = await upsertSourceEvent(trx, draftToRow(draft), participants);
  if (change) await publishCalendarChange(trx, draft.companyId, id, change);
}

async function cancel(trx: Trx, key: SourceKey): Promise<void> {
  const id = await cancelSourceEvent(trx, key);
  if (id) await publishCalendarChange(trx, key.companyId, id, 'updated');
}

/** A task as its deadline event: done tasks stay on the calendar, marked done. */
export function taskDraft(key: SourceKey, p: TaskFields, zone: string): EventDraft {
  const completed = p.status === 'DONE';
  return {
    ...source(key),
    ...deadlineTimes(date(p.due_date!), zone),
    title: `${completed ? 'Done' : 'Due'}: ${p.task_name}`,
    description: p.description,
    eventType: 'TASK_DEADLINE',
    completed,
    metadata: { projectId: p.project_id, projectName: p.project_name, status: p.status },
  };
}

/** A milestone as its event: reached once it has a completion date. */
export function milestoneDraft(key: SourceKey, p: MilestoneFields, zone: string): EventDraft {
  const completed = !!p.completed_at;
  return {
    ...source(key),
    ...deadlineTimes(date(p.due_date), zone),
    title: `${completed ? 'Milestone reached' : 'Milestone'}: ${p.milestone_name}`,
    description: p.description,
    eventType: 'MILESTONE',
    completed,
    metadata: { projectId: p.project_id, projectName: p.project_name, completedAt: p.completed_at },
  };
}

/** Approved leave over whole company-zone days, titled with who is away. */
export function leaveDraft(key: SourceKey, p: LeaveFields, zone: string, name: string | null): EventDraft {
  return {
    ...source(key),
    ...companyDays(date(p.start_date), date(p.end_date), zone),
    title: name ? `${name} on leave` : 'On leave',
    eventType: 'LEAVE',
    organizerId: p.employee_id,
    metadata: { leaveType: p.leave_type },
  };
}

/** A sales meeting at the instants the ERP holds, with the customer as an outside participant. */
export function meetingDraft(key: SourceKey, p: MeetingFields): EventDraft {
  return {
    ...source(key),
    title: `Meeting: ${p.customer_name}`,
    description: p.description,
    location: p.location,
    start: date(p.scheduled_at),
    end: date(p.end_at),
    eventType: 'MEETING',
    organizerId: p.owner_id,
  };
}

type TaskFields = Pick<TopicPayload<'project.task.created'>, 'task_name' | 'description' | 'status' | 'due_date' | 'project_id' | 'project_name'>;
type MilestoneFields = Pick<TopicPayload<'project.milestone.created'>, 'milestone_name' | 'description' | 'due_date' | 'completed_at' | 'project_id' | 'project_name'>;
type LeaveFields = Pick<TopicPayload<'hr.leave.approved'>, 'employee_id' | 'start_date' | 'end_date' | 'leave_type'>;
type MeetingFields = Pick<TopicPayload<'sales.meeting.created'>, 'customer_name' | 'description' | 'location' | 'scheduled_at' | 'end_at' | 'owner_id'>;

/**
 * Whether this version of a mirrored ERP record is to be written: false for one older than a version seen
 * (source-versions.ts), and for a removal, which is applied here.
 */
async function updateToWrite(trx: Trx, key: SourceKey, updatedAt: string, removes: boolean): Promise<boolean> {
  if (!(await acceptSourceVersion(trx, key, date(updatedAt), removes))) return false;
  if (removes) await cancel(trx, key);
  return !removes;
}

async function onTask(trx: Trx, companyId: string, p: TopicPayload<'project.task.created'>, deleted: boolean, deps: DomainEventDeps) {
  const key: SourceKey = { companyId, sourceModule: 'project', entityType: 'task', entityId: p.task_id };
  if (!(await updateToWrite(trx, key, p.updated_at, deleted || !p.due_date || p.status === 'CANCELLED'))) return;
  await mirror(trx, taskDraft(key, p, await companyTimeZone(trx, companyId)), p.assignee_id ? [{ userId: p.assignee_id, status: 'ACCEPTED' }] : [], deps);
}

async function onMilestone(trx: Trx, companyId: string, p: TopicPayload<'project.milestone.created'>, deleted: boolean, deps: DomainEventDeps) {
  const key: SourceKey = { companyId, sourceModule: 'project', entityType: 'milestone', entityId: p.milestone_id };
  if (!(await updateToWrite(trx, key, p.updated_at, deleted))) return;
  await mirror(trx, milestoneDraft(key, p, await companyTimeZone(trx, companyId)), [], deps);
}

async function onMeeting(trx: Trx, companyId: string, p: TopicPayload<'sales.meeting.created'>, cancelled: boolean, deps: DomainEventDeps) {
  const key: SourceKey = { companyId, sourceModule: 'sales', entityType: 'meeting', entityId: p.meeting_id };
  if (!(await updateToWrite(trx, key, p.updated_at, cancelled || p.status === 'CANCELLED'))) return;
  const participants: NewParticipant[] = [
    ...(p.owner_id ? [{ userId: p.owner_id, isOrganizer: true, status: 'ACCEPTED' as const }] : []),
    { externalEmail: p.customer_email, externalName: p.customer_name },
  ];
  await mirror(trx, meetingDraft(key, p), participants, deps);
}

async function onLeave(trx: Trx, companyId: string, p: TopicPayload<'hr.leave.approved'>, deps: DomainEventDeps) {
  const key: SourceKey = { companyId, sourceModule: 'hr', entityType: 'leave', entityId: p.leave_id };
  if (!(await updateToWrite(trx, key, p.updated_at, p.status !== 'APPROVED'))) return;
  const name = await deps.userName(companyId, p.employee_id);
  await mirror(trx, leaveDraft(key, p, await companyTimeZone(trx, companyId), name), [{ userId: p.employee_id, isOrganizer: true, status: 'ACCEPTED' }], deps);
}

async function onLiveClass(trx: Trx, companyId: string, p: TopicPayload<'meet.class.scheduled'>, cancelled: boolean, deps: DomainEventDeps) {
  const key: SourceKey = { companyId, sourceModule: 'meet', entityType: 'live_class', entityId: p.live_class_id };
  if (cancelled || p.status === 'CANCELLED') return cancel(trx, key);
  // An update may carry only what changed: keep what the calendar already knows.
  const known = await findSourceEventTitle(trx, key);
  const start = p.scheduled_at ? date(p.scheduled_at) : known?.start;
  if (!start) return;
  const minutes = p.duration_minutes ?? (known?.end ? (known.end.getTime() - known.start.getTime()) / 60_000 : 60);
  const course = await deps.courseParticipants(companyId, p.course_id);
  const host = p.host_user_id ?? null;
  const participants: NewParticipant[] = [
    ...(course?.teachers ?? []).map((t) => ({ userId: t.id, isOrganizer: t.id === host, status: t.id === host ? ('ACCEPTED' as const) : ('PENDING' as const) })),
    ...(course?.students ?? []).map((s) => ({ userId: s.id })),
  ];
  if (host && !participants.some((x) => x.userId === host)) participants.unshift({ userId: host, isOrganizer: true, status: 'ACCEPTED' });
  await mirror(
    trx,
    {
      ...source(key),
      title: p.title ?? known?.title ?? 'Live class',
      description: p.description ?? null,
      start,
      end: new Date(start.getTime() + minutes * 60_000),
      eventType: 'LIVE_CLASS',
      courseId: p.course_id,
      organizerId: host,
      metadata: { courseId: p.course_id, courseName: course?.fullname ?? null },
    },
    participants,
    deps,
    [...(course?.teachers ?? []), ...(course?.students ?? [])].map((person) => person.id),
  );
}

function source(key: SourceKey): Pick<EventDraft, 'companyId' | 'sourceModule' | 'entityType' | 'entityId'> {
  return { companyId: key.companyId, sourceModule: key.sourceModule, entityType: key.entityType, entityId: key.entityId };
}

/** Applies one domain event to the calendar, inside the caller's transaction. */
export async function handleDomainEvent(trx: Trx, event: DomainEventInput, deps: DomainEventDeps): Promise<void> {
  const { companyId } = event;
  const payload = event.payload as any;
  switch (event.topic) {
    case 'project.task.created':
    case 'project.task.updated':
    case 'project.task.deleted':
      return onTask(trx, companyId, payload, event.topic === 'project.task.deleted', deps);
    case 'project.milestone.created':
    case 'project.milestone.updated':
    case 'project.milestone.deleted':
      return onMilestone(trx, companyId, payload, event.topic === 'project.milestone.deleted', deps);
    case 'sales.meeting.created':
    case 'sales.meeting.updated':
    case 'sales.meeting.cancelled':
      return onMeeting(trx, companyId, payload, event.topic === 'sales.meeting.cancelled', deps);
    case 'hr.leave.approved':
    case 'hr.leave.rejected':
    case 'hr.leave.cancelled':
      return onLeave(trx, companyId, payload, deps);
    case 'meet.class.scheduled':
    case 'meet.class.updated':
    case 'meet.class.cancelled':
      return onLiveClass(trx, companyId, payload, event.topic === 'meet.class.cancelled', deps);
    default:
      return undefined; // not a topic the calendar follows
  }
}

/** The handlers for the platform's event consumer (group `calendar`). */
export function calendarEventHandlers(deps: DomainEventDeps): EventHandlers {
  const handle = async (event: { topic: string; companyId: string; payload: unknown }, context: { trx: Transaction<any> }) =>
    handleDomainEvent(context.trx as Trx, event as DomainEventInput, deps);
  return Object.fromEntries(CALENDAR_TOPICS.map((topic) => [topic, handle])) as EventHandlers;
}
