/**
 * A removal is in the database before LiveKit disconnects the student: a
 * join while LiveKit's answer to RemoveParticipant is held back (the double
 * has removed them) is refused, so no new token lets them back in. LiveKit
 * failing, the claim is withdrawn: not removed, UNAVAILABLE, no 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classWithInRoom, JOIN, type MeetTestPlatform, startMeetPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
beforeAll(async () => {
  meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0' });
});
afterAll(async () => {
  meet.livekit.beforeAnswer = undefined;
  await meet?.stop();
});

const REMOVE = `mutation($c: ID!, $u: ID!) { removeParticipant(liveClassId: $c, userId: $u) { id } }`;
const REMOVED = `query($id: ID!) { liveClass(id: $id) { removedParticipants { id } moderationLog { action } } }`;

/** A class with its teacher and Sam (user 5, a student) in the room. */
async function classWithSam() {
  return classWithInRoom(meet, 'Mirrors', ['tara.teacher', 'sam.student']);
}
async function removedOf(id: string) {
  const { body } = await meet.call('tara.teacher', REMOVED, { id });
  return body.data.liveClass as { removedParticipants: { id: string }[]; moderationLog: { action: string }[] };
}

describe('removing a student', () => {
  it('refuses their join while LiveKit\u2019s answer to the removal is on its way', async () => {
    const { id, roomName } = await classWithSam();
    let rejoin: { status: number; body: any } | undefined;
    meet.livekit.beforeAnswer = async ({ method, body }) => {
      if (method !== 'RemoveParticipant' || body.identity !== '5') return;
      meet.livekit.beforeAnswer = undefined;
      rejoin = await meet.call('sam.student', JOIN, { id });
    };
    const { body } = await meet.call('tara.teacher', REMOVE, { c: id, u: '5' });
    expect(body.data.removeParticipant).toEqual({ id });
    expect(rejoin?.status).not.toBe(500);
    expect(rejoin?.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'REMOVED' });
    expect(rejoin?.body.data?.joinLiveClass ?? null).toBeNull();
    expect(meet.livekit.participant(roomName, '5')).toBeUndefined();
    const { removedParticipants, moderationLog } = await removedOf(id);
    expect(removedParticipants).toEqual([{ id: '5' }]);
    expect(moderationLog.map((entry) => entry.action)).toEqual(['REMOVED']);
  });

  it('that LiveKit fails is answered UNAVAILABLE and leaves them in the class, free to join', async () => {
    const { id, roomName } = await classWithSam();
    meet.livekit.unavailableMethods.add('RemoveParticipant');
    try {
      const { status, body } = await meet.call('tara.teacher', REMOVE, { c: id, u: '5' });
      expect(status).not.toBe(500);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      expect(body.data?.removeParticipant ?? null).toBeNull();
    } finally {
      meet.livekit.unavailableMethods.delete('RemoveParticipant');
    }
    expect(meet.livekit.participant(roomName, '5')).toBeDefined();
    expect(await removedOf(id)).toEqual({ removedParticipants: [], moderationLog: [] });
    expect((await meet.call('sam.student', JOIN, { id })).body.data.joinLiveClass.token).toEqual(expect.any(String));
  });
});
