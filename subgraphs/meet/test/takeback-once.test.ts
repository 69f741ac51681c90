/**
 * One publication taken back once. track_published and a reconciliation run
 * can both judge the same state (Sam's camera up, Sam not promoted); in
 * either order, the second takeback finds LiveKit holding Sam to a
 * listener's permission already (read again before acting) and leaves it:
 * one UpdateParticipant, one audit row. When both read LiveKit before either
 * takeback reached it, both tell LiveKit, and the second to write finds the
 * first's audit, written since its read, and adds none. So too when a
 * promotion overrode both takebacks LiveKit carried out: one takeback audited,
 * then the promotion.
 */
import { describe, expect, it } from 'vitest';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import type { Reconciler } from '../jobs/reconciler.js';
import { type MeetTestPlatform, meetWithReconciler, samPublishingUnannounced } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
meetWithReconciler((started) => ({ meet, reconciler } = started));

const LOG = `query($id: ID!) { liveClass(id: $id) { moderationLog { action detail } } }`;
const RAISE = `mutation($c: ID!) { raiseHand(liveClassId: $c) { id } }`;
const PROMOTE = `mutation($c: ID!, $u: ID!) { promoteParticipant(liveClassId: $c, userId: $u) { promoted canPublish } }`;

/** Callers of the returned function wait until `count` have called it; the last runs `then` first. */
function meeting(count: number, then: () => Promise<unknown> = async () => {}) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived === count) {
      await then();
      release();
    }
    await all;
  };
}

/**
 * A class with Tara and Sam (user 5) in its room, Sam allowed behind meet's back and publishing a camera whose
 * track_published is not sent; `deliver` sends it, as LiveKit would have then.
 */
async function samPublishedUnannounced() {
  const { track, ...created } = await samPublishingUnannounced(meet, 'Gratings');
  const fields = { room: { ...meet.livekit.rooms.get(created.roomName)! }, participant: structuredClone(meet.livekit.participant(created.roomName, '5')), track };
  const deliver = async () => {
    expect((await sendWebhook(meet.webhookUrl, 'track_published', fields)).status).toBe(200);
  };
  return { ...created, deliver };
}
async function auditOf(id: string) {
  const { body } = await meet.call('tara.teacher', LOG, { id });
  return body.data.liveClass.moderationLog.map((entry: { action: string; detail: string | null }) => `${entry.action} ${entry.detail}`);
}
const updatesOfSam = (roomName: string) => meet.livekit.callsTo('UpdateParticipant').filter((call) => call.body.room === roomName && call.body.identity === '5');

describe('a publication judged by both track_published and reconciliation', () => {
  it('is taken back once when the webhook lands while the run\u2019s list of the room is on its way', async () => {
    const { id, roomName, deliver } = await samPublishedUnannounced();
    meet.livekit.beforeAnswer = async ({ method, body }) => {
      if (method !== 'ListParticipants' || body.room !== roomName) return;
      meet.livekit.beforeAnswer = undefined;
      await deliver(); // the run judges the list LiveKit wrote before this takeback
    };
    const held = (await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id);
    expect(meet.livekit.beforeAnswer).toBeUndefined();
    expect(held).toEqual([]);
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: false }, tracks: [] });
    expect(updatesOfSam(roomName)).toHaveLength(1);
    expect(await auditOf(id)).toEqual(['DEMOTED unauthorised_publish']);
  });

  it('is audited once when the webhook\u2019s takeback runs while the run\u2019s own is on its way to LiveKit', async () => {
    const { id, roomName, deliver } = await samPublishedUnannounced();
    meet.livekit.beforeActing = async ({ method, body }) => {
      if (method !== 'UpdateParticipant' || body.room !== roomName) return;
      meet.livekit.beforeActing = undefined;
      await deliver(); // both judges read LiveKit before either's takeback reached it; no lock keeps them apart
    };
    const held = (await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id);
    expect(meet.livekit.beforeActing).toBeUndefined();
    expect(held).toEqual([]); // the webhook's takeback, written first, is the one audited
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: false }, tracks: [] });
    expect(updatesOfSam(roomName)).toHaveLength(2);
    expect(await auditOf(id)).toEqual(['DEMOTED unauthorised_publish']);
  });

  it.each([
    ['no standing yet', false],
    ['a raised hand', true],
  ])('is audited once when both takebacks reached LiveKit and a promotion overrode them (Sam with %s)', async (_, handRaised) => {
    const { id, roomName, deliver } = await samPublishedUnannounced();
    // A standing row read by both judges (its version), or none.
    if (handRaised) expect((await meet.call('sam.student', RAISE, { c: id })).body.errors).toBeUndefined();
    const takeback = (method: string, body: Record<string, any>) =>
      method === 'UpdateParticipant' && body.room === roomName && body.identity === '5' && !body.permission?.canPublish;
    let delivered: Promise<void> | undefined;
    let promotion: { body: any } | undefined;
    // The run's takeback waits until the webhook's (which judged LiveKit before either acted) reaches LiveKit too.
    const bothActing = meeting(2);
    // Both carried out, their answers wait until Tara's promotion went through: both judges then find it under the lock.
    const bothAnswering = meeting(2, async () => (promotion = await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' })));
    meet.livekit.beforeActing = async ({ method, body }) => {
      if (!takeback(method, body)) return;
      delivered ??= deliver();
      await bothActing();
    };
    meet.livekit.beforeAnswer = async ({ method, body }) => {
      if (takeback(method, body)) await bothAnswering();
    };
    try {
      expect((await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id)).toEqual([]);
      await delivered;
    } finally {
      meet.livekit.beforeActing = meet.livekit.beforeAnswer = undefined;
    }
    expect(promotion?.body.data.promoteParticipant).toEqual({ promoted: true, canPublish: true });
    expect(updatesOfSam(roomName).filter((call) => !call.body.permission?.canPublish)).toHaveLength(2);
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: true, canPublishSources: ['CAMERA', 'MICROPHONE'] } });
    expect((await auditOf(id)).filter((entry: string) => !entry.startsWith('HAND_'))).toEqual(['PROMOTED null', 'DEMOTED unauthorised_publish']);
  });

  it('is taken back once when reconciliation ran first and the webhook comes late', async () => {
    const { id, roomName, deliver } = await samPublishedUnannounced();
    const held = (await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id);
    expect(held).toEqual([{ liveClassId: id, userId: '5', standing: 'listener' }]);
    await deliver();
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: false }, tracks: [] });
    expect(updatesOfSam(roomName)).toHaveLength(1);
    expect(await auditOf(id)).toEqual(['DEMOTED unauthorised_publish']);
  });
});
