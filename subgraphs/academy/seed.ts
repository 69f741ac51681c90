/**
 * Demo Moodle data for embedded mode: users, courses in two companies'
 * categories, manual enrolments and course-context role assignments, exactly
 * as Moodle stores them.
 */
import { sql } from 'kysely';
import { createKysely } from '../../platform/database/connection.js';
import { DEMO_COMPANIES, DEMO_COURSES, DEMO_USERS } from '../../platform/demo/demo-ids.js';
import type { SubgraphDeps } from '../../platform/subgraph/subgraph-module.js';
import { MOODLE, type AcademyDatabase } from './database.js';

const ROLES = [
  { id: '3', shortname: 'editingteacher', archetype: 'editingteacher', name: 'Teacher' },
  { id: '4', shortname: 'teacher', archetype: 'teacher', name: 'Non-editing teacher' },
  { id: '5', shortname: 'student', archetype: 'student', name: 'Student' },
];
const DAY = 86_400;

export async function seedAcademy({ config, databaseUrl, log }: SubgraphDeps): Promise<void> {
  const root = createKysely<AcademyDatabase>(databaseUrl);
  const already = await root.selectFrom('academy.company_users').select('user_id').limit(1).executeTakeFirst();
  if (already) return;
  const now = Math.floor(Date.now() / 1000);
  const schema = config.moodle.schema;

  await root.transaction().execute(async (trx) => {
    const moodle = trx.withSchema(schema);
    for (const role of ROLES) {
      await moodle
        .insertInto('mdl_role')
        .values({ ...role, sortorder: role.id, description: '' })
        .onConflict((oc) => oc.column('shortname').doNothing())
        .execute();
    }
    const roleId = async (shortname: string) =>
      (await moodle.selectFrom('mdl_role').select('id').where('shortname', '=', shortname).executeTakeFirstOrThrow()).id;
    const teacherRole = await roleId('editingteacher');
    const studentRole = await roleId('student');

    for (const user of DEMO_USERS) {
      await moodle
        .insertInto('mdl_user')
        .values({
          id: user.id, username: user.username, firstname: user.firstname, lastname: user.lastname,
          email: `${user.username}@${user.company}.example`, auth: 'oauth2', confirmed: 1, mnethostid: '1',
          timecreated: String(now), timemodified: String(now),
        })
        .execute();
      await trx
        .insertInto('academy.company_users')
        .values({ company_id: DEMO_COMPANIES[user.company].id, user_id: user.id, roles: user.roles })
        .execute();
    }

    for (const company of Object.values(DEMO_COMPANIES)) {
      await trx.insertInto('academy.company_course_categories').values({ company_id: company.id, category_id: company.moodleCategory }).execute();
    }

    for (const [index, course] of DEMO_COURSES.entries()) {
      await moodle
        .insertInto('mdl_course')
        .values({
          id: course.id, category: DEMO_COMPANIES[course.company].moodleCategory, sortorder: String(index + 1),
          fullname: course.fullname, shortname: course.shortname, summary: course.summary, summaryformat: 1,
          startdate: String(now - 30 * DAY), enddate: String(now + 120 * DAY), visible: course.visible ? 1 : 0,
          timecreated: String(now), timemodified: String(now),
        })
        .execute();
      const context = await moodle
        .insertInto('mdl_context')
        .values({ contextlevel: MOODLE.CONTEXT_COURSE, instanceid: course.id, depth: 3, path: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await moodle.updateTable('mdl_context').set({ path: `/1/${context.id}` }).where('id', '=', context.id).execute();
      const enrol = await moodle
        .insertInto('mdl_enrol')
        .values({ enrol: 'manual', courseid: course.id, status: MOODLE.ENROL_INSTANCE_ENABLED, roleid: studentRole, timecreated: String(now), timemodified: String(now) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const participants = [
        ...course.teachers.map((userId) => ({ userId, roleid: teacherRole })),
        ...course.students.map((userId) => ({ userId, roleid: studentRole })),
      ];
      for (const { userId, roleid } of participants) {
        await moodle
          .insertInto('mdl_user_enrolments')
          .values({ enrolid: enrol.id, userid: userId, status: MOODLE.ENROL_USER_ACTIVE, timestart: String(now - 30 * DAY), timeend: '0', timecreated: String(now), timemodified: String(now) })
          .execute();
        await moodle.insertInto('mdl_role_assignments').values({ roleid, contextid: context.id, userid: userId, timemodified: String(now) }).execute();
      }
    }
    // Explicit ids were inserted: move the sequences past them.
    for (const table of ['mdl_user', 'mdl_course', 'mdl_role']) {
      await sql`SELECT setval(pg_get_serial_sequence(${`${schema}.${table}`}, 'id'), (SELECT max(id) FROM ${sql.table(`${schema}.${table}`)}))`.execute(trx);
    }
  });
  log.info({ users: DEMO_USERS.length, courses: DEMO_COURSES.length }, 'seeded academy demo data');
}
