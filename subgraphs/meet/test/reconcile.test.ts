import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../../platform/database/connection.js';
import { createLogger } from '../../../platform/logger.js';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import type { MeetDatabase } from '../database.js';
import { Reconciler } from '../jobs/reconciler.js';
import { LiveKitApi } from '../livekit/livekit-api.js';
import { inMinutes, JOIN, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
beforeAll(async () => {
  process.env.MEET_RECONCILE_INTERVAL_SECONDS = '0'; // the tests run it by hand
  meet = await startMeetPlatform();
  const { config } = meet.platform;
  const settings = config.meet;
  reconciler = new Reconciler(createKysely<MeetDatabase>(meet.platform.database.url, 'meet'), new LiveKitApi(config, settings), settings, createLogger('test'));
});
afterAll(async () => {
  await reconciler?.stop();
  await meet?.stop();
});

async function liveClass() {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Circuits', scheduledAt: inMinutes(10) } });
  const created = body.data.scheduleLiveClass as { id: string; roomName: string };
  await meet.call('tara.teacher', JOIN, { id: created.id });
  await meet.livekit.webhooksSettled();
  // LIVE as if its first participant_joined had come (who joined is up to each test).
  await meet.exec(`UPDATE meet.live_classes SET status = 'LIVE', started_at = now() WHERE id = '${created.id}'`);
  return created;
}
const classState = async (id: string) =>
  (await meet.call('admin', `{ liveClass(id: "${id}") { status endedAt attendance { user { id } leftAt } } }`)).body.data.liveClass;

describe('reconciliation with LiveKit', () => {
  it('ends a LIVE class whose room_finished webhook was lost, closing its attendance', async () => {
    const created = await liveClass();
    const tara = meet.livekit.addParticipant(created.roomName, '3');
    await sendWebhook(meet.webhookUrl, 'participant_joined', { room: { name: created.roomName }, participant: tara });
    expect((await classState(created.id)).attendance).toEqual([{ user: { id: '3' }, leftAt: null }]);

    meet.livekit.dropRoom(created.roomName); // the room closed; nobody told meet
    const report = await reconciler.reconcile();
    expect(report.ended).toContainEqual({ id: created.id, reason: 'room_gone' });
    const state = await classState(created.id);
    expect(state.status).toBe('ENDED');
    expect(state.attendance[0].leftAt).toBe(state.endedAt);
    const [event] = (await meet.outbox('meet.class.ended')).filter((row) => row.entity_key === created.id);
    expect(event!.payload).toMatchObject({ reason: 'room_gone', status: 'ENDED' });
    // Nothing left to repair: a second run changes nothing.
    expect((await reconciler.reconcile()).ended.map((ended) => ended.id)).not.toContain(created.id);
  });

  it('opens and closes attendance intervals from the room\u2019s participants when webhooks were missed', async () => {
    const created = await liveClass();
    meet.livekit.addParticipant(created.roomName, '5');
    expect((await reconciler.reconcile()).openedIntervals).toBeGreaterThanOrEqual(1);
    expect((await classState(created.id)).attendance).toEqual([{ user: { id: '5' }, leftAt: null }]);
    meet.livekit.removeParticipant(created.roomName, '5');
    expect((await reconciler.reconcile()).closedIntervals).toBeGreaterThanOrEqual(1);
    const [sam] = (await classState(created.id)).attendance;
    expect(sam.leftAt).not.toBeNull();
    expect((await classState(created.id)).status).toBe('LIVE');
  });

  it('makes a SCHEDULED class LIVE when its room holds participants but participant_joined was lost', async () => {
    const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Gauss', scheduledAt: inMinutes(10) } });
    const created = body.data.scheduleLiveClass as { id: string; roomName: string };
    await meet.call('tara.teacher', JOIN, { id: created.id });
    await meet.livekit.webhooksSettled();
    const sam = meet.livekit.addParticipant(created.roomName, '5');
    const report = await reconciler.reconcile();
    expect(report.started).toContain(created.id);
    const state = await meet.call('admin', `{ liveClass(id: "${created.id}") { status startedAt attendance { user { id } leftAt } } }`);
    expect(state.body.data.liveClass).toEqual({
      status: 'LIVE', startedAt: new Date(Number(sam.joinedAt) * 1000).toISOString(), attendance: [{ user: { id: '5' }, leftAt: null }],
    });
    expect((await meet.outbox('meet.class.started')).filter((row) => row.entity_key === created.id)).toHaveLength(1);
  });

  it('ends a class LIVE past its end plus grace even while LiveKit is unreachable', async () => {
    const created = await liveClass();
    await meet.exec(`UPDATE meet.live_classes SET scheduled_at = now() - interval '3 hours' WHERE id = '${created.id}'`);
    meet.livekit.unavailable = true;
    try {
      const report = await reconciler.reconcile();
      expect(report.livekitReachable).toBe(false);
      expect(report.ended).toContainEqual({ id: created.id, reason: 'overdue' });
    } finally {
      meet.livekit.unavailable = false;
    }
    expect((await classState(created.id)).status).toBe('ENDED');
  });

  it('deletes rooms LiveKit still holds for classes that ended', async () => {
    const created = await liveClass();
    meet.livekit.unavailable = true; // endLiveClass cannot close the room
    try {
      const ended = await meet.call('tara.teacher', `mutation($id: ID!) { endLiveClass(id: $id) { status } }`, { id: created.id });
      expect(ended.body.data.endLiveClass.status).toBe('ENDED');
    } finally {
      meet.livekit.unavailable = false;
    }
    expect(meet.livekit.rooms.has(created.roomName)).toBe(true);
    expect((await reconciler.reconcile()).deletedRooms).toContain(created.roomName);
    expect(meet.livekit.rooms.has(created.roomName)).toBe(false);
  });

  it('completes a recording whose egress_ended webhook was lost', async () => {
    const created = await liveClass();
    const started = await meet.call('tara.teacher', `mutation($id: ID!) { startRecording(liveClassId: $id) { id status } }`, { id: created.id });
    const egress = [...meet.livekit.egresses.values()].find((candidate) => candidate.roomName === created.roomName)!;
    await meet.livekit.completeEgress(egress.egressId, { size: 2048, durationSeconds: 61 });
    expect((await reconciler.reconcile()).recordingsUpdated).toBe(1);
    const recordings = await meet.call('sam.student', `{ liveClass(id: "${created.id}") { recordings { id status durationSeconds sizeBytes } } }`);
    expect(recordings.body.data.liveClass.recordings).toEqual([{ id: started.body.data.startRecording.id, status: 'READY', durationSeconds: 61, sizeBytes: 2048 }]);
    expect((await meet.outbox('meet.recording.ready')).filter((row) => row.entity_key === started.body.data.startRecording.id)).toHaveLength(1);
    expect((await reconciler.reconcile()).recordingsUpdated).toBe(0);
  });
});
