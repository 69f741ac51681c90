/**
 * Writes the benchmark's data set (bench-data.ts) into a migrated database,
 * straight into each subgraph's own tables and with the relationships the
 * demo seeds use: Moodle users, courses, contexts, enrolments and teacher
 * role assignments (academy), live classes and recordings (meet), one
 * calendar event per class with its organizer (calendar), and course
 * documents with their first version (documents). Bulk inserts, in chunks.
 */
import { sql, type Kysely } from 'kysely';
import type { PlatformConfig } from '../../platform/config.js';
import { createKysely } from '../../platform/database/connection.js';
import type { AcademyDatabase } from '../../subgraphs/academy/database.js';
import { MOODLE } from '../../subgraphs/academy/database.js';
import type { CalendarDatabase } from '../../subgraphs/calendar/database.js';
import type { DocumentsDatabase } from '../../subgraphs/documents/database.js';
import type { MeetDatabase } from '../../subgraphs/meet/database.js';
import { storageKey } from '../../subgraphs/documents/storage/storage-backend.js';
import type { BenchCompany } from './bench-data.js';

const CHUNK = 1_000;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let at = 0; at < rows.length; at += CHUNK) await insert(rows.slice(at, at + CHUNK));
}

const unix = (date: Date) => String(Math.floor(date.getTime() / 1000));

async function seedAcademy(db: Kysely<AcademyDatabase>, schema: string, companies: BenchCompany[], now: Date): Promise<void> {
  const moodle = db.withSchema(schema);
  const roles = [
    { shortname: 'editingteacher', archetype: 'editingteacher', name: 'Teacher', sortorder: '3' },
    { shortname: 'student', archetype: 'student', name: 'Student', sortorder: '5' },
  ];
  await moodle
    .insertInto('mdl_role')
    .values(roles.map((role) => ({ ...role, description: '' })))
    .onConflict((oc) => oc.column('shortname').doNothing())
    .execute();
  const roleIds = new Map((await moodle.selectFrom('mdl_role').select(['id', 'shortname']).execute()).map((row) => [row.shortname, row.id]));
  const teacherRole = roleIds.get('editingteacher')!;
  const studentRole = roleIds.get('student')!;
  const time = unix(now);

  const users = companies.flatMap((company) => [...company.admins, ...company.teachers].map((user) => ({ company, user })));
  await insertChunked(users, (chunk) =>
    moodle
      .insertInto('mdl_user')
      .values(
        chunk.map(({ company, user }) => ({
          id: user.id,
          username: user.username,
          firstname: user.firstname,
          lastname: user.lastname,
          email: `${user.username}@bench${company.moodleCategory}.example`,
          auth: 'oauth2',
          confirmed: 1,
          mnethostid: '1',
          timecreated: time,
          timemodified: time,
        })),
      )
      .execute(),
  );
  await insertChunked(users, (chunk) =>
    db
      .insertInto('academy.company_users')
      .values(chunk.map(({ company, user }) => ({ company_id: company.id, user_id: user.id, roles: user.roles })))
      .execute(),
  );
  await db
    .insertInto('academy.company_course_categories')
    .values(companies.map((company) => ({ company_id: company.id, category_id: company.moodleCategory })))
    .execute();

  const courses = companies.flatMap((company) => company.courses.map((course) => ({ company, course })));
  await insertChunked(courses, (chunk) =>
    moodle
      .insertInto('mdl_course')
      .values(
        chunk.map(({ company, course }) => ({
          id: course.id,
          category: company.moodleCategory,
          sortorder: course.id,
          fullname: course.fullname,
          shortname: course.shortname,
          summary: course.summary,
          summaryformat: 1,
          startdate: unix(new Date(now.getTime() - 30 * 86_400_000)),
          enddate: unix(new Date(now.getTime() + 120 * 86_400_000)),
          visible: 1,
          timecreated: time,
          timemodified: time,
        })),
      )
      .execute(),
  );
  await insertChunked(courses, async (chunk) => {
    const contexts = await moodle
      .insertInto('mdl_context')
      .values(chunk.map(({ course }) => ({ contextlevel: MOODLE.CONTEXT_COURSE, instanceid: course.id, depth: 3, path: null })))
      .returning(['id', 'instanceid'])
      .execute();
    await sql`UPDATE ${sql.table(`${schema}.mdl_context`)} SET path = '/1/' || id WHERE id IN (${sql.join(contexts.map((row) => row.id))})`.execute(db);
    const contextOf = new Map(contexts.map((row) => [row.instanceid, row.id]));
    const enrols = await moodle
      .insertInto('mdl_enrol')
      .values(
        chunk.map(({ course }) => ({ enrol: 'manual', courseid: course.id, status: MOODLE.ENROL_INSTANCE_ENABLED, roleid: studentRole, timecreated: time, timemodified: time })),
      )
      .returning(['id', 'courseid'])
      .execute();
    const enrolOf = new Map(enrols.map((row) => [row.courseid, row.id]));
    await moodle
      .insertInto('mdl_user_enrolments')
      .values(
        chunk.map(({ course }) => ({
          enrolid: enrolOf.get(course.id)!,
          userid: course.teacher.id,
          status: MOODLE.ENROL_USER_ACTIVE,
          timestart: unix(new Date(now.getTime() - 30 * 86_400_000)),
          timeend: '0',
          timecreated: time,
          timemodified: time,
        })),
      )
      .execute();
    await moodle
      .insertInto('mdl_role_assignments')
      .values(chunk.map(({ course }) => ({ roleid: teacherRole, contextid: contextOf.get(course.id)!, userid: course.teacher.id, timemodified: time })))
      .execute();
  });
  for (const table of ['mdl_user', 'mdl_course']) {
    await sql`SELECT setval(pg_get_serial_sequence(${`${schema}.${table}`}, 'id'), (SELECT max(id) FROM ${sql.table(`${schema}.${table}`)}))`.execute(db);
  }
}

async function seedMeet(db: Kysely<MeetDatabase>, companies: BenchCompany[]): Promise<void> {
  const classes = companies.flatMap((company) => company.courses.flatMap((course) => course.liveClasses.map((liveClass) => ({ company, course, liveClass }))));
  await insertChunked(classes, (chunk) =>
    db
      .insertInto('live_classes')
      .values(
        chunk.map(({ company, course, liveClass }) => {
          const started = liveClass.status === 'SCHEDULED' ? null : liveClass.scheduledAt;
          return {
            id: liveClass.id,
            company_id: company.id,
            course_id: course.id,
            title: liveClass.title,
            description: null,
            scheduled_at: liveClass.scheduledAt,
            duration_minutes: liveClass.durationMinutes,
            status: liveClass.status,
            started_at: started,
            ended_at: liveClass.status === 'ENDED' ? liveClass.event.end : null,
            room_name: liveClass.roomName,
            host_user_id: liveClass.host.id,
            record: liveClass.status === 'ENDED',
            room_opened_at: started,
            created_by: `passport-${liveClass.host.id}`,
          };
        }),
      )
      .execute(),
  );
  const recorded = classes.filter(({ liveClass }) => liveClass.recording);
  await insertChunked(recorded, (chunk) =>
    db
      .insertInto('recordings')
      .values(
        chunk.map(({ company, course, liveClass }) => ({
          id: liveClass.recording!.id,
          company_id: company.id,
          live_class_id: liveClass.id,
          course_id: course.id,
          egress_id: `EG_${liveClass.recording!.id}`,
          status: 'READY',
          started_at: liveClass.scheduledAt,
          ended_at: liveClass.event.end,
          duration_seconds: liveClass.recording!.durationSeconds,
          size_bytes: String(100_000_000),
          storage: 'local',
          file_key: `${liveClass.roomName}.mp4`,
          location: `${liveClass.roomName}.mp4`,
          created_at: liveClass.recording!.createdAt,
        })),
      )
      .execute(),
  );
}

async function seedCalendar(db: Kysely<CalendarDatabase>, companies: BenchCompany[]): Promise<void> {
  const classes = companies.flatMap((company) => company.courses.flatMap((course) => course.liveClasses.map((liveClass) => ({ company, course, liveClass }))));
  await insertChunked(classes, (chunk) =>
    db
      .insertInto('calendar.calendar_events')
      .values(
        chunk.map(({ company, course, liveClass }) => ({
          id: liveClass.event.id,
          company_id: company.id,
          parent_id: null,
          recurrence_id: null,
          title: liveClass.event.title,
          description: null,
          location: null,
          start_time: liveClass.event.start,
          end_time: liveClass.event.end,
          all_day: false,
          timezone: 'UTC',
          recurrence_rule: null,
          series_until: null,
          event_type: 'LIVE_CLASS',
          source_module: 'meet',
          entity_type: 'live_class',
          entity_id: liveClass.id,
          course_id: course.id,
          organizer_id: liveClass.host.id,
          external_id: null,
          last_synced_at: null,
          metadata: JSON.stringify({ courseId: course.id }),
        })),
      )
      .execute(),
  );
  await insertChunked(classes, (chunk) =>
    db
      .insertInto('calendar.event_participants')
      .values(
        chunk.map(({ liveClass }) => ({
          event_id: liveClass.event.id,
          user_id: liveClass.host.id,
          external_email: null,
          external_name: null,
          status: 'ACCEPTED',
          is_organizer: true,
          responded_at: null,
        })),
      )
      .execute(),
  );
}

async function seedDocuments(db: Kysely<DocumentsDatabase>, companies: BenchCompany[]): Promise<void> {
  const documents = companies.flatMap((company) => company.courses.flatMap((course) => course.documents.map((document) => ({ company, course, document }))));
  const common = (companyId: string, document: (typeof documents)[number]['document']) => ({
    filename: document.filename,
    original_filename: document.filename,
    mime_type: 'application/pdf',
    size: document.size,
    checksum: '0'.repeat(64),
    storage_backend: 'local',
    storage_key: storageKey(companyId, document.id, document.versionId),
    uploaded_by: document.uploadedBy.id,
    created_at: document.createdAt,
  });
  await insertChunked(documents, (chunk) =>
    db
      .insertInto('documents.documents')
      .values(
        chunk.map(({ company, course, document }) => ({
          id: document.id,
          company_id: company.id,
          category: 'handout',
          tags: [],
          version: 1,
          entity_type: 'course',
          entity_id: course.id,
          is_archived: false,
          ...common(company.id, document),
        })),
      )
      .execute(),
  );
  await insertChunked(documents, (chunk) =>
    db
      .insertInto('documents.document_versions')
      .values(chunk.map(({ company, document }) => ({ id: document.versionId, document_id: document.id, company_id: company.id, version: 1, ...common(company.id, document) })))
      .execute(),
  );
}

export interface SeedCounts {
  courses: number;
  liveClasses: number;
  recordings: number;
  calendarEvents: number;
  documents: number;
  users: number;
}

/** Inserts `companies` into a database migrated for all five subgraphs; `print` reports progress. */
export async function seedBenchData(
  config: PlatformConfig,
  databaseUrl: string,
  companies: BenchCompany[],
  now: Date,
  print: (line: string) => void = () => {},
): Promise<SeedCounts> {
  const courses = companies.flatMap((company) => company.courses);
  const counts: SeedCounts = {
    courses: courses.length,
    liveClasses: courses.reduce((sum, course) => sum + course.liveClasses.length, 0),
    recordings: courses.reduce((sum, course) => sum + course.liveClasses.filter((liveClass) => liveClass.recording).length, 0),
    calendarEvents: courses.reduce((sum, course) => sum + course.liveClasses.length, 0),
    documents: courses.reduce((sum, course) => sum + course.documents.length, 0),
    users: companies.reduce((sum, company) => sum + company.admins.length + company.teachers.length, 0),
  };
  const step = async (label: string, run: () => Promise<void>) => {
    const started = performance.now();
    await run();
    print(`  seeded ${label} (${Math.round(performance.now() - started)} ms)`);
  };
  await step(`academy: ${counts.users} users, ${counts.courses} courses with enrolments`, () =>
    seedAcademy(createKysely<AcademyDatabase>(databaseUrl), config.moodle.schema, companies, now),
  );
  await step(`meet: ${counts.liveClasses} live classes, ${counts.recordings} recordings`, () => seedMeet(createKysely<MeetDatabase>(databaseUrl, 'meet'), companies));
  await step(`calendar: ${counts.calendarEvents} events`, () => seedCalendar(createKysely<CalendarDatabase>(databaseUrl), companies));
  await step(`documents: ${counts.documents} documents`, () => seedDocuments(createKysely<DocumentsDatabase>(databaseUrl), companies));
  await sql`ANALYZE`.execute(createKysely(databaseUrl));
  return counts;
}
