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
};
