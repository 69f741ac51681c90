/**
 * Automatic recording's start holds no lock nor database connection across
 * LiveKit's StartRoomCompositeEgress (up to the SDK's 10 s when LiveKit
 * hangs): the class's start is claimed in one short transaction, LiveKit is
 * called with no connection held, and the recording written in another.
 * While LiveKit holds back its answer to one reconciler's start, no
 * transaction is open and no start lock held; another replica's start and a
 * teacher's see the start under way at once (neither waits on a lock) and
 * start nothing: one egress, one recording. A start LiveKit refused, and one
 * a replica left claimed when it died, leave the class free to start again.
 */
import { describe, expect, it } from 'vitest';
import type { Reconciler } from '../jobs/reconciler.js';
import type { RecordingControl } from '../recordings/recording-control.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { type MeetTestPlatform, meetWithReconciler, occupiedUnannounced, reconcilerFor, settledOrWaitingOnLock } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
/** Another replica's recording control, over the same database and LiveKit. */
let replica: RecordingControl;
meetWithReconciler((started) => {
  ({ meet, reconciler } = started);
  replica = reconcilerFor(meet).recordings;
});

const START = `mutation($id: ID!) { startRecording(liveClassId: $id) { id } }`;
const RECORDINGS = `query($id: ID!) { liveClass(id: $id) { status recordings { status } } }`;

/** A class recorded automatically, Tara in its room, her participant_joined lost: SCHEDULED until reconciliation. */
async function recordedClassOccupiedUnannounced(title: string) {
  const created = await occupiedUnannounced(meet, title, true);
  expect(created.record).toBe(true);
  return created;
}
const egressesOf = (roomName: string) => [...meet.livekit.egresses.values()].filter((egress) => egress.roomName === roomName);
const liveClassModel = async (id: string) => (await new LiveClassRepository(meet.platform.db.withSchema('meet')).findByIdsAcrossCompanies([id]))[0]!;

describe('automatic recording started while LiveKit is slow to answer', () => {
  it('holds no lock across the call, and another replica\u2019s start and a teacher\u2019s start nothing more', async () => {
    const created = await recordedClassOccupiedUnannounced('Spectra');
    let openTransactions: number | undefined;
    let startLocks: number | undefined;
    let meanwhile: 'settled' | 'waiting' | undefined;
    let others: Promise<[unknown, { body: any }]> | undefined;
    meet.livekit.beforeAnswer = async ({ method, body }) => {
      if (method !== 'StartRoomCompositeEgress' || body.roomName !== created.roomName) return;
      meet.livekit.beforeAnswer = undefined;
      // Transactions open now and still open (the same one) once the others are done: one held across this call.
      // Another lane's short transaction, caught between two statements under load, is over by then.
      const openNow = async () =>
        (await meet.exec(`SELECT pid || ':' || xact_start AS id FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`)).map(
          (row: { id: string }) => row.id,
        );
      const openAtFirst = await openNow();
      // Recording starts' advisory locks (recording-repository.ts: 4242302 and the class's hash).
      startLocks = (await meet.exec(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 4242302 AND granted`))[0].n;
      const liveClass = await liveClassModel(created.id);
      others = Promise.all([replica.startUnlessActive(liveClass), meet.call('tara.teacher', START, { id: created.id })]);
      meanwhile = await settledOrWaitingOnLock(meet, others);
      const openAtLast = await openNow();
      openTransactions = openAtFirst.filter((id) => openAtLast.includes(id)).length;
    };
    const report = await reconciler.reconcile();
    meet.livekit.beforeAnswer = undefined;
    expect(report.started).toContain(created.id);
    expect(openTransactions).toBe(0);
    expect(startLocks).toBe(0);
    expect(meanwhile).toBe('settled');
    const [replicaStart, teacherStart] = await others!;
    expect(replicaStart).toBeNull();
    expect(teacherStart.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(egressesOf(created.roomName)).toHaveLength(1);
    expect((await meet.call('tara.teacher', RECORDINGS, { id: created.id })).body.data.liveClass).toEqual({ status: 'LIVE', recordings: [{ status: 'RECORDING' }] });
  });

  it('leaves the class free to start again after LiveKit refused a start, or a replica died claiming one', async () => {
    const created = await recordedClassOccupiedUnannounced('Spectra III');
    const { roomName } = created;
    meet.livekit.unavailableMethods.add('StartRoomCompositeEgress'); // made LIVE by the run, its start refused by LiveKit
    try {
      expect((await reconciler.reconcile()).started).toContain(created.id);
    } finally {
      meet.livekit.unavailableMethods.delete('StartRoomCompositeEgress');
    }
    expect(egressesOf(roomName)).toHaveLength(0);
    const claims = async () => (await meet.exec(`SELECT count(*)::int AS n FROM meet.recording_starts WHERE live_class_id = '${created.id}'`))[0].n;
    expect(await claims()).toBe(0);
    const liveClass = await liveClassModel(created.id);
    // A replica claimed a start and died before LiveKit answered: the claim is stale after a minute.
    await meet.exec(`INSERT INTO meet.recording_starts (live_class_id, claim, claimed_at) VALUES ('${created.id}', gen_random_uuid(), now() - interval '2 minutes')`);
    expect(await replica.startUnlessActive(liveClass)).toMatchObject({ status: 'RECORDING' });
    expect(egressesOf(roomName)).toHaveLength(1);
    expect(await claims()).toBe(0);
  });
});
