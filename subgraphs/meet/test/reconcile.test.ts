import type { Kysely } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import type { MeetDatabase } from '../database.js';
import type { Reconciler } from '../jobs/reconciler.js';
import type { RecordingControl } from '../recordings/recording-control.js';
import { LiveClassRepository } from '../repositories/live-class-repository.js';
import { inMinutes, JOIN, reconcilerFor, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
let recordings: RecordingControl;
let db: Kysely<MeetDatabase>;
beforeAll(async () => {
  process.env.MEET_RECONCILE_INTERVAL_SECONDS = '0'; // the tests run it by hand
  meet = await startMeetPlatform();
  db = meet.platform.db.withSchema('meet');
  ({ reconciler, recordings } = reconcilerFor(meet));
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
const classState = async (id: string) => (await meet.call('admin', `{ liveClass(id: "${id}") { status endedAt attendance { user { id } leftAt } } }`)).body.data.liveClass;

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
    // Nobody saw Tara after she joined: her presence ends there, not at the tick that found the room gone.
    expect(state.attendance[0].leftAt).toBe(new Date(Number(tara.joinedAt) * 1000).toISOString());
    expect(new Date(state.attendance[0].leftAt).getTime()).toBeLessThanOrEqual(new Date(state.endedAt).getTime());
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

  it('counts only ACTIVE participants as present, as participant_joined does: those still connecting open nothing', async () => {
    const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Ampère', scheduledAt: inMinutes(10) } });
    const created = body.data.scheduleLiveClass as { id: string; roomName: string };
    await meet.call('tara.teacher', JOIN, { id: created.id });
    await meet.livekit.webhooksSettled();
    // LiveKit lists sessions still connecting (JOINING: signalling only, JOINED: offer received, no media yet).
    const tara = meet.livekit.addParticipant(created.roomName, '3', 'Tara', { state: 'JOINING' });
    const sam = meet.livekit.addParticipant(created.roomName, '5', 'Sam', { state: 'JOINED' });
    const first = await reconciler.reconcile();
    expect(first.started).not.toContain(created.id);
    const query = `{ liveClass(id: "${created.id}") { status startedAt attendance { user { id } leftAt } } }`;
    expect((await meet.call('admin', query)).body.data.liveClass).toEqual({ status: 'SCHEDULED', startedAt: null, attendance: [] });
    // Tara's session never becomes active (connection aborted): no trace of it.
    meet.livekit.removeParticipant(created.roomName, '3');
    // Sam's does (ICE connected): from now on Sam is present, and waits for a teacher.
    sam.state = 'ACTIVE';
    expect((await reconciler.reconcile()).started).not.toContain(created.id);
    expect((await meet.call('admin', query)).body.data.liveClass).toEqual({ status: 'WAITING', startedAt: null, attendance: [{ user: { id: '5' }, leftAt: null }] });
    expect(tara.state).toBe('JOINING');
  });

  it('makes a SCHEDULED class LIVE when its room holds participants but participant_joined was lost', async () => {
    const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Gauss', scheduledAt: inMinutes(10) } });
    const created = body.data.scheduleLiveClass as { id: string; roomName: string };
    await meet.call('tara.teacher', JOIN, { id: created.id });
    await meet.livekit.webhooksSettled();
    meet.livekit.addParticipant(created.roomName, '5');
    meet.livekit.addParticipant(created.roomName, 'EG_recorder', 'Recorder', { kind: 'EGRESS' });
    // A student (and a recorder): the class waits for its teacher, as the webhook would have it.
    expect((await reconciler.reconcile()).started).not.toContain(created.id);
    const query = `{ liveClass(id: "${created.id}") { status startedAt attendance { user { id } leftAt } serviceParticipants { identity } } }`;
    expect((await meet.call('admin', query)).body.data.liveClass).toEqual({
      status: 'WAITING',
      startedAt: null,
      attendance: [{ user: { id: '5' }, leftAt: null }],
      serviceParticipants: [{ identity: 'EG_recorder' }],
    });
    const tara = meet.livekit.addParticipant(created.roomName, '3');
    const report = await reconciler.reconcile();
    expect(report.started).toContain(created.id);
    const state = await meet.call('admin', query);
    expect(state.body.data.liveClass).toMatchObject({
      status: 'LIVE',
      startedAt: new Date(Number(tara.joinedAt) * 1000).toISOString(),
    });
    expect(state.body.data.liveClass.attendance.map((a: any) => a.user.id).sort()).toEqual(['3', '5']);
    expect((await meet.outbox('meet.class.started')).filter((row) => row.entity_key === created.id)).toHaveLength(1);
  });

  it('reads a participant kind newer than the SDK knows as OTHER, no person, as the webhooks do', async () => {
    const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Bridges', scheduledAt: inMinutes(10) } });
    const created = body.data.scheduleLiveClass as { id: string; roomName: string };
    await meet.call('tara.teacher', JOIN, { id: created.id });
    await meet.livekit.webhooksSettled();
    // As a newer LiveKit's protojson writes them: a kind name, and a kind number, the installed protocol has not heard of.
    meet.livekit.addParticipant(created.roomName, 'bridge_1', 'Bridge', { kind: 'SOME_FUTURE_KIND' as never });
    meet.livekit.addParticipant(created.roomName, 'bridge_2', 'Bridge', { kind: 9 as never });
    await reconciler.reconcile();
    const query = `{ liveClass(id: "${created.id}") { status attendance { identity } serviceParticipants { identity kind } } }`;
    // No person in the room: nobody is waiting for the teacher.
    expect((await meet.call('admin', query)).body.data.liveClass.status).toBe('SCHEDULED');
    meet.livekit.addParticipant(created.roomName, '3');
    await reconciler.reconcile();
    await reconciler.reconcile(); // the run after the class went LIVE records who is in its room
    const state = (await meet.call('admin', query)).body.data.liveClass;
    expect(state.status).toBe('LIVE');
    expect(state.attendance).toEqual([{ identity: '3' }]);
    expect(state.serviceParticipants.map((p: { identity: string; kind: string }) => [p.identity, p.kind]).sort()).toEqual([
      ['bridge_1', 'OTHER'],
      ['bridge_2', 'OTHER'],
    ]);
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

  it('says once that LiveKit is unreachable, and once that it is back, not on every run', async () => {
    const logged: { level: number; msg: string }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const { reconciler: watched } = reconcilerFor(meet, log);
    const livekitLines = () => logged.filter((line) => line.msg.includes('LiveKit')).map((line) => line.msg.split(',')[0]);
    meet.livekit.unavailable = true;
    try {
      for (let run = 0; run < 3; run++) expect((await watched.reconcile()).livekitReachable).toBe(false);
    } finally {
      meet.livekit.unavailable = false;
    }
    for (let run = 0; run < 2; run++) expect((await watched.reconcile()).livekitReachable).toBe(true);
    expect(livekitLines()).toEqual(['reconciliation: LiveKit unreachable', 'reconciliation: LiveKit reachable again']);
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

  it('completes the recordings it can store though LiveKit lists one it cannot', async () => {
    const record = async () => {
      const created = await liveClass();
      const started = await meet.call('tara.teacher', `mutation($id: ID!) { startRecording(liveClassId: $id) { id } }`, { id: created.id });
      const egress = [...meet.livekit.egresses.values()].find((candidate) => candidate.roomName === created.roomName)!;
      return { created, recordingId: started.body.data.startRecording.id as string, egressId: egress.egressId };
    };
    const [unstorable, fine] = [await record(), await record()];
    await meet.livekit.completeEgress(unstorable.egressId, { durationSeconds: 61 });
    // A file size no bigint column holds (LiveKit's int64 at its top), as only a broken egress would report.
    (meet.livekit.egresses.get(unstorable.egressId) as any).fileResults[0].size = '9223372036854775807';
    await meet.livekit.completeEgress(fine.egressId, { size: 4096, durationSeconds: 62 });
    expect((await reconciler.reconcile()).recordingsUpdated).toBe(1);
    const statusOf = async (liveClassId: string) =>
      (await meet.call('admin', `{ liveClass(id: "${liveClassId}") { recordings { id status sizeBytes } } }`)).body.data.liveClass.recordings;
    expect(await statusOf(fine.created.id)).toEqual([{ id: fine.recordingId, status: 'READY', sizeBytes: 4096 }]);
    // The unstorable one is left as it was, to be told by a webhook or a later listing that can be stored.
    expect((await statusOf(unstorable.created.id))[0].status).not.toBe('READY');
  });

  it('ends a SCHEDULED class nobody joined once its end plus grace has passed, with no start, and deletes its empty room', async () => {
    const schedule = async (title: string) =>
      (await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title, scheduledAt: inMinutes(10), durationMinutes: 60 } })).body.data.scheduleLiveClass as {
        id: string;
        roomName: string;
      };
    const opened = await schedule('Empty room');
    await meet.call('tara.teacher', JOIN, { id: opened.id }); // the room opens; nobody connects
    await meet.livekit.webhooksSettled();
    const roomless = await schedule('No room');
    const inGrace = await schedule('Within grace');
    const pastGrace = (id: string) => meet.exec(`UPDATE meet.live_classes SET scheduled_at = now() - interval '2 hours' WHERE id = '${id}'`);
    await pastGrace(opened.id);
    await pastGrace(roomless.id);
    await meet.exec(`UPDATE meet.live_classes SET scheduled_at = now() - interval '80 minutes' WHERE id = '${inGrace.id}'`); // ended 20 minutes ago
    expect(meet.livekit.rooms.has(opened.roomName)).toBe(true);

    const report = await reconciler.reconcile();
    expect(report.ended).toEqual(
      expect.arrayContaining([
        { id: opened.id, reason: 'unattended' },
        { id: roomless.id, reason: 'unattended' },
      ]),
    );
    expect(report.ended.map((ended) => ended.id)).not.toContain(inGrace.id);
    expect(report.deletedRooms).toContain(opened.roomName);
    expect(meet.livekit.rooms.has(opened.roomName)).toBe(false);
    for (const { id } of [opened, roomless]) {
      const state = (await meet.call('admin', `{ liveClass(id: "${id}") { status startedAt endedAt attendance { user { id } } } }`)).body.data.liveClass;
      expect(state).toMatchObject({ status: 'ENDED', startedAt: null, attendance: [] });
      expect(state.endedAt).not.toBeNull();
      const events = (await meet.outbox('meet.class.ended')).filter((row) => row.entity_key === id);
      expect(events).toHaveLength(1);
      expect(events[0]!.payload).toMatchObject({ status: 'ENDED', reason: 'unattended', started_at: null, ended_at: state.endedAt, actor_id: null });
    }
    expect((await classState(inGrace.id)).status).toBe('SCHEDULED');
    // LiveKit unreachable: the room might hold people, so a SCHEDULED class is left for a later run.
    await pastGrace(inGrace.id);
    meet.livekit.unavailable = true;
    try {
      expect((await reconciler.reconcile()).ended.map((ended) => ended.id)).not.toContain(inGrace.id);
    } finally {
      meet.livekit.unavailable = false;
    }
    expect((await reconciler.reconcile()).ended).toContainEqual({ id: inGrace.id, reason: 'unattended' });
    expect((await reconciler.reconcile()).ended).toEqual([]);
  });

  it('starts the automatic recording of a class it makes LIVE, once', async () => {
    const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Recorded Gauss', scheduledAt: inMinutes(10), record: true } });
    const created = body.data.scheduleLiveClass as { id: string; roomName: string };
    await meet.call('tara.teacher', JOIN, { id: created.id });
    await meet.livekit.webhooksSettled();
    meet.livekit.addParticipant(created.roomName, '3'); // participant_joined lost
    expect((await reconciler.reconcile()).started).toContain(created.id);
    const egressesOf = () => [...meet.livekit.egresses.values()].filter((egress) => egress.roomName === created.roomName);
    expect(egressesOf()).toHaveLength(1);
    const query = `{ liveClass(id: "${created.id}") { status recordings { status } } }`;
    expect((await meet.call('sam.student', query)).body.data.liveClass).toEqual({ status: 'LIVE', recordings: [{ status: 'RECORDING' }] });
    // The webhook arriving late, another run and a teacher's click start no second egress.
    await sendWebhook(meet.webhookUrl, 'participant_joined', { room: { name: created.roomName }, participant: meet.livekit.addParticipant(created.roomName, '5') });
    await reconciler.reconcile();
    const start = await meet.call('tara.teacher', `mutation($id: ID!) { startRecording(liveClassId: $id) { id } }`, { id: created.id });
    expect(start.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(egressesOf()).toHaveLength(1);
  });

  it('starts one egress when automatic recording is asked for twice at once', async () => {
    const created = await liveClass();
    const [current] = await new LiveClassRepository(db).findByIdsAcrossCompanies([created.id]);
    const started = await Promise.all([recordings.startUnlessActive(current!), recordings.startUnlessActive(current!)]);
    expect(started.filter((recording) => recording !== null)).toHaveLength(1);
    expect([...meet.livekit.egresses.values()].filter((egress) => egress.roomName === created.roomName)).toHaveLength(1);
  });
});
