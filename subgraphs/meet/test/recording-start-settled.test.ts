/**
 * How a recording start whose LiveKit answer was lost is settled, whichever
 * way meet learns of it (webhook, reconciliation, a starter):
 * - LiveKit carried out nothing (none of its egresses listed once the claim
 *   is stale): a class recorded automatically is started again by
 *   reconciliation, once, through the start path (so a teacher's or a
 *   replica's start meanwhile starts no second egress); a class not
 *   recorded automatically starts nothing, its claim dropped;
 * - its egress, adopted after the class ended, is stopped (an ended class
 *   records nothing more), by the webhook as by reconciliation;
 * - only its own egress (the file the start asked for) settles the claim:
 *   another egress of the room does not, and its own, should egress_started
 *   be lost, is still adopted.
 * Claims are aged by moving their time in the database, no sleeping.
 */
import { describe, expect, it } from 'vitest';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import type { Reconciler } from '../jobs/reconciler.js';
import type { LiveKitApi } from '../livekit/livekit-api.js';
import type { RecordingControl } from '../recordings/recording-control.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { type MeetTestPlatform, meetWithReconciler, occupiedUnannounced, reconcilerFor, settledOrWaitingOnLock, loseStartAnswer } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
/** Another replica's recording control and LiveKit client, over the same database and LiveKit. */
let replica: RecordingControl;
let livekit: LiveKitApi;
meetWithReconciler((started) => {
  ({ meet, reconciler } = started);
  ({ recordings: replica, livekit } = reconcilerFor(meet));
});

const START = `mutation($id: ID!) { startRecording(liveClassId: $id) { id status } }`;
const END = `mutation($id: ID!) { endLiveClass(id: $id) { status } }`;
const STOP = `mutation($id: ID!) { stopRecording(liveClassId: $id) { status } }`;

const egressesOf = (roomName: string) => [...meet.livekit.egresses.values()].filter((egress) => egress.roomName === roomName);
const liveClassModel = async (id: string) => (await new LiveClassRepository(meet.platform.db.withSchema('meet')).findByIdsAcrossCompanies([id]))[0]!;
const recordingRows = async (id: string) => meet.exec(`SELECT egress_id, status FROM meet.recordings WHERE live_class_id = '${id}' ORDER BY created_at, egress_id`);
const claims = async (id: string) => meet.exec(`SELECT unconfirmed_at IS NOT NULL AS unconfirmed FROM meet.recording_starts WHERE live_class_id = '${id}'`);
const ageClaim = (id: string) => meet.exec(`UPDATE meet.recording_starts SET claimed_at = now() - interval '2 minutes' WHERE live_class_id = '${id}'`);
const stopCalls = (egressId: string) => meet.livekit.callsTo('StopEgress').filter((call) => call.body.egressId === egressId);
const egressStarted = (egress: object) => sendWebhook(meet.webhookUrl, 'egress_started', { egressInfo: { ...egress, status: 'EGRESS_ACTIVE' } });

/** A LIVE class (recorded automatically when `record`) whose start's answer LiveKit lost (`when`): by reconciliation, or Tara's. */
async function liveWithLostStart(title: string, when: 'after' | 'before', record = true) {
  const created = await occupiedUnannounced(meet, title, record);
  if (record) loseStartAnswer(meet, created.roomName, when);
  try {
    expect((await reconciler.reconcile()).started).toContain(created.id);
    if (!record) {
      loseStartAnswer(meet, created.roomName, when);
      expect((await meet.call('tara.teacher', START, { id: created.id })).body.errors?.[0]?.extensions?.code).toBe('UNCONFIRMED');
    }
  } finally {
    meet.livekit.beforeAnswer = meet.livekit.beforeActing = undefined;
  }
  expect(await claims(created.id)).toEqual([{ unconfirmed: true }]);
  expect(egressesOf(created.roomName)).toHaveLength(when === 'after' ? 1 : 0);
  return created;
}

describe('a lost recording start that LiveKit never carried out', () => {
  it('is started again by reconciliation once its claim is stale, once, whoever else starts meanwhile', async () => {
    const created = await liveWithLostStart('Never started', 'before');
    // LiveKit may still be acting on the request: no start yet.
    expect((await reconciler.reconcile()).recordingsStarted).toEqual([]);
    expect(egressesOf(created.roomName)).toHaveLength(0);
    await ageClaim(created.id);
    // The run's start held in LiveKit until a replica's automatic start and a teacher's have both answered.
    let meanwhile: [unknown, { body: any }] | undefined;
    let waited: string | undefined;
    meet.livekit.beforeActing = async ({ method, body }) => {
      if (method !== 'StartRoomCompositeEgress' || body.roomName !== created.roomName) return;
      meet.livekit.beforeActing = undefined;
      const others = Promise.all([replica.startUnlessActive(await liveClassModel(created.id)), meet.call('tara.teacher', START, { id: created.id })]);
      waited = await settledOrWaitingOnLock(meet, others);
      meanwhile = await others;
    };
    const report = await reconciler.reconcile();
    expect(report.recordingsStarted).toEqual([created.id]);
    expect(waited).toBe('settled');
    expect(meanwhile![0]).toBeNull();
    expect(meanwhile![1].body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const [egress] = egressesOf(created.roomName);
    expect(egressesOf(created.roomName)).toHaveLength(1);
    expect(await recordingRows(created.id)).toEqual([{ egress_id: egress!.egressId, status: 'RECORDING' }]);
    expect(await claims(created.id)).toEqual([]);
    // Later runs start nothing more.
    expect((await reconciler.reconcile()).recordingsStarted).toEqual([]);
    expect(egressesOf(created.roomName)).toHaveLength(1);
  });

  it('of a class not recorded automatically starts nothing: the claim goes, the teacher may start again', async () => {
    const created = await liveWithLostStart('Never started, by hand', 'before', false);
    await ageClaim(created.id);
    expect((await reconciler.reconcile()).recordingsStarted).toEqual([]);
    expect(egressesOf(created.roomName)).toHaveLength(0);
    expect(await claims(created.id)).toEqual([]);
    expect((await meet.call('tara.teacher', START, { id: created.id })).body.data.startRecording).toMatchObject({ status: 'RECORDING' });
    expect(egressesOf(created.roomName)).toHaveLength(1);
  });

  it('is not started again while another egress records the class, nor after that one is stopped', async () => {
    const created = await liveWithLostStart('Recorded elsewhere', 'before');
    const other = await livekit.startRoomRecording(created.roomName, 'elsewhere/recorded-by-hand.mp4');
    expect(other).not.toBe('unconfirmed');
    await egressStarted(meet.livekit.egresses.get((other as { egressId: string }).egressId)!);
    // Not its own egress: the claim stays until it is stale and its own is still not listed.
    expect(await claims(created.id)).toEqual([{ unconfirmed: true }]);
    await ageClaim(created.id);
    expect((await reconciler.reconcile()).recordingsStarted).toEqual([]);
    expect(await claims(created.id)).toEqual([]);
    expect((await meet.call('tara.teacher', STOP, { id: created.id })).body.data.stopRecording).toEqual({ status: 'PROCESSING' });
    expect((await reconciler.reconcile()).recordingsStarted).toEqual([]);
    expect(egressesOf(created.roomName)).toHaveLength(1);
  });
});

describe('the egress of a lost start adopted after its class ended', () => {
  /** A lost start whose egress runs, its class ended by Tara (meet knew no recording to stop). */
  async function endedWithUnknownEgress(title: string) {
    const created = await liveWithLostStart(title, 'after');
    expect((await meet.call('tara.teacher', END, { id: created.id })).body.data.endLiveClass).toEqual({ status: 'ENDED' });
    const [egress] = egressesOf(created.roomName);
    expect(stopCalls(egress!.egressId)).toHaveLength(0);
    // LiveKit's egress outlives the room here (the double keeps it), as one may by its own timeouts.
    expect(egress!.status).toBe('EGRESS_STARTING');
    return { created, egress: egress! };
  }

  it('is stopped when its egress_started comes', async () => {
    const { created, egress } = await endedWithUnknownEgress('Ended, then heard of');
    await egressStarted(egress);
    expect(stopCalls(egress.egressId)).toHaveLength(1);
    expect(meet.livekit.egresses.get(egress.egressId)!.status).toBe('EGRESS_ENDING');
    expect(await recordingRows(created.id)).toEqual([{ egress_id: egress.egressId, status: 'PROCESSING' }]);
    expect(await claims(created.id)).toEqual([]);
  });

  it('is stopped by the reconciliation run that adopts it, to the same state', async () => {
    const { created, egress } = await endedWithUnknownEgress('Ended, then found');
    await reconciler.reconcile();
    expect(stopCalls(egress.egressId)).toHaveLength(1);
    expect(meet.livekit.egresses.get(egress.egressId)!.status).toBe('EGRESS_ENDING');
    expect(await recordingRows(created.id)).toEqual([{ egress_id: egress.egressId, status: 'PROCESSING' }]);
    expect(await claims(created.id)).toEqual([]);
    // Its egress_started arriving late changes nothing more.
    await egressStarted(egress);
    expect(stopCalls(egress.egressId)).toHaveLength(1);
    expect(await recordingRows(created.id)).toEqual([{ egress_id: egress.egressId, status: 'PROCESSING' }]);
  });
});

describe('a lost start\u2019s claim', () => {
  it('is settled by its own egress only: another one adopted leaves it, and its own is adopted still', async () => {
    const created = await liveWithLostStart('Two egresses', 'after');
    const [own] = egressesOf(created.roomName);
    const other = (await livekit.startRoomRecording(created.roomName, 'elsewhere/another.mp4')) as { egressId: string };
    await egressStarted(meet.livekit.egresses.get(other.egressId)!);
    expect(await claims(created.id)).toEqual([{ unconfirmed: true }]);
    // Its own egress_started lost: reconciliation adopts it, and only then is the claim settled.
    await reconciler.reconcile();
    expect(await claims(created.id)).toEqual([]);
    expect(new Set((await recordingRows(created.id)).map((row: { egress_id: string }) => row.egress_id))).toEqual(new Set([own!.egressId, other.egressId]));
    expect(egressesOf(created.roomName)).toHaveLength(2);
  });
});
