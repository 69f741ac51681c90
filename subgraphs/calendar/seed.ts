/**
 * Demo events for embedded mode, once, on an empty schema: the calendar as the
 * event handlers would have built it from the demo ERP and meet records, plus
 * a recurring weekly team meeting (with one skipped and one moved occurrence)
 * in each company.
 */
import { createKysely } from '../../platform/database/connection.js';
import { DEMO_COMPANIES, DEMO_COURSES, DEMO_ERP, DEMO_LIVE_CLASSES, demoCompanyId } from '../../platform/demo/demo-ids.js';
import type { SubgraphDeps } from '../../platform/subgraph/subgraph-module.js';
import type { CalendarDatabase } from './database.js';
import { insertEvent, type NewParticipant } from './repositories/event-writes.js';
import { draftToRow, startOfUtcDay, type EventDraft } from './services/event-draft.js';
import { instantOf, wallTimeIn } from './recurrence/time-zones.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Where the demo data's relative times ("in 5 days") land, from one `now`. */
export function demoSchedule(now: Date) {
  const day = (offset: number) => new Date(startOfUtcDay(now).getTime() + offset * DAY);
  return {
    taskDue: (dueInDays: number) => day(dueInDays),
    meetingStart: (inDays: number) => new Date(day(inDays).getTime() + 10 * HOUR),
    leaveStart: (startInDays: number) => day(startInDays),
    classStart: (inHours: number) => new Date(Math.floor((now.getTime() + inHours * HOUR) / HOUR) * HOUR),
  };
}

/** The weekly team meetings: who, where and when (local time). */
export const DEMO_TEAM_MEETINGS = [
  { company: 'bheem', timezone: 'Asia/Kolkata', hour: 10, organizer: '8', attendees: ['9', '3', '4'] },
  { company: 'globex', timezone: 'America/New_York', hour: 9, organizer: '20', attendees: ['21'] },
] as const;

/** Monday 4 weeks before `now`, at `hour` local time in `timezone`. */
export function teamMeetingStart(now: Date, timezone: string, hour: number): Date {
  const today = wallTimeIn(now, timezone);
  const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay(); // 0 = Sunday
  const monday = new Date(Date.UTC(today.year, today.month - 1, today.day) - (((weekday + 6) % 7) + 28) * DAY);
  return instantOf({ year: monday.getUTCFullYear(), month: monday.getUTCMonth() + 1, day: monday.getUTCDate(), hour, minute: 0, second: 0 }, timezone);
}

const WEEK = 7 * DAY;

export async function seedCalendar({ databaseUrl, log }: SubgraphDeps): Promise<void> {
  const db = createKysely<CalendarDatabase>(databaseUrl);
  const already = await db.selectFrom('calendar.calendar_events').select('id').limit(1).executeTakeFirst();
  if (already) return;
  const now = new Date();
  const at = demoSchedule(now);
  let count = 0;

  await db.transaction().execute(async (trx) => {
    const add = async (draft: EventDraft, participants: NewParticipant[] = []) => {
      count++;
      return insertEvent(trx, draftToRow(draft), participants);
    };

    for (const task of DEMO_ERP.tasks) {
      const project = DEMO_ERP.projects[task.project]!;
      await add(
        {
          companyId: demoCompanyId(project.company), title: `Due: ${task.title}`, start: at.taskDue(task.dueInDays), allDay: true,
          eventType: 'TASK_DEADLINE', sourceModule: 'project', entityType: 'task', entityId: task.id, metadata: { projectId: project.id },
        },
        [{ userId: task.assignee, status: 'ACCEPTED' }],
      );
    }
    for (const milestone of DEMO_ERP.milestones) {
      const project = DEMO_ERP.projects[milestone.project]!;
      await add({
        companyId: demoCompanyId(project.company), title: `Milestone: ${milestone.name}`, start: at.taskDue(milestone.dueInDays), allDay: true,
        eventType: 'MILESTONE', sourceModule: 'project', entityType: 'milestone', entityId: milestone.id, metadata: { projectId: project.id },
      });
    }
    for (const meeting of DEMO_ERP.salesMeetings) {
      const start = at.meetingStart(meeting.inDays);
      await add(
        {
          companyId: demoCompanyId(meeting.company), title: `Meeting: ${meeting.customerName}`, start, end: new Date(start.getTime() + meeting.hours * HOUR),
          eventType: 'MEETING', sourceModule: 'sales', entityType: 'meeting', entityId: meeting.id, organizerId: meeting.owner,
        },
        [{ userId: meeting.owner, isOrganizer: true, status: 'ACCEPTED' }, { externalName: meeting.customerName }],
      );
    }
    for (const leave of DEMO_ERP.leaveRequests.filter((request) => request.status === 'APPROVED')) {
      const start = at.leaveStart(leave.startInDays);
      await add(
        {
          companyId: demoCompanyId(leave.company), title: 'On leave', start, end: new Date(start.getTime() + leave.days * DAY), allDay: true,
          eventType: 'LEAVE', sourceModule: 'hr', entityType: 'leave', entityId: leave.id, organizerId: leave.employee,
        },
        [{ userId: leave.employee, isOrganizer: true, status: 'ACCEPTED' }],
      );
    }
    for (const liveClass of DEMO_LIVE_CLASSES) {
      const course = DEMO_COURSES.find((candidate) => candidate.id === liveClass.course)!;
      const start = at.classStart(liveClass.inHours);
      await add(
        {
          companyId: demoCompanyId(course.company), title: liveClass.title, start, end: new Date(start.getTime() + liveClass.minutes * 60_000),
          eventType: 'LIVE_CLASS', sourceModule: 'meet', entityType: 'live_class', entityId: liveClass.id, courseId: course.id,
          organizerId: liveClass.host, metadata: { courseId: course.id },
        },
        [
          ...course.teachers.map((userId) => ({ userId, isOrganizer: userId === liveClass.host, status: userId === liveClass.host ? ('ACCEPTED' as const) : ('PENDING' as const) })),
          ...course.students.map((userId) => ({ userId })),
        ],
      );
    }
    for (const team of DEMO_TEAM_MEETINGS) {
      const start = teamMeetingStart(now, team.timezone, team.hour);
      const companyId = DEMO_COMPANIES[team.company].id;
      const series = await add(
        {
          companyId, title: 'Weekly team meeting', start, end: new Date(start.getTime() + HOUR), timezone: team.timezone,
          recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO', exdates: [new Date(start.getTime() + 5 * WEEK)], eventType: 'CUSTOM', organizerId: team.organizer,
        },
        [{ userId: team.organizer, isOrganizer: true, status: 'ACCEPTED' }, ...team.attendees.map((userId) => ({ userId }))],
      );
      // The seventh meeting moves to Tuesday, one hour later.
      const moved = new Date(start.getTime() + 6 * WEEK);
      const movedStart = new Date(moved.getTime() + DAY + HOUR);
      await add({
        companyId, title: 'Weekly team meeting (moved to Tuesday)', start: movedStart, end: new Date(movedStart.getTime() + HOUR), timezone: team.timezone,
        eventType: 'CUSTOM', organizerId: team.organizer, parentId: series.id, recurrenceId: moved,
      });
    }
  });
  log.info({ events: count }, 'seeded calendar demo events');
}
