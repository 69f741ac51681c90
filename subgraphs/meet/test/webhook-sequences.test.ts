/**
 * LiveKit's webhooks in the orders LiveKit really sends them: its server
 * submits each event to a worker pool (deliveries run concurrently, retries
 * come later), so a participant_left may come after room_finished, and a
 * room_finished of an earlier room of the class after the class went live
 * again. A participant whose connection never became active gets
 * participant_connection_aborted instead of participant_left, and no
 * participant_joined.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import { inMinutes, JOIN, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
beforeAll(async () => {
  process.env.MEET_RECONCILE_INTERVAL_SECONDS = '0';
  meet = await startMeetPlatform();
});
afterAll(() => meet?.stop());

const hook = (event: string, fields: Record<string, unknown>, createdAt?: Date) => sendWebhook(meet.webhookUrl, event, fields, { createdAt });
const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));
const room = (name: string, sid = 'RM_test') => ({ sid, name });
const participant = (identity: string, sid: string, joinedAt: Date) => ({ sid, identity, state: 'ACTIVE', joinedAt: seconds(joinedAt) });
/** LiveKit's times are whole seconds: `ago(n)` is n seconds before the test's start. */
function clock() {
  const base = Math.floor(Date.now() / 1000) * 1000;
  return (secondsAgo: number) => new Date(base - secondsAgo * 1000);
}

async function scheduleOpened() {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Optics', scheduledAt: inMinutes(10) } });
  const liveClass = body.data.scheduleLiveClass as { id: string; roomName: string };
  expect((await meet.call('tara.teacher', JOIN, { id: liveClass.id })).body.errors).toBeUndefined();
  await meet.livekit.webhooksSettled();
  return liveClass;
}
const statusOf = async (id: string) => (await meet.call('admin', `{ liveClass(id: "${id}") { status startedAt endedAt } }`)).body.data.liveClass;
async function attendanceOf(id: string): Promise<Record<string, { secondsPresent: number; intervals: { joinedAt: string; leftAt: string | null }[] }>> {
  const { body } = await meet.call('tara.teacher', `{ liveClass(id: "${id}") { attendance { user { id } secondsPresent intervals { joinedAt leftAt } } } }`);
  return Object.fromEntries(body.data.liveClass.attendance.map((entry: any) => [entry.user.id, entry]));
}

describe('LiveKit webhook sequences', () => {
  it('takes a participant_left delivered after room_finished at its own time, not the room’s end', async () => {
    const liveClass = await scheduleOpened();
    const ago = clock();
    const r = room(liveClass.roomName);
    const start = ago(120);
    await hook('participant_joined', { room: r, participant: participant('3', 'PA_t', start) }, start);
    await hook('participant_joined', { room: r, participant: participant('5', 'PA_s', ago(110)) }, ago(110));
    // Sam left 80 s before the room closed; the teacher's left and room_finished were delivered first.
    await hook('participant_left', { room: r, participant: participant('3', 'PA_t', start) }, ago(10));
    await hook('room_finished', { room: r }, ago(10));
    expect(await statusOf(liveClass.id)).toMatchObject({ status: 'ENDED', endedAt: ago(10).toISOString() });
    await hook('participant_left', { room: r, participant: participant('5', 'PA_s', ago(110)) }, ago(90));

    const sam = (await attendanceOf(liveClass.id))['5']!;
    expect(sam.intervals).toEqual([{ joinedAt: ago(110).toISOString(), leftAt: ago(90).toISOString() }]);
    expect(sam.secondsPresent).toBe(20);
  });

  it('keeps a participant_joined delivered after room_finished, up to the room’s end, and its later left corrects that', async () => {
    const liveClass = await scheduleOpened();
    const ago = clock();
    const r = room(liveClass.roomName);
    await hook('participant_joined', { room: r, participant: participant('3', 'PA_t5', ago(120)) }, ago(120));
    await hook('room_finished', { room: r }, ago(10));
    // Sita's joined (sent at ago(100)) arrives only now; her left may never come.
    expect((await hook('participant_joined', { room: r, participant: participant('6', 'PA_late', ago(100)) }, ago(100))).body.status).toBe('applied');
    expect((await attendanceOf(liveClass.id))['6']!.intervals).toEqual([{ joinedAt: ago(100).toISOString(), leftAt: ago(10).toISOString() }]);
    await hook('participant_left', { room: r, participant: participant('6', 'PA_late', ago(100)) }, ago(40));
    expect((await attendanceOf(liveClass.id))['6']!.intervals).toEqual([{ joinedAt: ago(100).toISOString(), leftAt: ago(40).toISOString() }]);
    // A join into a room reopened after the end (an old token) is no attendance of this class.
    expect((await hook('participant_joined', { room: room(liveClass.roomName, 'RM_after'), participant: participant('5', 'PA_after', ago(5)) }, ago(5))).body.status).toBe(
      'ignored',
    );
    expect((await attendanceOf(liveClass.id))['5']).toBeUndefined();
    expect((await statusOf(liveClass.id)).status).toBe('ENDED');
  });

  it('counts no attendance for a connection LiveKit aborted before it became active', async () => {
    const liveClass = await scheduleOpened();
    const ago = clock();
    const r = room(liveClass.roomName);
    await hook('participant_joined', { room: r, participant: participant('3', 'PA_t2', ago(60)) }, ago(60));
    // Sam's first attempt never connected (no participant_joined); his second did, with a new sid.
    await hook('participant_connection_aborted', { room: r, participant: { ...participant('5', 'PA_s_fail', ago(50)), state: 'DISCONNECTED' } }, ago(20));
    expect((await attendanceOf(liveClass.id))['5']).toBeUndefined();
    await hook('participant_joined', { room: r, participant: participant('5', 'PA_s_ok', ago(15)) }, ago(15));
    const sam = (await attendanceOf(liveClass.id))['5']!;
    expect(sam.intervals).toEqual([{ joinedAt: ago(15).toISOString(), leftAt: null }]);
  });

  it('keeps a class LIVE when the room_finished of its earlier room arrives after it went live again', async () => {
    const liveClass = await scheduleOpened();
    const ago = clock();
    // A student waited in the class's first room, then left; that room closed.
    await hook('participant_joined', { room: room(liveClass.roomName, 'RM_first'), participant: participant('5', 'PA_w', ago(300)) }, ago(300));
    await hook('participant_left', { room: room(liveClass.roomName, 'RM_first'), participant: participant('5', 'PA_w', ago(300)) }, ago(200));
    // The teacher opens a new room; the first room's room_finished (sent at ago(100)) is delivered only now.
    await hook('participant_joined', { room: room(liveClass.roomName, 'RM_second'), participant: participant('3', 'PA_t3', ago(60)) }, ago(60));
    expect((await statusOf(liveClass.id)).status).toBe('LIVE');
    const late = await hook('room_finished', { room: room(liveClass.roomName, 'RM_first') }, ago(100));
    expect(late.body.status).toBe('ignored');
    expect(await statusOf(liveClass.id)).toMatchObject({ status: 'LIVE', startedAt: ago(60).toISOString(), endedAt: null });
    expect((await meet.outbox('meet.class.ended')).filter((row) => row.entity_key === liveClass.id)).toHaveLength(0);
  });

  it('counts a reconnection (same identity, new sid) once, without losing the time between', async () => {
    const liveClass = await scheduleOpened();
    const ago = clock();
    const r = room(liveClass.roomName);
    await hook('participant_joined', { room: r, participant: participant('3', 'PA_t4', ago(100)) }, ago(100));
    await hook('participant_joined', { room: r, participant: participant('5', 'PA_s_a', ago(90)) }, ago(90));
    // Sam's network changes: LiveKit admits the new session (same identity) and drops the old one, left delivered late.
    await hook('participant_joined', { room: r, participant: participant('5', 'PA_s_b', ago(50)) }, ago(50));
    await hook('participant_joined', { room: r, participant: participant('5', 'PA_s_b', ago(50)) }, ago(50)); // a retry, new id
    await hook('participant_left', { room: r, participant: participant('5', 'PA_s_a', ago(90)) }, ago(50));
    await hook('participant_left', { room: r, participant: participant('5', 'PA_s_b', ago(50)) }, ago(10));
    const sam = (await attendanceOf(liveClass.id))['5']!;
    expect(sam.intervals).toEqual([{ joinedAt: ago(90).toISOString(), leftAt: ago(10).toISOString() }]);
    expect(sam.secondsPresent).toBe(80);
  });
});
