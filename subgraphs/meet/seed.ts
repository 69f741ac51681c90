/**
 * Demo live classes for embedded mode: the scheduled ones of DEMO_LIVE_CLASSES
 * and one that already ended, with a READY recording (its file written to
 * the local recordings directory, so that its link plays) and attendance.
 */
import { createKysely } from '../../platform/database/connection.js';
import { DEMO_COURSES, DEMO_ENDED_LIVE_CLASS, DEMO_LIVE_CLASSES, demoCompanyId } from '../../platform/demo/demo-ids.js';
import type { SubgraphDeps } from '../../platform/subgraph/subgraph-module.js';
import type { MeetDatabase } from './database.js';
import { ensureDemoRecordingFile } from './recordings/demo-recording-file.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

function companyOfCourse(courseId: string): string {
  const course = DEMO_COURSES.find((candidate) => candidate.id === courseId);
  if (!course) throw new Error(`Demo live class on unknown demo course ${courseId}`);
  return demoCompanyId(course.company);
}

export async function seedMeet({ config, databaseUrl, log }: SubgraphDeps): Promise<void> {
  const db = createKysely<MeetDatabase>(databaseUrl, 'meet');
  const ended = DEMO_ENDED_LIVE_CLASS;
  const demoFileKey = `class-${ended.course}-demo0.mp4`;
  // Also when the data is kept but the file went (a new DATA_DIR for files only).
  const demoFileSize = await ensureDemoRecordingFile(config.meet.recordingsDir, demoFileKey, ended.minutes * 60);
  if (await db.selectFrom('live_classes').select('id').limit(1).executeTakeFirst()) return;
  // Whole hours, so that the demo schedule reads naturally.
  const now = Math.floor(Date.now() / HOUR) * HOUR;

  await db.transaction().execute(async (trx) => {
    for (const [index, demo] of DEMO_LIVE_CLASSES.entries()) {
      await trx
        .insertInto('live_classes')
        .values({
          id: demo.id,
          company_id: companyOfCourse(demo.course),
          course_id: demo.course,
          title: demo.title,
          description: null,
          scheduled_at: new Date(now + demo.inHours * HOUR),
          duration_minutes: demo.minutes,
          room_name: `class-${demo.course}-demo${index + 1}`,
          host_user_id: demo.host,
          record: index === 0,
          created_by: `passport-${demo.host}`,
        })
        .execute();
    }

    const companyId = companyOfCourse(ended.course);
    const start = new Date(now - ended.hoursAgo * HOUR);
    const end = new Date(start.getTime() + ended.minutes * MINUTE);
    await trx
      .insertInto('live_classes')
      .values({
        id: ended.id,
        company_id: companyId,
        course_id: ended.course,
        title: ended.title,
        description: 'Recorded; the recording is available to the course.',
        scheduled_at: start,
        duration_minutes: ended.minutes,
        status: 'ENDED',
        started_at: start,
        ended_at: end,
        room_name: `class-${ended.course}-demo0`,
        host_user_id: ended.host,
        record: true,
        created_by: `passport-${ended.host}`,
      })
      .execute();
    await trx
      .insertInto('recordings')
      .values({
        id: ended.recordingId,
        company_id: companyId,
        live_class_id: ended.id,
        course_id: ended.course,
        egress_id: 'EG_demo0000001',
        status: 'READY',
        started_at: start,
        ended_at: end,
        duration_seconds: ended.minutes * 60,
        size_bytes: String(demoFileSize),
        storage: 'local',
        file_key: demoFileKey,
        location: demoFileKey,
      })
      .execute();
    for (const [index, stay] of ended.attendance.entries()) {
      await trx
        .insertInto('attendance')
        .values({
          company_id: companyId,
          live_class_id: ended.id,
          user_id: stay.user,
          participant_identity: stay.user,
          participant_sid: `PA_demo${index}`,
          joined_at: new Date(start.getTime() + stay.fromMinute * MINUTE),
          left_at: new Date(start.getTime() + stay.toMinute * MINUTE),
        })
        .execute();
    }
  });
  log.info({ liveClasses: DEMO_LIVE_CLASSES.length + 1 }, 'seeded meet demo data');
}
