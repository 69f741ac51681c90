/**
 * Join tokens as LiveKit reads them, for who is joining now: a name outside
 * ASCII, a teacher of another course, a student Moodle enrolled after the
 * class went live.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import { inMinutes, JOIN, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
beforeAll(async () => {
  process.env.MEET_RECONCILE_INTERVAL_SECONDS = '0';
  meet = await startMeetPlatform();
});
afterAll(() => meet?.stop());

const codeOf = (result: { body: any }) => result.body.errors?.[0]?.extensions?.code;
async function liveClass() {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Waves', scheduledAt: inMinutes(5) } });
  const scheduled = body.data.scheduleLiveClass as { id: string; roomName: string };
  const teacher = await meet.call('tara.teacher', JOIN, { id: scheduled.id });
  await meet.livekit.connect(teacher.body.data.joinLiveClass.token);
  await meet.livekit.webhooksSettled();
  expect((await meet.call('admin', `{ liveClass(id: "${scheduled.id}") { status } }`)).body.data.liveClass.status).toBe('LIVE');
  return scheduled;
}

describe('join tokens for who joins now', () => {
  it('carries a name outside ASCII intact to LiveKit', async () => {
    const { id, roomName } = await liveClass();
    const name = 'Sītā Kapoor सीता 👩‍🔬';
    const { body } = await meet.call(demoViewer('sita.student', { name }), JOIN, { id });
    expect(body.errors).toBeUndefined();
    expect((decodeJwt(body.data.joinLiveClass.token) as any).name).toBe(name);
    const participant = await meet.livekit.connect(body.data.joinLiveClass.token);
    expect(participant.name).toBe(name);
    await meet.livekit.webhooksSettled();
    const { body: read } = await meet.call('tara.teacher', `{ liveClass(id: "${id}") { attendance { user { id } } } }`);
    expect(read.data.liveClass.attendance.map((entry: any) => entry.user.id).sort()).toEqual(['3', '6']);
    expect(meet.livekit.participant(roomName, '6')!.name).toBe(name);
  });

  it('refuses a teacher of another course, and lets a student Moodle enrolled after the start join as a student', async () => {
    const { id } = await liveClass();
    expect(codeOf(await meet.call('ravi.teacher', JOIN, { id }))).toBe('FORBIDDEN');
    expect(codeOf(await meet.call('neil.student', JOIN, { id }))).toBe('FORBIDDEN');
    const now = Math.floor(Date.now() / 1000);
    await meet.exec(`INSERT INTO moodle.mdl_user_enrolments (enrolid, userid, status, timestart, timeend, timecreated, timemodified)
      SELECT e.id, 7, 0, ${now}, 0, ${now}, ${now} FROM moodle.mdl_enrol e WHERE e.courseid = 101 AND e.enrol = 'manual'`);
    await meet.exec(`INSERT INTO moodle.mdl_role_assignments (roleid, contextid, userid, timemodified)
      SELECT r.id, c.id, 7, ${now} FROM moodle.mdl_role r, moodle.mdl_context c WHERE r.shortname = 'student' AND c.contextlevel = 50 AND c.instanceid = 101`);
    try {
      const { body } = await meet.call('neil.student', JOIN, { id });
      expect(body.errors).toBeUndefined();
      expect(body.data.joinLiveClass.canPublish).toBe(false);
      expect(JSON.parse((decodeJwt(body.data.joinLiveClass.token) as any).metadata)).toMatchObject({ role: 'student', class_id: id });
    } finally {
      await meet.exec(`DELETE FROM moodle.mdl_role_assignments WHERE userid = 7 AND contextid = (SELECT id FROM moodle.mdl_context WHERE contextlevel = 50 AND instanceid = 101)`);
      await meet.exec(`DELETE FROM moodle.mdl_user_enrolments WHERE userid = 7 AND enrolid IN (SELECT id FROM moodle.mdl_enrol WHERE courseid = 101)`);
    }
  });

  it('ignores a webhook for a room meet never named, and refuses malformed room names without a 500', async () => {
    for (const name of ['other-tenant-room', 'lc-00000000-0000-4000-8000-000000000000', '', 'x'.repeat(5000), '../../etc', 'caf\u00e9 \u{1F600}']) {
      const result = await sendWebhook(meet.webhookUrl, 'participant_joined', { room: { sid: 'RM_x', name }, participant: { sid: 'PA_x', identity: '5', state: 'ACTIVE' } });
      expect(result.status, name.slice(0, 20)).toBe(200);
      expect(result.body.status).toBe('ignored');
    }
    const nul = await sendWebhook(meet.webhookUrl, 'room_started', { room: { sid: 'RM_x', name: 'a\u0000b' } });
    expect(nul.status).toBe(400);
  });
});
