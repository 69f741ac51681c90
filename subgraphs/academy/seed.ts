/**
 * Demo Moodle data for embedded mode: users, courses in two companies'
 * categories, manual enrolments and course-context role assignments, exactly
 * as Moodle stores them; the site's time zone and a few users' own; and
 * meet's demo classes as course events (what the event consumer would have
 * written had meet scheduled them through its API), with their reminders.
 */
import { sql, type Transaction } from 'kysely';
import { createKysely } from '../../platform/database/connection.js';
import { DEMO_COMPANIES, DEMO_COURSES, DEMO_ENDED_LIVE_CLASS, DEMO_LIVE_CLASSES, DEMO_USERS, demoCompanyId } from '../../platform/demo/demo-ids.js';
import type { PlatformConfig } from '../../platform/config.js';
import type { SubgraphDeps } from '../../platform/subgraph/subgraph-module.js';
import { MOODLE, type AcademyDatabase } from './database.js';
import { academyDb } from './repositories/academy-db.js';
import { MoodleEventRepository } from './repositories/moodle-event-repository.js';
import { ReminderRepository } from './repositories/reminder-repository.js';
import { classUrl } from './services/class-links.js';
import { courseEventDescription } from './services/moodle-calendar-service.js';

const ROLES = [
  { id: '3', shortname: 'editingteacher', archetype: 'editingteacher', name: 'Teacher' },
  { id: '4', shortname: 'teacher', archetype: 'teacher', name: 'Non-editing teacher' },
  { id: '5', shortname: 'student', archetype: 'student', name: 'Student' },
];
const DAY = 86_400;
const HOUR_MS = 3_600_000;
/** The site's zone (Moodle's $CFG->timezone) and the users who chose their own; the others keep '99'. */
const SITE_TIME_ZONE = 'Asia/Kolkata';
const USER_TIME_ZONES: Record<string, string> = { '6': 'Europe/London', '20': 'Europe/Stockholm', '21': 'Europe/Stockholm', '22': 'Europe/Stockholm' };

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
    const roleId = async (shortname: string) => (await moodle.selectFrom('mdl_role').select('id').where('shortname', '=', shortname).executeTakeFirstOrThrow()).id;
    const teacherRole = await roleId('editingteacher');
    const studentRole = await roleId('student');

    for (const user of DEMO_USERS) {
      await moodle
        .insertInto('mdl_user')
        .values({
          id: user.id,
          username: user.username,
          firstname: user.firstname,
          lastname: user.lastname,
          email: `${user.username}@${user.company}.example`,
          auth: 'oauth2',
          confirmed: 1,
          mnethostid: '1',
          timezone: USER_TIME_ZONES[user.id] ?? '99',
          timecreated: String(now),
          timemodified: String(now),
        })
        .execute();
      await trx.insertInto('academy.company_users').values({ company_id: DEMO_COMPANIES[user.company].id, user_id: user.id, roles: user.roles }).execute();
    }

    for (const company of Object.values(DEMO_COMPANIES)) {
      await trx.insertInto('academy.company_course_categories').values({ company_id: company.id, category_id: company.moodleCategory }).execute();
    }

    for (const [index, course] of DEMO_COURSES.entries()) {
      await moodle
        .insertInto('mdl_course')
        .values({
          id: course.id,
          category: DEMO_COMPANIES[course.company].moodleCategory,
          sortorder: String(index + 1),
          fullname: course.fullname,
          shortname: course.shortname,
          summary: course.summary,
          summaryformat: 1,
          startdate: String(now - 30 * DAY),
          enddate: String(now + 120 * DAY),
          visible: course.visible ? 1 : 0,
          timecreated: String(now),
          timemodified: String(now),
        })
        .execute();
      const context = await moodle
        .insertInto('mdl_context')
        .values({ contextlevel: MOODLE.CONTEXT_COURSE, instanceid: course.id, depth: 3, path: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await moodle
        .updateTable('mdl_context')
        .set({ path: `/1/${context.id}` })
        .where('id', '=', context.id)
        .execute();
      const enrol = await moodle
        .insertInto('mdl_enrol')
        .values({ enrol: 'manual', courseid: course.id, status: MOODLE.ENROL_INSTANCE_ENABLED, roleid: studentRole, timecreated: String(now), timemodified: String(now) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const participants = [...course.teachers.map((userId) => ({ userId, roleid: teacherRole })), ...course.students.map((userId) => ({ userId, roleid: studentRole }))];
      for (const { userId, roleid } of participants) {
        await moodle
          .insertInto('mdl_user_enrolments')
          .values({
            enrolid: enrol.id,
            userid: userId,
            status: MOODLE.ENROL_USER_ACTIVE,
            timestart: String(now - 30 * DAY),
            timeend: '0',
            timecreated: String(now),
            timemodified: String(now),
          })
          .execute();
        await moodle
          .insertInto('mdl_role_assignments')
          .values({ roleid, contextid: context.id, userid: userId, timemodified: String(now) })
          .execute();
      }
    }
    for (const [name, value] of [
      ['timezone', SITE_TIME_ZONE],
      ['forcetimezone', '99'],
    ]) {
      await moodle
        .insertInto('mdl_config')
        .values({ name: name!, value: value! })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    }
    await seedClassEvents(trx, config, now);
    // Explicit ids were inserted: move the sequences past them.
    for (const table of ['mdl_user', 'mdl_course', 'mdl_role']) {
      await sql`SELECT setval(pg_get_serial_sequence(${`${schema}.${table}`}, 'id'), (SELECT max(id) FROM ${sql.table(`${schema}.${table}`)}))`.execute(trx);
    }
  });
  log.info({ users: DEMO_USERS.length, courses: DEMO_COURSES.length }, 'seeded academy demo data');
}

/** Meet's demo classes in Moodle's calendar, at the times meet's seed gives them (whole hours from now), and their reminders. */
async function seedClassEvents(trx: Transaction<AcademyDatabase>, config: PlatformConfig, now: number): Promise<void> {
  const db = academyDb(trx, config.moodle.schema);
  const events = new MoodleEventRepository(db);
  const reminders = new ReminderRepository(db);
  const hour = Math.floor((now * 1000) / HOUR_MS) * HOUR_MS; // as subgraphs/meet/seed.ts
  const classes = [
    ...DEMO_LIVE_CLASSES.map((demo) => ({ ...demo, startsAt: hour + demo.inHours * HOUR_MS, description: null })),
    { ...DEMO_ENDED_LIVE_CLASS, startsAt: hour - DEMO_ENDED_LIVE_CLASS.hoursAgo * HOUR_MS, description: 'Recorded; the recording is available to the course.' },
  ];
  for (const demo of classes) {
    const timestart = Math.floor(demo.startsAt / 1000);
    const link = classUrl(config.academy.classUrlBase, demo.course, demo.id);
    await events.insertLiveClassEvent(demo.course, demo.id, demo.host, {
      name: demo.title,
      description: courseEventDescription(demo.description, link),
      timestart,
      timeduration: demo.minutes * 60,
      location: link,
    });
    const remindAt = new Date(demo.startsAt - config.academy.reminderMinutes * 60_000);
    if (config.academy.reminderMinutes > 0 && remindAt.getTime() > Date.now()) {
      const course = DEMO_COURSES.find((candidate) => candidate.id === demo.course)!;
      await reminders.plan({
        liveClassId: demo.id,
        companyId: demoCompanyId(course.company),
        courseId: demo.course,
        title: demo.title,
        startsAt: new Date(demo.startsAt),
        durationMinutes: demo.minutes,
        remindAt,
      });
    }
  }
}
