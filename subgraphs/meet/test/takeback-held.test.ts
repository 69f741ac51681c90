/**
 * A takeback holds no database connection nor lock across LiveKit's
 * UpdateParticipant (webhooks/unauthorised-publishing.ts), which may take up
 * to the SDK's timeout when LiveKit hangs: while the answer to Sam's takeback
 * is held back, no transaction is open, and Sita joins the class and her
 * participant_joined and track webhooks are applied, none waiting for a lock.
 * An answer lost after LiveKit acted still leaves the takeback audited,
 * `unconfirmed` after its reason; one lost before LiveKit acted is finished
 * by the next judge, which settles that audit row rather than adding one.
 */
import { describe, expect, it } from 'vitest';
import { ConnectionReset } from '../../../test/livekit/livekit-double.js';
import type { Reconciler } from '../jobs/reconciler.js';
import { JOIN, type MeetTestPlatform, meetWithReconciler, samPublishingUnannounced, settledOrWaitingOnLock } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
meetWithReconciler((started) => ({ meet, reconciler } = started));

const STANDING = `query($id: ID!) { liveClass(id: $id) { attendance { user { id } } moderationLog { action detail } } }`;

describe('a takeback waiting on LiveKit', () => {
  it('lets another student join, and her webhooks through, meanwhile', async () => {
    const { id, roomName } = await samPublishingUnannounced(meet, 'Shutters');
    let meanwhile: 'settled' | 'waiting' | undefined;
    let openTransactions: number | undefined;
    let sitaEnters: Promise<{ status: number; body: any }> | undefined;
    meet.livekit.beforeAnswer = async ({ method, body }) => {
      if (method !== 'UpdateParticipant' || body.identity !== '5') return;
      meet.livekit.beforeAnswer = undefined;
      openTransactions = (await meet.exec(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`))[0].n;
      sitaEnters = (async () => {
        const joined = await meet.call('sita.student', JOIN, { id });
        await meet.livekit.connect(joined.body.data.joinLiveClass.token);
        await meet.livekit.webhooksSettled();
        return joined;
      })();
      meanwhile = await settledOrWaitingOnLock(meet, sitaEnters);
    };
    const held = (await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id);
    expect(held).toEqual([{ liveClassId: id, userId: '5', standing: 'listener' }]);
    expect(openTransactions).toBe(0);
    expect(meanwhile).toBe('settled');
    expect((await sitaEnters!).body.data.joinLiveClass.token).toEqual(expect.any(String));
    const joinedHooks = meet.livekit.webhooks.filter((hook) => hook.room === roomName && hook.event === 'participant_joined');
    expect(joinedHooks.map((hook) => hook.status)).toEqual([200, 200, 200]);
    const { body } = await meet.call('tara.teacher', STANDING, { id });
    expect(body.data.liveClass.attendance.map((entry: { user: { id: string } }) => entry.user.id).sort()).toEqual(['3', '5', '6']);
    expect(body.data.liveClass.moderationLog).toEqual([{ action: 'DEMOTED', detail: 'unauthorised_publish' }]);
  });

  it('audits a takeback whose answer LiveKit lost after acting, as unconfirmed, once', async () => {
    const { id, roomName } = await samPublishingUnannounced(meet, 'Shutters');
    meet.livekit.beforeAnswer = ({ method, body }) => {
      if (method !== 'UpdateParticipant' || body.room !== roomName) return;
      meet.livekit.beforeAnswer = undefined;
      throw new ConnectionReset(); // LiveKit took publishing back; meet never hears so
    };
    const held = (await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id);
    expect(held).toEqual([{ liveClassId: id, userId: '5', standing: 'listener' }]);
    expect(meet.livekit.participant(roomName, '5')!.permission!.canPublish).toBe(false);
    // The next run finds Sam held already: nothing more to take back, nor to audit.
    expect((await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id)).toEqual([]);
    const { body } = await meet.call('tara.teacher', STANDING, { id });
    expect(body.data.liveClass.moderationLog).toEqual([{ action: 'DEMOTED', detail: 'unauthorised_publish unconfirmed' }]);
  });

  it('finishes a takeback LiveKit lost before acting in the next run, still audited once', async () => {
    const { id, roomName } = await samPublishingUnannounced(meet, 'Shutters');
    meet.livekit.beforeActing = ({ method, body }) => {
      if (method !== 'UpdateParticipant' || body.room !== roomName) return;
      meet.livekit.beforeActing = undefined;
      throw new ConnectionReset(); // lost on its way: Sam still publishes, and meet cannot tell
    };
    const heldIn = async () => (await reconciler.reconcile()).heldToStanding.filter((entry) => entry.liveClassId === id);
    expect(await heldIn()).toEqual([{ liveClassId: id, userId: '5', standing: 'listener' }]);
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: true }, tracks: [{ source: 'CAMERA' }] });
    const audit = async () => (await meet.call('tara.teacher', STANDING, { id })).body.data.liveClass.moderationLog;
    expect(await audit()).toEqual([{ action: 'DEMOTED', detail: 'unauthorised_publish unconfirmed' }]);
    // The next run takes publishing back, confirmed: the one audit row says so, no second one.
    expect(await heldIn()).toEqual([{ liveClassId: id, userId: '5', standing: 'listener' }]);
    expect(meet.livekit.participant(roomName, '5')).toMatchObject({ permission: { canPublish: false }, tracks: [] });
    expect(await audit()).toEqual([{ action: 'DEMOTED', detail: 'unauthorised_publish' }]);
    expect(await heldIn()).toEqual([]);
  });
});
