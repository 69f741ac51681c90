/**
 * A recording start whose LiveKit answer is lost (the connection reset after
 * LiveKit started the egress, or the SDK's timeout) may have started an
 * egress meet does not know yet: its egress_started may come later or never.
 * The class keeps its claim, marked unconfirmed, and no start of it follows
 * before Egress is asked (ListEgress, the room's active egresses): one found
 * is adopted (the recording written as the webhook would write it), so a
 * second starter (another replica's reconciliation, a teacher) starts no
 * second egress. The webhook adopting it settles the claim too, and so does
 * reconciliation, should the webhook be lost. When LiveKit
 * lists none, the class waits until the claim is stale (LiveKit may still be
 * acting on the request) and is then started once.
 */
import { describe, expect, it } from 'vitest';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import type { Reconciler } from '../jobs/reconciler.js';
import type { RecordingControl } from '../recordings/recording-control.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { type MeetTestPlatform, meetWithReconciler, occupiedUnannounced, reconcilerFor, loseStartAnswer } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
/** Another replica's recording control, over the same database and LiveKit. */
let replica: RecordingControl;
meetWithReconciler((started) => {
  ({ meet, reconciler } = started);
  replica = reconcilerFor(meet).recordings;
});

const START = `mutation($id: ID!) { startRecording(liveClassId: $id) { id status } }`;
const RECORDINGS = `query($id: ID!) { liveClass(id: $id) { status recordings { status } } }`;

const egressesOf = (roomName: string) => [...meet.livekit.egresses.values()].filter((egress) => egress.roomName === roomName);
const liveClassModel = async (id: string) => (await new LiveClassRepository(meet.platform.db.withSchema('meet')).findByIdsAcrossCompanies([id]))[0]!;
const recordingRows = async (id: string) => meet.exec(`SELECT egress_id, status FROM meet.recordings WHERE live_class_id = '${id}' ORDER BY created_at`);
const claims = async (id: string) => meet.exec(`SELECT unconfirmed_at IS NOT NULL AS unconfirmed FROM meet.recording_starts WHERE live_class_id = '${id}'`);

/** A recorded class made LIVE by reconciliation, whose automatic start's answer LiveKit lost (`when`). */
async function liveWithLostStart(title: string, when: 'after' | 'before') {
  const created = await occupiedUnannounced(meet, title, true);
  loseStartAnswer(meet, created.roomName, when);
  try {
    expect((await reconciler.reconcile()).started).toContain(created.id);
  } finally {
    meet.livekit.beforeAnswer = meet.livekit.beforeActing = undefined;
  }
  expect(await claims(created.id)).toEqual([{ unconfirmed: true }]);
  return created;
}

describe('a recording start whose answer LiveKit lost', () => {
  it('is adopted by the next start, which starts no second egress', async () => {
    const created = await liveWithLostStart('Lost answer', 'after');
    const [egress] = egressesOf(created.roomName);
    expect(egress).toBeDefined();
    expect(await recordingRows(created.id)).toEqual([]); // egress_started not arrived
    // Another replica's automatic start, then a teacher's: the first adopts LiveKit's egress, neither starts one.
    expect(await replica.startUnlessActive(await liveClassModel(created.id))).toBeNull();
    expect((await meet.call('tara.teacher', START, { id: created.id })).body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(egressesOf(created.roomName)).toHaveLength(1);
    expect(await recordingRows(created.id)).toEqual([{ egress_id: egress!.egressId, status: 'RECORDING' }]);
    expect(await claims(created.id)).toEqual([]);
    // The webhook coming at last changes nothing more.
    await sendWebhook(meet.webhookUrl, 'egress_started', { egressInfo: { ...egress!, status: 'EGRESS_ACTIVE' } });
    expect((await meet.call('tara.teacher', RECORDINGS, { id: created.id })).body.data.liveClass).toEqual({ status: 'LIVE', recordings: [{ status: 'RECORDING' }] });
  });

  it('is adopted by its egress_started webhook, which settles the claim', async () => {
    const created = await liveWithLostStart('Lost answer II', 'after');
    const [egress] = egressesOf(created.roomName);
    await sendWebhook(meet.webhookUrl, 'egress_started', { egressInfo: { ...egress!, status: 'EGRESS_ACTIVE' } });
    expect(await claims(created.id)).toEqual([]);
    expect((await meet.call('tara.teacher', START, { id: created.id })).body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(egressesOf(created.roomName)).toHaveLength(1);
    expect(await recordingRows(created.id)).toEqual([{ egress_id: egress!.egressId, status: 'RECORDING' }]);
  });

  it('is adopted by the next reconciliation run when its egress_started is lost', async () => {
    const created = await liveWithLostStart('Lost answer IV', 'after');
    const [egress] = egressesOf(created.roomName);
    expect((await reconciler.reconcile()).recordingsUpdated).toBeGreaterThan(0);
    expect(await recordingRows(created.id)).toEqual([{ egress_id: egress!.egressId, status: 'RECORDING' }]);
    expect(await claims(created.id)).toEqual([]);
    expect(egressesOf(created.roomName)).toHaveLength(1);
  });

  it('when LiveKit lists no egress, starts nothing until the claim is stale, then one', async () => {
    const created = await liveWithLostStart('Lost request', 'before');
    expect(egressesOf(created.roomName)).toHaveLength(0);
    // LiveKit may still be acting on the request: a start now could be the second.
    expect(await replica.startUnlessActive(await liveClassModel(created.id))).toBeNull();
    expect(egressesOf(created.roomName)).toHaveLength(0);
    expect(await meet.livekit.callsTo('ListEgress').filter((call) => call.body.roomName === created.roomName)).not.toHaveLength(0);
    await meet.exec(`UPDATE meet.recording_starts SET claimed_at = now() - interval '2 minutes' WHERE live_class_id = '${created.id}'`);
    expect(await replica.startUnlessActive(await liveClassModel(created.id))).toMatchObject({ status: 'RECORDING' });
    expect(egressesOf(created.roomName)).toHaveLength(1);
    expect(await claims(created.id)).toEqual([]);
  });

  it('tells a teacher whose start lost its answer UNCONFIRMED, and their next start finds the recording', async () => {
    const created = await occupiedUnannounced(meet, 'Lost answer III');
    expect((await reconciler.reconcile()).started).toContain(created.id);
    loseStartAnswer(meet, created.roomName, 'after');
    const lost = await meet.call('tara.teacher', START, { id: created.id });
    expect(lost.body.errors?.[0]?.extensions?.code).toBe('UNCONFIRMED');
    const again = await meet.call('tara.teacher', START, { id: created.id });
    expect(again.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(egressesOf(created.roomName)).toHaveLength(1);
    expect((await meet.call('tara.teacher', RECORDINGS, { id: created.id })).body.data.liveClass).toEqual({ status: 'LIVE', recordings: [{ status: 'RECORDING' }] });
  });
});
