/**
 * A reconciliation run handles live classes side by side (MEET_RECONCILE_CONCURRENCY): while LiveKit holds back its
 * answer about one class's room, another class's unauthorised publishing is still taken back in the same run.
 */
import { describe, expect, it } from 'vitest';
import type { Reconciler } from '../jobs/reconciler.js';
import { type MeetTestPlatform, meetWithReconciler, samPublishingUnannounced } from './meet-platform.js';

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
