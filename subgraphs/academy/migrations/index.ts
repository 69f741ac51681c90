/**
 * Academy's own schema (`academy`): the company mapping that Moodle lacks.
 * Moodle's tables are not migrated by us; see provision-moodle-tables.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { Migrations } from '../../../platform/database/migrate.js';

export const academyMigrations: Migrations = {
  '0001-company-mapping': {
    async up(db: Kysely<any>) {
      const schema = db.schema.withSchema('academy');
      // A company's courses are the courses of its Moodle course categories.
      await schema
        .createTable('company_course_categories')
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('category_id', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('company_course_categories_pk', ['company_id', 'category_id'])
        .execute();
      await schema.createIndex('company_course_categories_category').on('company_course_categories').column('category_id').execute();
      // Company membership of Moodle users, as Bheem Passport provisions it.
      await schema
        .createTable('company_users')
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('user_id', 'bigint', (col) => col.notNull())
        // Platform roles in the company (admin, manager, employee, teacher, student), as Passport puts them in tokens.
        .addColumn('roles', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
        .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('company_users_pk', ['company_id', 'user_id'])
        .execute();
      await schema.createIndex('company_users_user').on('company_users').column('user_id').execute();
    },
  },
  '0002-live-class-reminders': {
    async up(db: Kysely<any>) {
      // One row per live class: when to remind its course, and whether that was done (sent_at, in the same
      // transaction as the notifications, so a reminder is sent once whatever restarts or runs twice).
      await db.schema
        .withSchema('academy')
        .createTable('live_class_reminders')
        .addColumn('live_class_id', 'uuid', (col) => col.primaryKey())
        .addColumn('company_id', 'uuid', (col) => col.notNull())
        .addColumn('course_id', 'bigint', (col) => col.notNull())
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('starts_at', 'timestamptz', (col) => col.notNull())
        .addColumn('duration_minutes', 'integer')
        .addColumn('remind_at', 'timestamptz', (col) => col.notNull())
        .addColumn('sent_at', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`CREATE INDEX live_class_reminders_due ON academy.live_class_reminders (remind_at) WHERE sent_at IS NULL`.execute(db);
    },
  },
};
