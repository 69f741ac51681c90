/**
 * Demo ERP records for embedded mode, from platform/demo/demo-ids.ts, with
 * dates relative to now (platform/demo/demo-schedule.ts, which the calendar's
 * seed reads too, so both show the same instants). Rows are inserted directly
 * and publish no events: the calendar seeds its own demo events for them.
 */
import { createKysely } from '../../platform/database/connection.js';
import { DEMO_COMPANIES, DEMO_ERP, DEMO_USERS } from '../../platform/demo/demo-ids.js';
import { demoSchedule } from '../../platform/demo/demo-schedule.js';
import type { SubgraphDeps } from '../../platform/subgraph/subgraph-module.js';
import type { ErpDatabase } from './database.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A manager of the company (else an admin), who approved the demo leave. */
function approverIn(company: keyof typeof DEMO_COMPANIES): string | null {
  const staff = DEMO_USERS.filter((user) => user.company === company);
  return (staff.find((user) => user.roles.includes('manager')) ?? staff.find((user) => user.roles.includes('admin')))?.id ?? null;
}

export async function seedErp({ databaseUrl, log }: SubgraphDeps): Promise<void> {
  const db = createKysely<ErpDatabase>(databaseUrl);
  const already = await db.selectFrom('erp.companies').select('id').limit(1).executeTakeFirst();
  if (already) return;
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const at = demoSchedule(new Date());
  const companyOf = (project: number) => DEMO_COMPANIES[DEMO_ERP.projects[project]!.company].id;
  const companyKeyOf = (project: number) => DEMO_ERP.projects[project]!.company;

  await db.transaction().execute(async (trx) => {
    for (const company of Object.values(DEMO_COMPANIES)) {
      await trx.insertInto('erp.companies').values({ id: company.id, name: company.name }).execute();
    }
    for (const project of DEMO_ERP.projects) {
      await trx
        .insertInto('erp.projects')
        .values({
          id: project.id,
          company_id: DEMO_COMPANIES[project.company].id,
          name: project.name,
          description: null,
          status: 'ACTIVE',
          start_date: new Date(today - 14 * DAY_MS),
          due_date: null,
          course_id: 'course' in project ? project.course : null,
        })
        .execute();
    }
    for (const task of DEMO_ERP.tasks) {
      await trx
        .insertInto('erp.tasks')
        .values({
          id: task.id,
          company_id: companyOf(task.project),
          project_id: DEMO_ERP.projects[task.project]!.id,
          title: task.title,
          description: null,
          status: task.status,
          due_date: at.taskDue(companyKeyOf(task.project), task.dueInDays),
          assignee_id: task.assignee,
        })
        .execute();
    }
    for (const milestone of DEMO_ERP.milestones) {
      await trx
        .insertInto('erp.milestones')
        .values({
          id: milestone.id,
          company_id: companyOf(milestone.project),
          project_id: DEMO_ERP.projects[milestone.project]!.id,
          name: milestone.name,
          description: null,
          due_date: at.milestoneDue(companyKeyOf(milestone.project), milestone.dueInDays),
          completed_at: null,
        })
        .execute();
    }
    for (const meeting of DEMO_ERP.salesMeetings) {
      const start = at.meetingStart(meeting.company, meeting.inDays).getTime();
      await trx
        .insertInto('erp.sales_meetings')
        .values({
          id: meeting.id,
          company_id: DEMO_COMPANIES[meeting.company].id,
          customer_name: meeting.customerName,
          customer_email: null,
          location: null,
          description: null,
          owner_id: meeting.owner,
          scheduled_at: new Date(start),
          end_at: new Date(start + meeting.hours * HOUR_MS),
          status: 'SCHEDULED',
          cancellation_reason: null,
        })
        .execute();
    }
    for (const leave of DEMO_ERP.leaveRequests) {
      const { start, end } = at.leave(leave.company, leave.startInDays, leave.days);
      const decided = leave.status === 'APPROVED' || leave.status === 'REJECTED';
      await trx
        .insertInto('erp.leave_requests')
        .values({
          id: leave.id,
          company_id: DEMO_COMPANIES[leave.company].id,
          employee_id: leave.employee,
          start_date: start,
          end_date: end,
          status: leave.status,
          leave_type: 'ANNUAL',
          reason: null,
          reviewed_by: decided ? approverIn(leave.company) : null,
          reviewed_at: decided ? new Date() : null,
          review_comment: null,
          was_approved: leave.status === 'APPROVED',
        })
        .execute();
    }
    for (const quote of DEMO_ERP.quotes) {
      await trx.insertInto('erp.quotes').values({ id: quote.id, company_id: DEMO_COMPANIES[quote.company].id, number: quote.number, customer_name: quote.customerName }).execute();
    }
    for (const invoice of DEMO_ERP.invoices) {
      await trx
        .insertInto('erp.invoices')
        .values({
          id: invoice.id,
          company_id: DEMO_COMPANIES[invoice.company].id,
          number: invoice.number,
          customer_name: invoice.customerName,
          quote_id: DEMO_ERP.quotes[invoice.quote]!.id,
        })
        .execute();
    }
    for (const employee of DEMO_ERP.employees) {
      const company = DEMO_USERS.find((user) => user.id === employee.id)!.company;
      await trx.insertInto('erp.employees').values({ id: employee.id, company_id: DEMO_COMPANIES[company].id, job_title: employee.jobTitle }).execute();
    }
  });
  log.info(
    {
      projects: DEMO_ERP.projects.length,
      tasks: DEMO_ERP.tasks.length,
      milestones: DEMO_ERP.milestones.length,
      salesMeetings: DEMO_ERP.salesMeetings.length,
      leaveRequests: DEMO_ERP.leaveRequests.length,
    },
    'seeded erp demo data',
  );
}
