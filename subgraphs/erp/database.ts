/**
 * Kysely types for erp's tables (schema `erp`). Moodle user ids (assignees,
 * owners, employees) are BIGINT, returned by pg as strings.
 */
import type { ColumnType, Generated } from 'kysely';
import type { LeaveStatusName, LeaveTypeName, ProjectStatusName, SalesMeetingStatusName, TaskStatusName } from './models.js';

type BigInt = string; // int8 as returned by pg: exact, never a float
type Timestamp = ColumnType<Date, Date, Date>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export interface CompaniesTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

export interface ProjectsTable {
  id: Generated<string>;
  company_id: string;
  name: string;
  description: string | null;
  status: ProjectStatusName;
  start_date: Timestamp | null;
  due_date: Timestamp | null;
  /** Moodle course id of the Academy course the project is for. */
  course_id: BigInt | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TasksTable {
  id: Generated<string>;
  company_id: string;
  project_id: string;
  title: string;
  description: string | null;
  status: TaskStatusName;
  due_date: Timestamp | null;
  assignee_id: BigInt | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MilestonesTable {
  id: Generated<string>;
  company_id: string;
  project_id: string;
  name: string;
  description: string | null;
  due_date: Timestamp;
  completed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SalesMeetingsTable {
  id: Generated<string>;
  company_id: string;
  customer_name: string;
  customer_email: string | null;
  location: string | null;
  description: string | null;
  owner_id: BigInt | null;
  scheduled_at: Timestamp;
  end_at: Timestamp;
  status: SalesMeetingStatusName;
  cancellation_reason: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface LeaveRequestsTable {
  id: Generated<string>;
  company_id: string;
  employee_id: BigInt;
  start_date: Timestamp;
  end_date: Timestamp;
  status: LeaveStatusName;
  leave_type: LeaveTypeName;
  reason: string | null;
  reviewed_by: BigInt | null;
  reviewed_at: Timestamp | null;
  review_comment: string | null;
  was_approved: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A quote or an invoice (the same shape; invoices may name their quote). */
export interface SalesRecordsTable {
  id: Generated<string>;
  company_id: string;
  number: string;
  customer_name: string;
  created_at: CreatedAt;
}

export interface InvoicesTable extends SalesRecordsTable {
  quote_id: string | null;
}

export interface EmployeesTable {
  /** The Moodle user id. */
  id: BigInt;
  company_id: string;
  job_title: string | null;
  created_at: CreatedAt;
}

export interface ErpDatabase {
  'erp.companies': CompaniesTable;
  'erp.projects': ProjectsTable;
  'erp.tasks': TasksTable;
  'erp.milestones': MilestonesTable;
  'erp.sales_meetings': SalesMeetingsTable;
  'erp.leave_requests': LeaveRequestsTable;
  'erp.quotes': SalesRecordsTable;
  'erp.invoices': InvoicesTable;
  'erp.employees': EmployeesTable;
}
