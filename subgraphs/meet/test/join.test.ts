import { decodeJwt } from 'jose';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inMinutes, JOIN, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
beforeAll(async () => {
  meet = await startMeetPlatform();
});
afterAll(() => meet?.stop());

const codeOf = (result: { body: any }) => result.body.errors?.[0]?.extensions?.code;
async function scheduleIn(minutes: number, durationMinutes = 60) {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Waves', scheduledAt: inMinutes(minutes), durationMinutes } });
  expect(body.errors).toBeUndefined();
  return body.data.scheduleLiveClass as { id: string; roomName: string; scheduledAt: string };
}
const join = (user: string, id: string) => meet.call(user, JOIN, { id });

describe('joining a live class', () => {
  it('gives a student a subscribe-and-chat token for this room only, bounded by the class end', async () => {
    const liveClass = await scheduleIn(10, 60);
    const { body } = await join('sam.student', liveClass.id);
    expect(body.errors).toBeUndefined();
    const ticket = body.data.joinLiveClass;
    expect(ticket).toMatchObject({ roomName: liveClass.roomName, canPublish: false, livekitUrl: meet.livekit.url });
    // Signed with LiveKit's API secret, as LiveKit itself verifies it.
    const claims = await new TokenVerifier('devkey', 'secret').verify(ticket.token);
    expect(claims.iss).toBe('devkey');
    const decoded = decodeJwt(ticket.token) as any;
    expect(decoded.sub).toBe('5');
    expect(decoded.name).toBe('Sam Dutta');
    expect(decoded.video).toEqual({ room: liveClass.roomName, roomJoin: true, canSubscribe: true, canPublishData: true, canPublish: false });
    const endPlusGrace = new Date(liveClass.scheduledAt).getTime() / 1000 + 60 * 60 + 15 * 60;
    expect(Math.abs(decoded.exp - endPlusGrace)).toBeLessThanOrEqual(5);
    expect(new Date(ticket.expiresAt).getTime() / 1000).toBe(decoded.exp);
  });

  it('gives a teacher publishing rights for camera, microphone and screen and room admin', async () => {
    const liveClass = await scheduleIn(10);
    const { body } = await join('tara.teacher', liveClass.id);
    expect(body.errors).toBeUndefined();
    expect(body.data.joinLiveClass.canPublish).toBe(true);
    const decoded = decodeJwt(body.data.joinLiveClass.token) as any;
    expect(decoded.sub).toBe('3');
    expect(decoded.video).toMatchObject({
      room: liveClass.roomName,
      roomJoin: true,
      roomAdmin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
      canPublishSources: ['camera', 'microphone', 'screen_share', 'screen_share_audio'],
    });
    expect(decoded.video.roomCreate).toBeUndefined();
    expect(decoded.video.roomList).toBeUndefined();
  });

  it('caps the token life at two hours for long classes', async () => {
    const liveClass = await scheduleIn(5, 480);
    const decoded = decodeJwt((await join('sam.student', liveClass.id)).body.data.joinLiveClass.token);
    expect(decoded.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(7200);
    expect(decoded.exp! - Math.floor(Date.now() / 1000)).toBeGreaterThan(7190);
  });

  it('creates the LiveKit room on the first join only, kept open until the scheduled end', async () => {
    const liveClass = await scheduleIn(10, 60);
    const before = meet.livekit.callsTo('CreateRoom').length;
    await join('sam.student', liveClass.id);
    await join('sita.student', liveClass.id);
    const creates = meet.livekit.callsTo('CreateRoom').slice(before);
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatchObject({ status: 200, body: { name: liveClass.roomName, maxParticipants: 200 } });
    expect(creates[0]!.body.emptyTimeout).toBeGreaterThanOrEqual(69 * 60);
    expect(JSON.parse(meet.livekit.rooms.get(liveClass.roomName)!.metadata)).toMatchObject({ class_id: liveClass.id, course_id: '101' });
  });

  it('opens the join window 15 minutes before the start for students and 60 for teachers', async () => {
    const liveClass = await scheduleIn(30);
    const early = await join('sam.student', liveClass.id);
    expect(codeOf(early)).toBe('CONFLICT');
    expect(early.body.errors?.[0]?.extensions?.opensAt).toBe(new Date(new Date(liveClass.scheduledAt).getTime() - 15 * 60_000).toISOString());
    expect((await join('tara.teacher', liveClass.id)).body.errors).toBeUndefined();
    expect((await join('admin', liveClass.id)).body.errors).toBeUndefined();
    const later = await scheduleIn(90);
    expect(codeOf(await join('tara.teacher', later.id))).toBe('CONFLICT');
  });

  it('refuses a class that is over without having started, or cancelled', async () => {
    const past = await scheduleIn(10);
    await meet.exec(`UPDATE meet.live_classes SET scheduled_at = now() - interval '2 hours' WHERE id = '${past.id}'`);
    expect(codeOf(await join('sam.student', past.id))).toBe('CONFLICT');
    const cancelled = await scheduleIn(10);
    await meet.call('tara.teacher', 'mutation($id: ID!) { cancelLiveClass(id: $id) { id } }', { id: cancelled.id });
    expect(codeOf(await join('sam.student', cancelled.id))).toBe('CONFLICT');
  });

  it('lets a LIVE class be joined past its scheduled end', async () => {
    const liveClass = await scheduleIn(10);
    await meet.exec(
      `UPDATE meet.live_classes SET status = 'LIVE', started_at = now() - interval '70 minutes', scheduled_at = now() - interval '70 minutes', room_opened_at = now() WHERE id = '${liveClass.id}'`,
    );
    const { body } = await join('sam.student', liveClass.id);
    expect(body.errors).toBeUndefined();
    const ttl = decodeJwt(body.data.joinLiveClass.token).exp! - Math.floor(Date.now() / 1000);
    expect(ttl).toBeGreaterThan(14 * 60);
    expect(ttl).toBeLessThanOrEqual(15 * 60);
  });

  it('refuses users not enrolled in the course and other companies', async () => {
    const liveClass = await scheduleIn(10);
    expect(codeOf(await join('neil.student', liveClass.id))).toBe('FORBIDDEN');
    expect(codeOf(await join('emil.employee', liveClass.id))).toBe('FORBIDDEN');
    expect(codeOf(await join('gary.student', liveClass.id))).toBe('NOT_FOUND');
    expect(codeOf(await join('sam.student', 'not-a-class'))).toBe('NOT_FOUND');
  });

  it('answers UNAVAILABLE when LiveKit cannot open the room', async () => {
    const liveClass = await scheduleIn(10);
    meet.livekit.unavailable = true;
    try {
      const result = await join('sam.student', liveClass.id);
      expect(codeOf(result)).toBe('UNAVAILABLE');
      expect(result.body.errors?.[0]?.message).toMatch(/LiveKit/);
    } finally {
      meet.livekit.unavailable = false;
    }
    expect((await join('sam.student', liveClass.id)).body.errors).toBeUndefined();
  });
});
