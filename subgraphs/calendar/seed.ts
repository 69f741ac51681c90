/**
 * Demo events for embedded mode, once, on an empty schema: the calendar as the
 * event handlers would have built it from the demo ERP and meet records (the
 * same drafts, at the instants of platform/demo/demo-schedule.ts, in each
 * company's zone), plus
 * a recurring weekly team meeting (with one skipped and one moved occurrence)
 * in each company.
 */
import { createKysely } from '../../platform/database/connection.js';
import { DEMO_COMPANIES, DEMO_COURSES, DEMO_ERP, DEMO_LIVE_CLASSES, DEMO_USERS, demoCompanyId } from '../../platform/demo/demo-ids.js';
import { demoSchedule } from '../../platform/demo/demo-schedule.js';
import type { SubgraphDeps } from '../../platform/subgraph/subgraph-module.js';
import type { CalendarDatabase } from './database.js';
import { insertEvent, type NewParticipant } from './repositories/event-writes.js';
import { saveCompanyTimeZone } from './repositories/company-settings-repository.js';
import { leaveDraft, meetingDraft, milestoneDraft, taskDraft } from './services/domain-event-handler.js';
import { draftToRow, type EventDraft } from './services/event-draft.js';
import { instantOf, wallTimeIn } from './recurrence/time-zones.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Live classes at whole hours from now, as meet's seed has them. */
export const demoClassStart = (now: Date, inHours: number) => new Date(Math.floor((now.getTime() + inHours * HOUR) / HOUR) * HOUR);

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

    for (const company of Object.values(DEMO_COMPANIES)) await saveCompanyTimeZone(trx, company.id, company.timezone);
    const key = (company: keyof typeof DEMO_COMPANIES, sourceModule: string, entityType: string, entityId: string) => ({
      companyId: demoCompanyId(company),
      sourceModule,
      entityType,
      entityId,
    });
    for (const task of DEMO_ERP.tasks) {
      const project = DEMO_ERP.projects[task.project]!;
      const zone = DEMO_COMPANIES[project.company].timezone;
      const due = at.taskDue(project.company, task.dueInDays).toISOString();
      await add(
        taskDraft(
          key(project.company, 'project', 'task', task.id),
          { task_name: task.title, description: null, status: task.status, due_date: due, project_id: project.id, project_name: project.name },
          zone,
        ),
        [{ userId: task.assignee, status: 'ACCEPTED' }],
      );
    }
    for (const milestone of DEMO_ERP.milestones) {
      const project = DEMO_ERP.projects[milestone.project]!;
      const due = at.milestoneDue(project.company, milestone.dueInDays).toISOString();
      await add(
        milestoneDraft(
          key(project.company, 'project', 'milestone', milestone.id),
          {
            milestone_name: milestone.name,
            description: null,
            due_date: due,
            completed_at: null,
            project_id: project.id,
            project_name: project.name,
          },
          DEMO_COMPANIES[project.company].timezone,
        ),
      );
    }
    for (const meeting of DEMO_ERP.salesMeetings) {
      const start = at.meetingStart(meeting.company, meeting.inDays);
      await add(
        meetingDraft(key(meeting.company, 'sales', 'meeting', meeting.id), {
          customer_name: meeting.customerName,
          description: null,
          location: null,
          scheduled_at: start.toISOString(),
          end_at: new Date(start.getTime() + meeting.hours * HOUR).toISOString(),
          owner_id: meeting.owner,
        }),
        [{ userId: meeting.owner, isOrganizer: true, status: 'ACCEPTED' }, { externalName: meeting.customerName }],
      );
    }
    for (const leave of DEMO_ERP.leaveRequests.filter((request) => request.status === 'APPROVED')) {
      const { start, end } = at.leave(leave.company, leave.startInDays, leave.days);
      const person = DEMO_USERS.find((user) => user.id === leave.employee);
      await add(
        leaveDraft(
          key(leave.company, 'hr', 'leave', leave.id),
          { employee_id: leave.employee, start_date: start.toISOString(), end_date: end.toISOString(), leave_type: 'ANNUAL' },
          DEMO_COMPANIES[leave.company].timezone,
          person ? `${person.firstname} ${person.lastname}` : null,
        ),
        [{ userId: leave.employee, isOrganizer: true, status: 'ACCEPTED' }],
      );
    }
    for (const liveClass of DEMO_LIVE_CLASSES) {
      const course = DEMO_COURSES.find((candidate) => candidate.id === liveClass.course)!;
      const start = demoClassStart(now, liveClass.inHours);
      await add(
        {
          companyId: demoCompanyId(course.company),
          title: liveClass.title,
          start,
          end: new Date(start.getTime() + liveClass.minutes * 60_000),
          eventType: 'LIVE_CLASS',
          sourceModule: 'meet',
          entityType: 'live_class',
          entityId: liveClass.id,
          courseId: course.id,
          organizerId: liveClass.host,
          metadata: { courseId: course.id },
        },
        [
          ...course.teachers.map((userId) => ({
            userId,
            isOrganizer: userId === liveClass.host,
            status: userId === liveClass.host ? ('ACCEPTED' as const) : ('PENDING' as const),
          })),
          ...course.students.map((userId) => ({ userId })),
        ],
      );
    }
    for (const team of DEMO_TEAM_MEETINGS) {
      const start = teamMeetingStart(now, team.timezone, team.hour);
      const companyId = DEMO_COMPANIES[team.company].id;
      const series = await add(
        {
          companyId,
          title: 'Weekly team meeting',
          start,
          end: new Date(start.getTime() + HOUR),
          timezone: team.timezone,
          recurrenceRule: 'FREQ=WEEKLY;BYDAY=MO',
          exdates: [new Date(start.getTime() + 5 * WEEK)],
          eventType: 'CUSTOM',
          organizerId: team.organizer,
        },
        [{ userId: team.organizer, isOrganizer: true, status: 'ACCEPTED' }, ...team.attendees.map((userId) => ({ userId }))],
      );
      // The seventh meeting moves to Tuesday, one hour later.
      const moved = new Date(start.getTime() + 6 * WEEK);
      const movedStart = new Date(moved.getTime() + DAY + HOUR);
      await add({
        companyId,
        title: 'Weekly team meeting (moved to Tuesday)',
        start: movedStart,
        end: new Date(movedStart.getTime() + HOUR),
        timezone: team.timezone,
        eventType: 'CUSTOM',
        organizerId: team.organizer,
        parentId: series.id,
        recurrenceId: moved,
      });
    }
  });
  log.info({ events: count }, 'seeded calendar demo events');
}
