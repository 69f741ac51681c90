import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadToS3 } from '../../../test/livekit/egress-upload.js';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import { startS3Server, type StorageServer } from '../../../test/storage/storage-servers.js';
import { inMinutes, JOIN, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

const BUCKET = 'class-recordings';
let s3: StorageServer;
let meet: MeetTestPlatform;
beforeAll(async () => {
  s3 = await startS3Server(BUCKET);
  meet = await startMeetPlatform({
    MEET_RECONCILE_INTERVAL_SECONDS: '0',
    MEET_S3_BUCKET: BUCKET,
    MEET_S3_ENDPOINT: s3.url,
    MEET_S3_REGION: 'us-east-1',
    // s3rver's fixed development credentials.
    MEET_S3_ACCESS_KEY_ID: 'S3RVER',
    MEET_S3_SECRET_ACCESS_KEY: 'S3RVER',
    MEET_RECORDING_URL_TTL_SECONDS: '300',
  });
});
afterAll(async () => {
  await meet?.stop();
  await s3?.stop();
  await s3?.remove();
});

const codeOf = (result: { body: any }) => result.body.errors?.[0]?.extensions?.code;
const hook = (event: string, fields: Record<string, unknown>) => sendWebhook(meet.webhookUrl, event, fields);
const DELETE = `mutation($id: ID!) { deleteRecording(id: $id) { id status url } }`;
const recordingsOf = async (user: string, liveClassId: string) =>
  (await meet.call(user, `{ liveClass(id: "${liveClassId}") { recordings { id status sizeBytes url urlExpiresAt } } }`)).body.data.liveClass.recordings;

/** A LIVE class recorded into S3 until the double's egress uploads `contents`. */
async function recordedClass(contents: string) {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Prisms', scheduledAt: inMinutes(10) } });
  const liveClass = body.data.scheduleLiveClass as { id: string; roomName: string };
  await meet.call('tara.teacher', JOIN, { id: liveClass.id });
  const tara = meet.livekit.addParticipant(liveClass.roomName, '3');
  await hook('participant_joined', { room: { name: liveClass.roomName }, participant: tara });
  const started = await meet.call('tara.teacher', `mutation($id: ID!) { startRecording(liveClassId: $id) { id status } }`, { id: liveClass.id });
  expect(started.body.errors).toBeUndefined();
  const egress = [...meet.livekit.egresses.values()].find((candidate) => candidate.roomName === liveClass.roomName)!;
  const { roomComposite: _request, ...done } = await meet.livekit.completeEgress(egress.egressId, { durationSeconds: 42, contents });
  expect((await hook('egress_ended', { egressInfo: done })).body.status).toBe('applied');
  return { liveClass, egress, recordingId: started.body.data.startRecording.id as string };
}

describe('recordings in S3-compatible storage', () => {
  it('has egress upload to the configured bucket and plays it from a short-lived presigned S3 URL', async () => {
    const { liveClass, egress, recordingId } = await recordedClass('mp4 bytes in s3');
    const [output] = egress.roomComposite.fileOutputs as any[];
    expect(output).toMatchObject({ fileType: 'MP4', s3: { bucket: BUCKET, endpoint: s3.url, region: 'us-east-1', accessKey: 'S3RVER', secret: 'S3RVER', forcePathStyle: true } });
    expect(output.filepath).toMatch(new RegExp(`^${liveClass.roomName}/.+\\.mp4$`));

    const asked = Date.now();
    const [recording] = await recordingsOf('sam.student', liveClass.id);
    const answered = Date.now();
    expect(recording).toMatchObject({ id: recordingId, status: 'READY', sizeBytes: 'mp4 bytes in s3'.length });
    const url = new URL(recording.url);
    expect(url.origin).toBe(s3.url);
    expect(url.pathname).toBe(`/${BUCKET}/${output.filepath}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    // Five minutes from its signing, between the request and its answer (X-Amz-Date has whole seconds).
    const expiresAt = new Date(recording.urlExpiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(asked - 1000 + 300_000);
    expect(expiresAt).toBeLessThanOrEqual(answered + 1000 + 300_000);
    const played = await fetch(url);
    expect(played.status).toBe(200);
    expect(await played.text()).toBe('mp4 bytes in s3');

    // Its life is the configured 300 s: the same URL as if signed 6 minutes ago is refused (s3rver checks expiry, not SigV4 signatures).
    const signedEarlier = new URL(url);
    signedEarlier.searchParams.set('X-Amz-Date', new Date(Date.now() - 6 * 60_000).toISOString().replace(/[-:]|\.\d{3}/g, ''));
    expect((await fetch(signedEarlier)).status).toBe(403);
    // Not enrolled: no recording, so no URL.
    expect((await meet.call('neil.student', `{ liveClass(id: "${liveClass.id}") { id } }`)).body.data.liveClass).toBeNull();
  });

  it('plays an adopted egress whose file name is not Latin-1 (or holds a quote), named in the presigned URL\u2019s header', async () => {
    const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Lenses', scheduledAt: inMinutes(10) } });
    const liveClass = body.data.scheduleLiveClass as { id: string; roomName: string };
    await meet.call('tara.teacher', JOIN, { id: liveClass.id });
    await hook('participant_joined', { room: { name: liveClass.roomName }, participant: meet.livekit.addParticipant(liveClass.roomName, '3') });
    const filename = `${liveClass.roomName}/录像 "final".mp4`;
    const upload = { bucket: BUCKET, endpoint: s3.url, region: 'us-east-1', accessKey: 'S3RVER', secret: 'S3RVER', forcePathStyle: true };
    const location = await uploadToS3(upload, filename, 'adopted bytes');
    const nanos = `${BigInt(Date.now()) * 1_000_000n}`;
    const file = { filename, location, size: '13', duration: `${60n * 1_000_000_000n}` };
    const egressInfo = { egressId: 'EG_adopted_named', roomName: liveClass.roomName, status: 'EGRESS_COMPLETE', startedAt: nanos, endedAt: nanos, fileResults: [file] };
    expect((await hook('egress_ended', { egressInfo })).body.status).toBe('applied');
    const [recording] = await recordingsOf('tara.teacher', liveClass.id);
    const played = await fetch(recording.url);
    expect(played.status).toBe(200);
    expect(await played.text()).toBe('adopted bytes');
    expect(played.headers.get('content-disposition')).toBe(`inline; filename="_final_.mp4"; filename*=UTF-8''%E5%BD%95%E5%83%8F%20%22final%22.mp4`);
  });

  it('deletes a recording for the course\u2019s teachers and admins only, removing the object from the bucket', async () => {
    const { liveClass, recordingId } = await recordedClass('to be deleted');
    const [recording] = await recordingsOf('tara.teacher', liveClass.id);
    expect((await fetch(recording.url)).status).toBe(200);

    expect(codeOf(await meet.call('sam.student', DELETE, { id: recordingId }))).toBe('FORBIDDEN'); // enrolled student
    expect(codeOf(await meet.call('ravi.teacher', DELETE, { id: recordingId }))).toBe('NOT_FOUND'); // teaches another course
    expect(codeOf(await meet.call('gina.teacher', DELETE, { id: recordingId }))).toBe('NOT_FOUND'); // another company
    expect(codeOf(await meet.call('globex.admin', DELETE, { id: recordingId }))).toBe('NOT_FOUND'); // another company's admin
    expect((await fetch(recording.url)).status).toBe(200); // refusals deleted nothing

    const deleted = await meet.call('tara.teacher', DELETE, { id: recordingId });
    expect(deleted.body.errors).toBeUndefined();
    expect(deleted.body.data.deleteRecording).toEqual({ id: recordingId, status: 'DELETED', url: null });
    expect((await fetch(recording.url)).status).toBe(404); // the object is gone from the bucket
    expect(await recordingsOf('tara.teacher', liveClass.id)).toEqual([]);
    expect(codeOf(await meet.call('admin', DELETE, { id: recordingId }))).toBe('NOT_FOUND'); // already deleted
  });

  it('lets an admin delete, but not while the recording is still being made', async () => {
    const { liveClass, recordingId } = await recordedClass('admin deletes');
    const running = await meet.call('tara.teacher', `mutation($id: ID!) { startRecording(liveClassId: $id) { id status } }`, { id: liveClass.id });
    expect(codeOf(await meet.call('admin', DELETE, { id: running.body.data.startRecording.id }))).toBe('CONFLICT');
    expect((await meet.call('admin', DELETE, { id: recordingId })).body.data.deleteRecording.status).toBe('DELETED');
    expect(codeOf(await meet.call('admin', DELETE, { id: 'not-a-recording' }))).toBe('NOT_FOUND');
  });
});
