import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EgressJson } from '../../../test/livekit/livekit-double.js';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import { inMinutes, JOIN, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

const recordingsDir = mkdtempSync(path.join(tmpdir(), 'meet-recordings-'));
let meet: MeetTestPlatform;
beforeAll(async () => {
  process.env.MEET_RECONCILE_INTERVAL_SECONDS = '0';
  process.env.MEET_RECORDINGS_DIR = recordingsDir;
  meet = await startMeetPlatform();
});
afterAll(() => meet?.stop());

const codeOf = (result: { body: any }) => result.body.errors?.[0]?.extensions?.code;
const hook = (event: string, fields: Record<string, unknown>, options = {}) => sendWebhook(meet.webhookUrl, event, fields, options);
const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));
const room = (name: string) => ({ sid: 'RM_test', name });
const participant = (identity: string, sid: string, joinedAt?: Date) => ({ sid, identity, state: 'ACTIVE', ...(joinedAt && { joinedAt: seconds(joinedAt) }) });
const egressInfo = ({ roomComposite: _request, ...info }: EgressJson) => info;

async function scheduleOpened(record = false) {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Optics', scheduledAt: inMinutes(10), record } });
  const liveClass = body.data.scheduleLiveClass as { id: string; roomName: string };
  expect((await meet.call('tara.teacher', JOIN, { id: liveClass.id })).body.errors).toBeUndefined();
  await meet.livekit.webhooksSettled(); // the double's room_started for the room the join opened
  return liveClass;
}
/** The teacher arrives in the room: the class goes LIVE. */
async function teacherJoins(roomName: string) {
  return hook('participant_joined', { room: room(roomName), participant: participant('3', `PA_${roomName}`, new Date(Math.floor(Date.now() / 1000) * 1000)) });
}
const statusOf = async (id: string) => (await meet.call('admin', `{ liveClass(id: "${id}") { status startedAt endedAt } }`)).body.data.liveClass;
const attendanceOf = async (id: string) =>
  (await meet.call('tara.teacher', `{ liveClass(id: "${id}") { attendance { user { id } joinedAt leftAt secondsPresent intervals { joinedAt leftAt } } } }`)).body.data.liveClass
    .attendance;

describe('LiveKit webhooks', () => {
  it('refuses unsigned, tampered, foreign and stale webhooks, changing nothing', async () => {
    const liveClass = await scheduleOpened();
    // Each of these, accepted, would make the class LIVE.
    const fields = { room: room(liveClass.roomName), participant: participant('3', 'PA_refused') };
    expect((await hook('participant_joined', fields, { unsigned: true })).status).toBe(401);
    expect((await hook('participant_joined', fields, { signedBody: '{"event":"room_finished"}' })).status).toBe(401);
    expect((await hook('participant_joined', fields, { apiSecret: 'not-the-secret' })).status).toBe(401);
    expect((await hook('participant_joined', fields, { apiKey: 'another-key' })).status).toBe(401);
    const stale = await hook('participant_joined', fields, { createdAt: new Date(Date.now() - 10 * 60_000) });
    expect(stale.status).toBe(400);
    expect(stale.body.error).toMatch(/stale/);
    expect((await statusOf(liveClass.id)).status).toBe('SCHEDULED');
    expect((await meet.outbox('meet.class.started')).filter((row) => row.entity_key === liveClass.id)).toHaveLength(0);
  });

  it('keeps a class SCHEDULED when its empty room starts, WAITING while only students are in, and LIVE when its teacher comes, once', async () => {
    const liveClass = await scheduleOpened(true);
    // The double announced the room the join created, as LiveKit does: an empty room is no class in progress.
    expect(meet.livekit.webhooks.filter((hook) => hook.room === liveClass.roomName)).toMatchObject([{ event: 'room_started', status: 200, body: { status: 'ignored' } }]);
    expect((await statusOf(liveClass.id)).status).toBe('SCHEDULED');
    expect((await hook('room_started', { room: room(liveClass.roomName) })).body.status).toBe('ignored');
    // A room holding someone, but who is not said: a class waiting for its teacher stays as it is.
    expect((await hook('room_started', { room: { ...room(liveClass.roomName), numParticipants: 1 } })).body.status).toBe('ignored');
    expect((await meet.outbox('meet.class.started')).filter((row) => row.entity_key === liveClass.id)).toHaveLength(0);

    // A student first: WAITING, visible to them, not recorded.
    const studentJoined = new Date(Math.floor(Date.now() / 1000) * 1000 - 40_000);
    expect((await hook('participant_joined', { room: room(liveClass.roomName), participant: participant('5', 'PA_sam', studentJoined) })).body.status).toBe('applied');
    expect(await statusOf(liveClass.id)).toMatchObject({ status: 'WAITING', startedAt: null });
    expect((await meet.call('sam.student', `{ liveClass(id: "${liveClass.id}") { status recordings { id } } }`)).body.data.liveClass).toEqual({
      status: 'WAITING',
      recordings: [],
    });
    expect([...meet.livekit.egresses.values()].filter((egress) => egress.roomName === liveClass.roomName)).toHaveLength(0);
    expect((await meet.outbox('meet.class.waiting')).filter((row) => row.entity_key === liveClass.id)).toHaveLength(1);

    const joinedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 20_000);
    const first = await hook('participant_joined', { room: room(liveClass.roomName), participant: participant('3', 'PA_tara', joinedAt) });
    expect(first).toMatchObject({ status: 200, body: { status: 'applied' } });
    const again = await hook('participant_joined', { room: room(liveClass.roomName), participant: participant('3', 'PA_tara', joinedAt) }, { id: first.id });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    await hook('participant_joined', { room: room(liveClass.roomName), participant: participant('6', 'PA_sita') });
    expect(await statusOf(liveClass.id)).toMatchObject({ status: 'LIVE', startedAt: joinedAt.toISOString() });
    const events = (await meet.outbox('meet.class.started')).filter((row) => row.entity_key === liveClass.id);
    expect(events).toHaveLength(1);
    // LiveKit made it live, not a user.
    expect(events[0]!.payload).toMatchObject({ class_id: liveClass.id, status: 'LIVE', started_at: joinedAt.toISOString(), actor_id: null });
    // Recording starts with the teacher, not before.
    expect([...meet.livekit.egresses.values()].filter((egress) => egress.roomName === liveClass.roomName)).toHaveLength(1);
  });

  it('makes a class LIVE on the first participant when it does not wait for a moderator, and on a room_started holding participants', async () => {
    const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Open door', scheduledAt: inMinutes(10), waitForModerator: false } });
    const open = body.data.scheduleLiveClass as { id: string; roomName: string };
    await hook('participant_joined', { room: room(open.roomName), participant: participant('5', 'PA_open') });
    expect((await statusOf(open.id)).status).toBe('LIVE');
    const { body: other } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Open door 2', scheduledAt: inMinutes(10), waitForModerator: false } });
    const result = await hook('room_started', { room: { ...room(other.data.scheduleLiveClass.roomName), numParticipants: 2 } });
    expect(result.body.status).toBe('applied');
    expect((await statusOf(other.data.scheduleLiveClass.id)).status).toBe('LIVE');
  });

  it('never lets an egress, agent, SIP or ingress participant open a class or count as an attendee', async () => {
    const liveClass = await scheduleOpened();
    for (const [kind, identity] of [
      ['EGRESS', 'EG_abc'],
      ['AGENT', 'agent-1'],
      ['SIP', 'sip_+4912345'],
      ['INGRESS', 'IN_cam'],
    ] as const) {
      expect((await hook('participant_joined', { room: room(liveClass.roomName), participant: { ...participant(identity, `PA_${kind}`), kind } })).body.status).toBe('applied');
    }
    // An egress of an older LiveKit, without kind: known by its identity.
    await hook('participant_joined', { room: room(liveClass.roomName), participant: participant('EG_old', 'PA_EG_old') });
    expect((await statusOf(liveClass.id)).status).toBe('SCHEDULED');
    const query = `{ liveClass(id: "${liveClass.id}") { attendance { identity } serviceParticipants { identity kind user { id } } } }`;
    const teacher = (await meet.call('tara.teacher', query)).body.data.liveClass;
    expect(teacher.attendance).toEqual([]);
    expect(teacher.serviceParticipants.map((p: any) => [p.kind, p.identity, p.user]).sort()).toEqual([
      ['AGENT', 'agent-1', null],
      ['EGRESS', 'EG_abc', null],
      ['EGRESS', 'EG_old', null],
      ['INGRESS', 'IN_cam', null],
      ['SIP', 'sip_+4912345', null],
    ]);
    expect((await meet.call('sam.student', query)).body.data.liveClass).toEqual({ attendance: [], serviceParticipants: null });
  });

  it('records attendance intervals, whatever order joined and left arrive in', async () => {
    const liveClass = await scheduleOpened();
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 - 30_000); // LiveKit times are whole seconds
    const r = room(liveClass.roomName);
    await hook('participant_joined', { room: r, participant: participant('3', 'PA_tara', t0) });
    // Sam's left arrives before his joined; his later joined adds nothing new.
    const samJoined = new Date(t0.getTime() + 5_000);
    await hook('participant_left', { room: r, participant: participant('5', 'PA_sam1', samJoined) });
    await hook('participant_joined', { room: r, participant: participant('5', 'PA_sam1', samJoined) });
    // Sita's left carries no join time: stored, invisible until her joined completes it.
    await hook('participant_left', { room: r, participant: participant('6', 'PA_sita') });
    expect((await attendanceOf(liveClass.id)).map((a: any) => a.user.id).sort()).toEqual(['3', '5']);
    await hook('participant_joined', { room: r, participant: participant('6', 'PA_sita', samJoined) });

    expect((await statusOf(liveClass.id)).status).toBe('LIVE'); // someone joined: live even without room_started
    const byUser = Object.fromEntries((await attendanceOf(liveClass.id)).map((a: any) => [a.user.id, a]));
    expect(byUser['3'].leftAt).toBeNull();
    expect(byUser['5'].intervals).toHaveLength(1);
    expect(byUser['5'].joinedAt).toBe(samJoined.toISOString());
    expect(byUser['5'].leftAt).not.toBeNull();
    expect(byUser['6'].intervals).toHaveLength(1);
    expect(byUser['6'].leftAt).not.toBeNull();

    await hook('room_finished', { room: r });
    const ended = await statusOf(liveClass.id);
    expect(ended.status).toBe('ENDED');
    const after = Object.fromEntries((await attendanceOf(liveClass.id)).map((a: any) => [a.user.id, a]));
    expect(after['3'].leftAt).toBe(ended.endedAt); // the open interval closed with the class
    const [event] = (await meet.outbox('meet.class.ended')).filter((row) => row.entity_key === liveClass.id);
    expect(event!.payload).toMatchObject({ status: 'ENDED', reason: 'room_finished', actor_id: null });
  });

  it('records a class scheduled with record: true from its first participant to a READY recording with a signed URL', async () => {
    const liveClass = await scheduleOpened(true);
    await teacherJoins(liveClass.roomName);
    const egress = [...meet.livekit.egresses.values()].find((candidate) => candidate.roomName === liveClass.roomName);
    expect(egress).toBeDefined();
    const filepath = (egress!.roomComposite.fileOutputs as any[])[0].filepath as string;
    expect(filepath).toMatch(new RegExp(`^${liveClass.roomName}/.+\\.mp4$`));

    const recordingsQuery = `{ liveClass(id: "${liveClass.id}") { recordings { id status durationSeconds sizeBytes url } } }`;
    expect((await meet.call('sam.student', recordingsQuery)).body.data.liveClass.recordings).toMatchObject([{ status: 'RECORDING', url: null }]);

    await hook('egress_updated', { egressInfo: { ...egressInfo(egress!), status: 'EGRESS_ACTIVE' } });
    const done = await meet.livekit.completeEgress(egress!.egressId, { size: 1234, durationSeconds: 95 });
    mkdirSync(path.join(recordingsDir, liveClass.roomName), { recursive: true });
    writeFileSync(path.join(recordingsDir, filepath), 'fake mp4 bytes');
    await hook('egress_ended', { egressInfo: egressInfo(done) });
    // A late ACTIVE update must not reopen it.
    await hook('egress_updated', { egressInfo: { ...egressInfo(done), status: 'EGRESS_ACTIVE' } });

    const [recording] = (await meet.call('sam.student', recordingsQuery)).body.data.liveClass.recordings;
    expect(recording).toMatchObject({ status: 'READY', durationSeconds: 95, sizeBytes: 1234 });
    const ready = (await meet.outbox('meet.recording.ready')).filter((row) => row.entity_key === recording.id);
    expect(ready).toHaveLength(1);
    expect(ready[0]!.payload).toMatchObject({ recording_id: recording.id, class_id: liveClass.id, duration_seconds: 95, actor_id: null });

    const url = new URL(recording.url);
    const local = `${meet.platform.subgraphs.meet!.url.replace(/\/graphql$/, '')}${url.pathname}${url.search}`;
    const download = await fetch(local);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('fake mp4 bytes');
    const tampered = new URL(local);
    tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 60));
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(local.replace(recording.id, '0b0e0011-0000-4000-8000-000000000001'))).status).toBe(403);

    // Deleting it removes the local file; the signed link then finds nothing.
    const DELETE = `mutation($id: ID!) { deleteRecording(id: $id) { status } }`;
    expect(codeOf(await meet.call('sam.student', DELETE, { id: recording.id }))).toBe('FORBIDDEN');
    expect(existsSync(path.join(recordingsDir, filepath))).toBe(true);
    expect((await meet.call('tara.teacher', DELETE, { id: recording.id })).body.data.deleteRecording.status).toBe('DELETED');
    expect(existsSync(path.join(recordingsDir, filepath))).toBe(false);
    expect((await fetch(local)).status).toBe(404);
  });

  it('starts and stops recordings on request, for teachers of a LIVE class', async () => {
    const liveClass = await scheduleOpened();
    const start = `mutation($id: ID!) { startRecording(liveClassId: $id) { id status } }`;
    const stop = `mutation($id: ID!) { stopRecording(liveClassId: $id) { id status } }`;
    expect(codeOf(await meet.call('tara.teacher', start, { id: liveClass.id }))).toBe('CONFLICT'); // not live yet
    await teacherJoins(liveClass.roomName);
    expect(codeOf(await meet.call('sam.student', start, { id: liveClass.id }))).toBe('FORBIDDEN');
    const started = await meet.call('tara.teacher', start, { id: liveClass.id });
    expect(started.body.data.startRecording.status).toBe('RECORDING');
    expect(codeOf(await meet.call('tara.teacher', start, { id: liveClass.id }))).toBe('CONFLICT');
    const stopped = await meet.call('tara.teacher', stop, { id: liveClass.id });
    expect(stopped.body.data.stopRecording).toEqual({ id: started.body.data.startRecording.id, status: 'PROCESSING' });
    expect(meet.livekit.callsTo('StopEgress').at(-1)!.status).toBe(200);
    expect(codeOf(await meet.call('tara.teacher', stop, { id: liveClass.id }))).toBe('CONFLICT');
  });

  it('ignores rooms that are not live classes', async () => {
    const result = await hook('room_started', { room: room('someone-elses-room') });
    expect(result).toMatchObject({ status: 200, body: { status: 'ignored' } });
  });
});
