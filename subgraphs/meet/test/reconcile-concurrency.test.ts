/**
 * A reconciliation run handles live classes side by side (MEET_RECONCILE_CONCURRENCY): while LiveKit holds back its
 * answer about one class's room, another class's unauthorised publishing is still taken back in the same run.
 */
import { describe, expect, it } from 'vitest';
import type { Reconciler } from '../jobs/reconciler.js';
import { classWithInRoom, type MeetTestPlatform, meetWithReconciler } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
meetWithReconciler((started) => ({ meet, reconciler } = started));

/** A LIVE class with Tara and Sam (user 5) in its room, Sam allowed behind meet's back and publishing, no webhook sent. */
async function samPublishingUnannounced(title: string) {
  const created = await classWithInRoom(meet, title, ['tara.teacher', 'sam.student']);
  const sam = meet.livekit.participant(created.roomName, '5')!;
  sam.permission = { ...sam.permission!, canPublish: true, canPublishSources: [] };
  const { webhookUrl } = meet.livekit;
  meet.livekit.webhookUrl = undefined;
  meet.livekit.publishTrack(created.roomName, '5', 'CAMERA');
  meet.livekit.webhookUrl = webhookUrl;
  return created;
}

describe('a reconciliation run with one room slow to answer', () => {
  it('takes back another class’s unauthorised publishing while that answer is held', async () => {
    const classes = [await samPublishingUnannounced('Lenses'), await samPublishingUnannounced('Prisms')];
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
