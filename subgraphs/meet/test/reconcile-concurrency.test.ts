/**
 * A reconciliation run handles classes side by side (MEET_RECONCILE_CONCURRENCY): while LiveKit holds back its
 * answer about one class's room, another class's unauthorised publishing is still taken back in the same run; and so
 * are its other steps: starting classes whose rooms are occupied, deleting rooms of ended classes, bringing
 * recordings up to date. Each of those holds one room's answer until the same call about another room reached
 * LiveKit: a run going one room after another would wait for it past the SDK's timeout and leave that room's class.
 */
import { describe, expect, it } from 'vitest';
import type { Reconciler } from '../jobs/reconciler.js';
import { classWithInRoom, type MeetTestPlatform, meetWithReconciler, occupiedUnannounced as occupiedUnannouncedIn, samPublishingUnannounced } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
meetWithReconciler((started) => ({ meet, reconciler } = started));

describe('a reconciliation run with one room slow to answer', () => {
  it('takes back another class’s unauthorised publishing while that answer is held', async () => {
    const classes = [await samPublishingUnannounced(meet, 'Lenses'), await samPublishingUnannounced(meet, 'Prisms')];
    // Whichever room the run lists first, its answer is held until Sam's publishing is taken back in another room.
    let heldRoom: string | undefined;
    let releaseHeld!: () => void;
    const otherTakenBack = new Promise<void>((resolve) => (releaseHeld = resolve));
    meet.livekit.beforeAnswer = async ({ method, body }) => {
      if (method === 'ListParticipants' && heldRoom === undefined) {
        heldRoom = body.room;
        await otherTakenBack;
      } else if (method === 'UpdateParticipant' && heldRoom !== undefined && body.room !== heldRoom) {
        releaseHeld();
      }
    };
    const report = await reconciler.reconcile();
    meet.livekit.beforeAnswer = undefined;
    // Held past the SDK's timeout (a run handling classes one by one), the slow room's class would be left to the next run.
    expect(report.heldToStanding.map((entry) => entry.liveClassId).sort()).toEqual(classes.map((created) => created.id).sort());
    const updates = meet.livekit.callsTo('UpdateParticipant').filter((call) => classes.some((created) => created.roomName === call.body.room));
    expect(updates.map((call) => call.status)).toEqual([200, 200]);
    expect(updates[0]!.body.room).not.toBe(heldRoom);
  });
});

/**
 * Holds LiveKit's answer to the first `method` call about one of `rooms` until the same call about another of them
 * reached LiveKit; `release` lets it go (after the run, where it never did).
 */
function holdFirstUntilAnother(method: string, rooms: readonly string[]) {
  let heldRoom: string | undefined;
  let release!: () => void;
  const another = new Promise<void>((resolve) => (release = resolve));
  meet.livekit.beforeAnswer = async ({ method: called, body }) => {
    const room = String(body.room ?? body.roomName);
    if (called !== method || !rooms.includes(room)) return;
    if (heldRoom === undefined) {
      heldRoom = room;
      await another;
    } else if (room !== heldRoom) release();
  };
  return {
    held: () => heldRoom,
    release: () => {
      meet.livekit.beforeAnswer = undefined;
      release();
    },
  };
}
async function reconcileHolding(method: string, rooms: readonly string[]) {
  const hold = holdFirstUntilAnother(method, rooms);
  try {
    const report = await reconciler.reconcile();
    expect(rooms).toContain(hold.held());
    return report;
  } finally {
    hold.release();
  }
}

const occupiedUnannounced = (title: string) => occupiedUnannouncedIn(meet, title);

/** A class Tara ended while LiveKit was down: its room is still there. */
async function endedWithRoom(title: string) {
  const created = await classWithInRoom(meet, title, ['tara.teacher']);
  meet.livekit.unavailable = true;
  try {
    expect((await meet.call('tara.teacher', `mutation($id: ID!) { endLiveClass(id: $id) { status } }`, { id: created.id })).body.data.endLiveClass.status).toBe('ENDED');
  } finally {
    meet.livekit.unavailable = false;
  }
  return created;
}

/** A live class whose recording LiveKit finished, its egress_ended lost: the recording is still RECORDING. */
async function recordingFinishedUnannounced(title: string) {
  const created = await classWithInRoom(meet, title, ['tara.teacher']);
  const started = await meet.call('tara.teacher', `mutation($id: ID!) { startRecording(liveClassId: $id) { id } }`, { id: created.id });
  const egress = [...meet.livekit.egresses.values()].find((candidate) => candidate.roomName === created.roomName)!;
  await meet.livekit.completeEgress(egress.egressId, { size: 1024, durationSeconds: 30 });
  return { ...created, recordingId: started.body.data.startRecording.id as string };
}

describe('a reconciliation run with one room slow to answer, beyond live classes', () => {
  it('starts another occupied class while that answer is held', async () => {
    const classes = [await occupiedUnannounced('Optics I'), await occupiedUnannounced('Optics II')];
    const report = await reconcileHolding(
      'ListParticipants',
      classes.map((created) => created.roomName),
    );
    expect(report.started.filter((id) => classes.some((created) => created.id === id)).sort()).toEqual(classes.map((created) => created.id).sort());
  });

  it('deletes another ended class\u2019s room while that answer is held', async () => {
    const rooms = [(await endedWithRoom('Optics III')).roomName, (await endedWithRoom('Optics IV')).roomName];
    const report = await reconcileHolding('DeleteRoom', rooms);
    expect(report.deletedRooms.filter((room) => rooms.includes(room)).sort()).toEqual([...rooms].sort());
  });

  it('brings another class\u2019s recording up to date while that answer is held', async () => {
    const classes = [await recordingFinishedUnannounced('Optics V'), await recordingFinishedUnannounced('Optics VI')];
    const report = await reconcileHolding(
      'ListEgress',
      classes.map((created) => created.roomName),
    );
    expect(report.recordingsUpdated).toBe(2);
    for (const created of classes) {
      const { body } = await meet.call('tara.teacher', `{ liveClass(id: "${created.id}") { recordings { id status } } }`);
      expect(body.data.liveClass.recordings).toEqual([{ id: created.recordingId, status: 'READY' }]);
    }
  });
});
