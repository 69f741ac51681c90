/**
 * A takeback of publishing (track_published, reconciliation) racing a
 * promotion: judged on the old "not promoted" standing, it must not silence
 * a student a moderator promoted since. Once the promotion landed before the
 * takeback's LiveKit call (judge, promote, takeback in that order); then
 * with the takeback's UpdateParticipant answer held back while a moderator
 * promotes (no lock is held across the call: the promotion goes through at
 * once, and the takeback, finding it written, yields); and with the
 * promotion's UpdateParticipant landing before the takeback's (which
 * silenced Sam): the takeback makes the promotion's permission again. In
 * both of those LiveKit did take Sam's camera down for a moment: the audit
 * says so, the takeback (meet's, `unauthorised_publish`) before the
 * promotion that won.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/logger.js';
import { Reconciler } from '../jobs/reconciler.js';
import { LiveKitApi } from '../livekit/livekit-api.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { publishedUnallowed, takeBackPublishing } from '../webhooks/unauthorised-publishing.js';
import { type MeetTestPlatform, reconcilerFor, samPublishingUnannounced, settledOrWaitingOnLock, startMeetPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
let livekit: LiveKitApi;
beforeAll(async () => {
  meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0' });
  ({ reconciler, livekit } = reconcilerFor(meet));
});
afterAll(async () => {
  meet.livekit.beforeAnswer = meet.livekit.beforeActing = undefined;
  await reconciler?.stop();
  await meet?.stop();
});

const PROMOTE = `mutation($c: ID!, $u: ID!) { promoteParticipant(liveClassId: $c, userId: $u) { promoted canPublish } }`;
const STANDING = `query($id: ID!) { liveClass(id: $id) { roomParticipants { identity promoted canPublish } moderationLog { action detail actor { id } } } }`;

async function samOf(id: string) {
  const { body } = await meet.call('tara.teacher', STANDING, { id });
  const { roomParticipants, moderationLog } = body.data.liveClass;
  return { sam: roomParticipants.find((participant: { identity: string }) => participant.identity === '5'), log: moderationLog };
}
describe('a takeback judged before a promotion landed', () => {
  it('leaves Sam speaking when the promotion landed before the takeback reached LiveKit', async () => {
    const { id, roomName } = await samPublishingUnannounced(meet, 'Prisms');
    const db = meet.platform.db.withSchema('meet');
    const [liveClass] = await new LiveClassRepository(db).findByIdsAcrossCompanies([id]);
    const participant = meet.livekit.participant(roomName, '5')!;
    const standing = await publishedUnallowed(db, liveClass!, { identity: '5', kind: 0, metadata: participant.metadata ?? null }, null, ['CAMERA']);
    expect(standing).toBe('listener');
    expect((await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' })).body.data.promoteParticipant).toEqual({ promoted: true, canPublish: true });
    expect(await takeBackPublishing(db, livekit, liveClass!, '5', createLogger('test'), standing!)).toBe(false);
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: true }, tracks: [{ source: 'CAMERA' }] });
    const { sam, log } = await samOf(id);
    expect(sam).toMatchObject({ promoted: true, canPublish: true });
    expect(log.map((entry: { action: string }) => entry.action)).toEqual(['PROMOTED']);
  });

  it('lets a promotion made while the takeback\u2019s answer is on its way through at once, and win', async () => {
    const { id, roomName } = await samPublishingUnannounced(meet, 'Prisms');
    let promotion: Promise<{ body: any }> | undefined;
    let meanwhile: 'settled' | 'waiting' | undefined;
    meet.livekit.beforeAnswer = async ({ method, body }) => {
      if (method !== 'UpdateParticipant' || body.identity !== '5' || body.permission?.canPublish) return;
      meet.livekit.beforeAnswer = undefined;
      promotion = meet.call('tara.teacher', PROMOTE, { c: id, u: '5' });
      meanwhile = await settledOrWaitingOnLock(meet, promotion);
    };
    const held = (await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id);
    // No lock is held across the takeback's LiveKit call: the promotion went through, and the takeback yields to it.
    expect(meanwhile).toBe('settled');
    expect(held).toEqual([]);
    expect((await promotion!).body.data.promoteParticipant).toEqual({ promoted: true, canPublish: true });
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: true, canPublishSources: ['CAMERA', 'MICROPHONE'] } });
    const { sam, log } = await samOf(id);
    expect(sam).toMatchObject({ promoted: true, canPublish: true });
    // Newest first: the promotion won, after the takeback LiveKit applied.
    expect(log.map((entry: { action: string; detail: string | null }) => `${entry.action} ${entry.detail}`)).toEqual(['PROMOTED null', 'DEMOTED unauthorised_publish']);
  });

  it('makes a promotion whose LiveKit call landed before the superseded takeback\u2019s again', async () => {
    const { id, roomName } = await samPublishingUnannounced(meet, 'Prisms');
    let promotion: { body: any } | undefined;
    meet.livekit.beforeActing = async ({ method, body }) => {
      if (method !== 'UpdateParticipant' || body.identity !== '5' || body.permission?.canPublish) return;
      meet.livekit.beforeActing = undefined;
      promotion = await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' }); // its UpdateParticipant lands first
    };
    expect((await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id)).toEqual([]);
    expect(promotion?.body.data.promoteParticipant).toEqual({ promoted: true, canPublish: true });
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: true, canPublishSources: ['CAMERA', 'MICROPHONE'] } });
    const { log } = await samOf(id);
    expect(log.map((entry: { action: string; detail: string | null; actor: { id: string } | null }) => [entry.action, entry.detail, entry.actor?.id ?? null])).toEqual([
      ['PROMOTED', null, '3'],
      ['DEMOTED', 'unauthorised_publish', null],
    ]);
  });
});
