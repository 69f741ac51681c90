/**
 * A promotion and the judges of publishing (track_published, reconciliation)
 * racing: LiveKit's answer to the promotion's UpdateParticipant is held back
 * (the double has acted: the student may publish) until the student
 * published and the webhook, or a reconciliation run, was processed. The
 * database says "promoted" before LiveKit does, so the judge leaves the track
 * and the student ends promoted in both. And a promotion LiveKit fails
 * leaves none recorded; one whose answer is lost after LiveKit acted (an
 * error answer, a connection reset) leaves LiveKit allowing more than the
 * database, which the judge takes back on a publication, and reconciliation
 * without one.
 */
import { describe, expect, it } from 'vitest';
import { ConnectionReset } from '../../../test/livekit/livekit-double.js';
import type { Reconciler } from '../jobs/reconciler.js';
import { classWithInRoom, type MeetTestPlatform, meetWithReconciler } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
meetWithReconciler((started) => ({ meet, reconciler } = started));

const PROMOTE = `mutation($c: ID!, $u: ID!) { promoteParticipant(liveClassId: $c, userId: $u) { promoted canPublish } }`;
const RAISE = `mutation($c: ID!) { raiseHand(liveClassId: $c) { id } }`;
const STANDING = `query($id: ID!) { liveClass(id: $id) { roomParticipants { identity promoted handRaisedAt } moderationLog { action detail } } }`;

/** A class with its teacher and Sam (user 5, a student) in the room. */
async function classWithSam() {
  return classWithInRoom(meet, 'Lenses', ['tara.teacher', 'sam.student']);
}
/** Runs `meanwhile` once, when LiveKit has made Sam a speaker and before it answers so. */
function holdSamsPromotion(meanwhile: () => Promise<void>) {
  meet.livekit.beforeAnswer = async ({ method, body }) => {
    if (method !== 'UpdateParticipant' || body.identity !== '5' || !body.permission?.canPublish) return;
    meet.livekit.beforeAnswer = undefined;
    await meanwhile();
  };
}
async function standingOf(id: string) {
  const { body } = await meet.call('tara.teacher', STANDING, { id });
  const { roomParticipants, moderationLog } = body.data.liveClass;
  return { sam: roomParticipants.find((participant: { identity: string }) => participant.identity === '5'), log: moderationLog };
}

describe('a promotion racing the judges of publishing', () => {
  it('keeps the camera Sam published while LiveKit\u2019s answer was on its way, its track_published judged meanwhile', async () => {
    const { id, roomName } = await classWithSam();
    holdSamsPromotion(async () => {
      meet.livekit.publishTrack(roomName, '5', 'CAMERA');
      await meet.livekit.webhooksSettled();
    });
    const { body } = await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' });
    expect(body.data.promoteParticipant).toEqual({ promoted: true, canPublish: true });
    expect(meet.livekit.webhooks.filter((hook) => hook.event === 'track_published' && hook.room === roomName)).toMatchObject([{ status: 200 }]);
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: true, canPublishSources: ['CAMERA', 'MICROPHONE'] } });
    expect(meet.livekit.participant(roomName, '5')!.tracks!.map((track) => track.source)).toEqual(['CAMERA']);
    const { sam, log } = await standingOf(id);
    expect(sam.promoted).toBe(true);
    expect(log.map((entry: { action: string }) => entry.action)).toEqual(['PROMOTED']);
  });

  it('keeps it when reconciliation ran meanwhile, the webhook lost', async () => {
    const { id, roomName } = await classWithSam();
    let held: unknown[] = [];
    holdSamsPromotion(async () => {
      const { webhookUrl } = meet.livekit;
      meet.livekit.webhookUrl = undefined;
      meet.livekit.publishTrack(roomName, '5', 'MICROPHONE');
      meet.livekit.webhookUrl = webhookUrl;
      held = (await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id);
    });
    const { body } = await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' });
    expect(body.data.promoteParticipant).toEqual({ promoted: true, canPublish: true });
    expect(held).toEqual([]);
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: true } });
    expect(meet.livekit.participant(roomName, '5')!.tracks!.map((track) => track.source)).toEqual(['MICROPHONE']);
    const { sam, log } = await standingOf(id);
    expect(sam.promoted).toBe(true);
    expect(log.map((entry: { action: string }) => entry.action)).toEqual(['PROMOTED']);
  });
});

describe('a promotion LiveKit fails', () => {
  it('is answered UNAVAILABLE and leaves Sam unpromoted, hand still raised, nothing audited', async () => {
    const { id, roomName } = await classWithSam();
    await meet.call('sam.student', RAISE, { c: id });
    meet.livekit.unavailableMethods.add('UpdateParticipant');
    try {
      const { status, body } = await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' });
      expect(status).not.toBe(500);
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      expect(body.data?.promoteParticipant ?? null).toBeNull();
    } finally {
      meet.livekit.unavailableMethods.delete('UpdateParticipant');
    }
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: false } });
    const { sam, log } = await standingOf(id);
    expect(sam.promoted).toBe(false);
    expect(sam.handRaisedAt).not.toBeNull();
    expect(log.map((entry: { action: string }) => entry.action)).toEqual(['HAND_RAISED']);
    // LiveKit back, the promotion goes through.
    expect((await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' })).body.data.promoteParticipant.promoted).toBe(true);
  });

  it('whose answer is lost after LiveKit acted leaves the database unpromoted, and a publication is taken back', async () => {
    const { id, roomName } = await classWithSam();
    holdSamsPromotion(async () => {
      throw new Error('answer lost');
    });
    const { status, body } = await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' });
    expect(status).not.toBe(500);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', userId: '5' });
    expect(body.errors?.[0]?.message).toMatch(/did not confirm .*not promoted/);
    // LiveKit allows more than the database says: the safe way round, as the judge of publishing shows.
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: true } });
    expect((await standingOf(id)).sam.promoted).toBe(false);
    meet.livekit.publishTrack(roomName, '5', 'CAMERA');
    await meet.livekit.webhooksSettled();
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: false }, tracks: [] });
    expect((await standingOf(id)).log.map((entry: { detail: string | null }) => entry.detail)).toEqual(['unauthorised_publish']);
  });

  it('whose connection is reset after LiveKit acted is withdrawn, and reconciliation holds LiveKit to the database', async () => {
    const { id, roomName } = await classWithSam();
    holdSamsPromotion(async () => {
      throw new ConnectionReset();
    });
    const { status, body } = await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' });
    expect(status).not.toBe(500);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', userId: '5' });
    expect(body.errors?.[0]?.message).toMatch(/did not confirm .*not promoted/);
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: true } });
    expect((await standingOf(id)).sam.promoted).toBe(false);
    const held = (await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id);
    expect(held).toEqual([{ liveClassId: id, userId: '5', standing: 'listener' }]);
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: false, canPublishSources: [] } });
    const { sam, log } = await standingOf(id);
    expect(sam.promoted).toBe(false);
    expect(log.map((entry: { action: string; detail: string | null }) => `${entry.action} ${entry.detail}`)).toEqual(['DEMOTED unauthorised_permission']);
    // Held so, the next run finds nothing to take back.
    expect((await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id)).toEqual([]);
  });
});
