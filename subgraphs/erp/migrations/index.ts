/**
 * Erp's schema (`erp`): Bheem Core's companies, projects, tasks, milestones,
 * sales meetings and leave requests. Every record carries its company_id;
 * children reference their project through (company_id, project_id), so a
 * task can never hang under another company's project. Enumerations are
 * CHECK constraints spelled out here (a migration must not change when code
 * does).
 */
import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../../../platform/database/migrate.js';

const oneOf = (column: string, values: string[]) => sql.raw(`${column} IN (${values.map((value) => `'${value}'`).join(', ')})`);

export const erpMigrations: Migrations = {
  '0001-erp-records': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('erp');
      await schema
        .createTable('companies')
        .addColumn('id', 'uuid', (col) => col.primaryKey())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();

      await schema
        .createTable('projects')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('description', 'text')
        .addColumn('status', 'text', (col) => col.notNull().defaultTo('ACTIVE'))
        .addColumn('start_date', 'timestamptz')
        .addColumn('due_date', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('projects_company_id_id', ['company_id', 'id'])
        .addCheckConstraint('projects_status', oneOf('status', ['PLANNED', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CANCELLED']))
        .execute();
      await schema.createIndex('projects_company_name').on('projects').columns(['company_id', 'name']).execute();

      await schema
        .createTable('tasks')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('project_id', 'uuid', (col) => col.notNull())
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('description', 'text')
        .addColumn('status', 'text', (col) => col.notNull().defaultTo('TODO'))
        .addColumn('due_date', 'timestamptz')
        .addColumn('assignee_id', 'bigint')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addForeignKeyConstraint('tasks_project', ['company_id', 'project_id'], 'erp.projects', ['company_id', 'id'])
        .addCheckConstraint('tasks_status', oneOf('status', ['TODO', 'IN_PROGRESS', 'DONE', 'CANCELLED']))
        .execute();
      await schema.createIndex('tasks_company_project').on('tasks').columns(['company_id', 'project_id']).execute();
      await schema.createIndex('tasks_company_assignee').on('tasks').columns(['company_id', 'assignee_id']).execute();
      await schema.createIndex('tasks_company_due').on('tasks').columns(['company_id', 'due_date']).execute();

      await schema
        .createTable('milestones')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('project_id', 'uuid', (col) => col.notNull())
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('description', 'text')
        .addColumn('due_date', 'timestamptz', (col) => col.notNull())
        .addColumn('completed_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addForeignKeyConstraint('milestones_project', ['company_id', 'project_id'], 'erp.projects', ['company_id', 'id'])
        .execute();
      await schema.createIndex('milestones_company_project').on('milestones').columns(['company_id', 'project_id', 'due_date']).execute();

      await schema
        .createTable('sales_meetings')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('customer_name', 'text', (col) => col.notNull())
        .addColumn('customer_email', 'text')
        .addColumn('location', 'text')
        .addColumn('description', 'text')
        .addColumn('owner_id', 'bigint')
        .addColumn('scheduled_at', 'timestamptz', (col) => col.notNull())
        .addColumn('end_at', 'timestamptz', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull().defaultTo('SCHEDULED'))
        .addColumn('cancellation_reason', 'text')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addCheckConstraint('sales_meetings_status', oneOf('status', ['SCHEDULED', 'COMPLETED', 'CANCELLED']))
        .addCheckConstraint('sales_meetings_ends_after_start', sql`end_at > scheduled_at`)
        .execute();
      await schema.createIndex('sales_meetings_company_time').on('sales_meetings').columns(['company_id', 'scheduled_at']).execute();

      await schema
        .createTable('leave_requests')
        .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('employee_id', 'bigint', (col) => col.notNull())
        .addColumn('start_date', 'timestamptz', (col) => col.notNull())
        .addColumn('end_date', 'timestamptz', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull().defaultTo('PENDING'))
        .addColumn('leave_type', 'text', (col) => col.notNull().defaultTo('ANNUAL'))
        .addColumn('reason', 'text')
        .addColumn('reviewed_by', 'bigint')
        .addColumn('reviewed_at', 'timestamptz')
        .addColumn('review_comment', 'text')
        // Survives a cancellation, so that "approved by" can still be answered.
        .addColumn('was_approved', 'boolean', (col) => col.notNull().defaultTo(false))
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addCheckConstraint('leave_requests_status', oneOf('status', ['PENDING', 'APPROVED', 'REJECTED', 'CANCELLED']))
        .addCheckConstraint('leave_requests_type', oneOf('leave_type', ['ANNUAL', 'SICK', 'UNPAID', 'PARENTAL', 'OTHER']))
        .addCheckConstraint('leave_requests_ends_after_start', sql`end_date > start_date`)
        .execute();
      await schema.createIndex('leave_requests_company_employee').on('leave_requests').columns(['company_id', 'employee_id', 'start_date']).execute();
      await schema.createIndex('leave_requests_company_start').on('leave_requests').columns(['company_id', 'start_date']).execute();
    },
  },
  // Quotes, invoices and employees as far as other services refer to them (documents attach to them):
  // enough to know that a record exists in a company, its number and customer, an employee's title.
  '0002-quotes-invoices-employees': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('erp');
      for (const table of ['quotes', 'invoices']) {
        await schema
          .createTable(table)
          .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
          .addColumn('company_id', 'uuid', (col) => col.notNull())
          .addColumn('number', 'text', (col) => col.notNull())
          .addColumn('customer_name', 'text', (col) => col.notNull())
          .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
          .addUniqueConstraint(`${table}_company_number`, ['company_id', 'number'])
          .execute();
      }
      await schema.alterTable('invoices').addColumn('quote_id', 'uuid').execute();
      await schema
        .createTable('employees')
        .addColumn('id', 'bigint', (col) => col.primaryKey()) // the Moodle user id
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('job_title', 'text')
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await schema.createIndex('employees_company').on('employees').columns(['company_id', 'id']).execute();
    },
  },
  // A project may be for an Academy course (a Moodle course id, checked with academy when set): Course.tasks.
  '0003-project-course': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('erp');
      await schema.alterTable('projects').addColumn('course_id', 'bigint').execute();
      await schema.createIndex('projects_company_course').on('projects').columns(['company_id', 'course_id']).where(sql.ref('course_id'), 'is not', null).execute();
    },
  },
};
