/**
 * How an egress ends, as LiveKit reports it in egress_ended: failed,
 * aborted, stopped by its time limit (its file complete), or complete with
 * segments (HLS) and no file, for an egress meet did not start itself
 * (adopted from the webhook).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import { inMinutes, JOIN, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
beforeAll(async () => {
  process.env.MEET_RECONCILE_INTERVAL_SECONDS = '0';
  meet = await startMeetPlatform();
});
afterAll(() => meet?.stop());

const hook = (event: string, fields: Record<string, unknown>) => sendWebhook(meet.webhookUrl, event, fields);
const nanos = (date: Date) => `${BigInt(date.getTime()) * 1_000_000n}`;

async function liveClass() {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Optics', scheduledAt: inMinutes(10) } });
  const scheduled = body.data.scheduleLiveClass as { id: string; roomName: string };
  expect((await meet.call('tara.teacher', JOIN, { id: scheduled.id })).body.errors).toBeUndefined();
  await meet.livekit.webhooksSettled();
  await hook('participant_joined', { room: { sid: 'RM_e', name: scheduled.roomName }, participant: { sid: 'PA_e', identity: '3', state: 'ACTIVE' } });
  return scheduled;
}

/** An egress LiveKit reports for the class's room, started elsewhere (meet adopts it). */
function egress(roomName: string, egressId: string, fields: Record<string, unknown>) {
  const started = new Date(Date.now() - 120_000);
  return { egressId, roomId: 'RM_e', roomName, startedAt: nanos(started), updatedAt: nanos(new Date()), ...fields };
}
const recordingsOf = async (id: string) =>
  (await meet.call('tara.teacher', `{ liveClass(id: "${id}") { recordings { status url durationSeconds } } }`)).body.data.liveClass.recordings as {
    status: string;
    url: string | null;
  }[];
const readyEvents = async (id: string) => (await meet.outbox('meet.recording.ready')).filter((row) => row.payload.class_id === id);

describe('egress outcomes', () => {
  it('records failed and aborted egresses as FAILED, and a time-limited one with its file as READY', async () => {
    const { id, roomName } = await liveClass();
    await hook('egress_ended', { egressInfo: egress(roomName, 'EG_failed', { status: 'EGRESS_FAILED', error: 'pipeline failed', endedAt: nanos(new Date()) }) });
    await hook('egress_ended', { egressInfo: egress(roomName, 'EG_aborted', { status: 'EGRESS_ABORTED', error: 'Start signal not received', endedAt: nanos(new Date()) }) });
    const file = { filename: `${roomName}/limit.mp4`, location: `/out/${roomName}/limit.mp4`, size: '4096', duration: `${60n * 1_000_000_000n}` };
    await hook('egress_ended', { egressInfo: egress(roomName, 'EG_limit', { status: 'EGRESS_LIMIT_REACHED', endedAt: nanos(new Date()), fileResults: [file] }) });
    const statuses = (await recordingsOf(id)).map((recording) => recording.status).sort();
    expect(statuses).toEqual(['FAILED', 'FAILED', 'READY']);
    expect(await readyEvents(id)).toHaveLength(1);
  });

  it('does not announce as ready to watch an egress that ended with segments and no file', async () => {
    const { id, roomName } = await liveClass();
    const segments = {
      playlistName: `${roomName}/live.m3u8`,
      playlistLocation: `/out/${roomName}/live.m3u8`,
      duration: `${90n * 1_000_000_000n}`,
      size: '9000',
      segmentCount: '15',
    };
    await hook('egress_started', { egressInfo: egress(roomName, 'EG_hls', { status: 'EGRESS_ACTIVE', segmentResults: [] }) });
    await hook('egress_ended', { egressInfo: egress(roomName, 'EG_hls', { status: 'EGRESS_COMPLETE', endedAt: nanos(new Date()), segmentResults: [segments], segments }) });
    const [recording] = await recordingsOf(id);
    expect(recording!.status).not.toBe('READY');
    expect(await readyEvents(id)).toHaveLength(0);
  });

  it('plays an adopted egress whose file name is not Latin-1 (or holds a quote), naming it in the download\u2019s header', async () => {
    const { id, roomName } = await liveClass();
    const filename = `${roomName}/录像 "final".mp4`;
    const local = path.join(meet.platform.config.meet.recordingsDir, filename);
    mkdirSync(path.dirname(local), { recursive: true });
    writeFileSync(local, 'recorded bytes');
    const file = { filename, location: `/out/${filename}`, size: '14', duration: `${60n * 1_000_000_000n}` };
    await hook('egress_ended', { egressInfo: egress(roomName, 'EG_named', { status: 'EGRESS_COMPLETE', endedAt: nanos(new Date()), fileResults: [file] }) });
    const [recording] = await recordingsOf(id);
    expect(recording!.status).toBe('READY');
    const signed = new URL(recording!.url!);
    const played = await fetch(new URL(`${signed.pathname}${signed.search}`, meet.platform.config.subgraphUrls.meet));
    expect(played.status).toBe(200);
    expect(await played.text()).toBe('recorded bytes');
    expect(played.headers.get('content-disposition')).toBe(`inline; filename="_final_.mp4"; filename*=UTF-8''%E5%BD%95%E5%83%8F%20%22final%22.mp4`);
  });

  it('leaves a recording alone when an egress names another class’s room than its own', async () => {
    const first = await liveClass();
    const second = await liveClass();
    await hook('egress_started', { egressInfo: egress(first.roomName, 'EG_crossed', { status: 'EGRESS_ACTIVE' }) });
    expect((await recordingsOf(first.id)).map((recording) => recording.status)).toEqual(['RECORDING']);
    // The same egress id, now said to be of the second class's room: LiveKit never moves an egress between rooms.
    const file = { filename: `${second.roomName}/x.mp4`, location: `/out/${second.roomName}/x.mp4`, size: '4096', duration: `${60n * 1_000_000_000n}` };
    await hook('egress_ended', { egressInfo: egress(second.roomName, 'EG_crossed', { status: 'EGRESS_COMPLETE', endedAt: nanos(new Date()), fileResults: [file] }) });
    expect((await recordingsOf(first.id)).map((recording) => recording.status)).toEqual(['RECORDING']);
    expect(await recordingsOf(second.id)).toEqual([]);
    expect([...(await readyEvents(first.id)), ...(await readyEvents(second.id))]).toEqual([]);
  });
});
