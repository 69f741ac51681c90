/**
 * What a teacher does after and around a class, through the gateway: publishing
 * recordings, following a class on the subscription (the calendar's mirror, a
 * reschedule, WAITING/LIVE/ENDED, a recording ready), attendance reports and
 * their CSV exports, and presence closed where LiveKit last showed it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeWs, wsUrlOf, type Subscription } from '../../../gateway/test/subscriptions-support.js';
import { createKysely } from '../../../platform/database/connection.js';
import { createLogger } from '../../../platform/logger.js';
import { activeSubscriptions } from '../../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { startLiveKitDouble, type LiveKitDouble } from '../../../test/livekit/livekit-double.js';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import type { MeetDatabase } from '../database.js';
import { Reconciler } from '../jobs/reconciler.js';
import { LiveKitApi } from '../livekit/livekit-api.js';
import { RecordingControl } from '../recordings/recording-control.js';
import { RecordingFiles } from '../recordings/recording-files.js';
import { RecordingUrlSigner } from '../recordings/recording-url.js';

const recordingsDir = mkdtempSync(path.join(tmpdir(), 'meet-follow-ups-'));
let livekit: LiveKitDouble;
let platform: TestPlatform;
let reconciler: Reconciler;
let db: ReturnType<typeof createKysely<MeetDatabase>>;
beforeAll(async () => {
  livekit = await startLiveKitDouble();
  platform = await startTestPlatform({
    subgraphs: ['academy', 'meet', 'calendar'],
    env: { LIVEKIT_URL: livekit.url, MEET_RECONCILE_INTERVAL_SECONDS: '0', MEET_RECORDINGS_DIR: recordingsDir, CALENDAR_CONSUME_EVENTS: 'true' },
  });
  livekit.webhookUrl = platform.subgraphs.meet!.url.replace(/\/graphql$/, '/webhooks/livekit');
  db = createKysely<MeetDatabase>(platform.database.url, 'meet');
  const { config } = platform;
  const files = new RecordingFiles(config.meet, new RecordingUrlSigner(config.internalSigningSecret, config.meet.recordingsPublicUrl, config.meet.recordingUrlTtlSeconds));
  const api = new LiveKitApi(config, config.meet);
  reconciler = new Reconciler(db, api, new RecordingControl(db, api, files), config.meet, createLogger('test'));
});
afterAll(async () => {
  await livekit?.webhooksSettled();
  await reconciler?.stop();
  await db?.destroy();
  await platform?.stop();
  await livekit?.stop();
});

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const secondsAgo = (seconds: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - seconds * 1000);
async function gql(user: string, query: string, variables?: Record<string, unknown>) {
  const result = await platform.query(user, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data;
}
const codeOf = async (user: string, query: string, variables?: Record<string, unknown>) => (await platform.query(user, query, variables)).errors?.[0]?.extensions?.code;
async function schedule(teacher: string, input: Record<string, unknown>) {
  const data = await gql(teacher, `mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id roomName } }`, {
    input: { courseId: '101', title: 'Follow-up', scheduledAt: inMinutes(5), waitForModerator: false, ...input },
  });
  return data.scheduleLiveClass as { id: string; roomName: string };
}
async function enter(user: string, classId: string) {
  const data = await gql(user, `mutation($id: ID!) { joinLiveClass(id: $id) { token } }`, { id: classId });
  const participant = await livekit.connect(data.joinLiveClass.token);
  await livekit.webhooksSettled();
  return participant;
}
/** Egress finishes the class's recording into a local file; egress_ended makes it READY. */
async function finishRecording(roomName: string) {
  const egress = [...livekit.egresses.values()].find((candidate) => candidate.roomName === roomName)!;
  const done = await livekit.completeEgress(egress.egressId, { durationSeconds: 3, contents: 'recorded bytes' });
  const filepath = done.fileResults[0]!.filename;
  mkdirSync(path.dirname(path.join(recordingsDir, filepath)), { recursive: true });
  writeFileSync(path.join(recordingsDir, filepath), 'recorded bytes');
  const { roomComposite: _request, ...info } = done;
  await sendWebhook(livekit.webhookUrl!, 'egress_ended', { egressInfo: info });
}
const viaGateway = (url: string) => {
  const signed = new URL(url);
  return `${platform.gateway!.url.replace('localhost', '127.0.0.1').replace(/\/graphql$/, '')}${signed.pathname}${signed.search}`;
};
/** Events of the subscription, each awaited as long as events keep coming, until one satisfies `done`. */
async function until<T>(watching: Subscription, done: (event: any) => T | undefined): Promise<T> {
  for (let n = 1; ; n += 1) {
    const found = done((await watching.event(n)).data.liveClassStatusChanged);
    if (found !== undefined && found !== false) return found;
  }
}
/** A subscription, once meet serves it (each test ends its own: `closed`). */
async function subscribed(user: string, variables: Record<string, unknown>, fields: string) {
  const watching = subscribeWs(wsUrlOf(platform.gateway!.url), await platform.tokenFor(user),
    `subscription($courseId: ID, $id: ID) { liveClassStatusChanged(courseId: $courseId, liveClassId: $id) { ${fields} } }`, variables);
  await expect.poll(() => activeSubscriptions('meet'), { timeout: 100_000, interval: 100 }).toBe(1);
  return watching;
}
async function closed(watching: Subscription) {
  watching.dispose();
  await expect.poll(() => activeSubscriptions('meet'), { timeout: 100_000, interval: 100 }).toBe(0);
}

describe('after and around a class (through the gateway)', () => {
  it('lets teachers unpublish and publish recordings: students see and play published ones only', async () => {
    const liveClass = await schedule('tara.teacher', { record: true });
    const watching = await subscribed('tara.teacher', { id: liveClass.id }, 'id recordings { id status published }');
    await enter('tara.teacher', liveClass.id);
    await finishRecording(liveClass.roomName);
    const ready = await until(watching, (event) => event.recordings.find((recording: any) => recording.status === 'READY'));
    expect(ready.published).toBe(true);
    const studentView = `query($id: ID!) { liveClass(id: $id) { recordings { id published url } } course(id: "101") { recordings { id } } }`;
    const before = await gql('sam.student', studentView, { id: liveClass.id });
    expect(before.liveClass.recordings).toMatchObject([{ id: ready.id, published: true }]);
    const studentLink = viaGateway(before.liveClass.recordings[0].url);
    expect((await fetch(studentLink)).status).toBe(200);

    // Students may not hide it.
    expect(await codeOf('sam.student', `mutation($id: ID!) { unpublishRecording(id: $id) { id } }`, { id: ready.id })).toBe('FORBIDDEN');
    const hidden = await gql('tara.teacher', `mutation($id: ID!) { unpublishRecording(id: $id) { id published url } }`, { id: ready.id });
    expect(hidden.unpublishRecording).toMatchObject({ id: ready.id, published: false });
    expect(await until(watching, (event) => event.recordings.some((recording: any) => recording.id === ready.id && !recording.published))).toBe(true);
    const after = await gql('sam.student', studentView, { id: liveClass.id });
    expect(after.liveClass.recordings).toEqual([]);
    expect(after.course.recordings.map((recording: any) => recording.id)).not.toContain(ready.id);
    // The link the student already holds stops playing; the teacher's own still plays.
    const refused = await fetch(studentLink);
    expect(refused.status).toBe(404);
    await refused.arrayBuffer();
    const teacherLink = await fetch(viaGateway(hidden.unpublishRecording.url));
    expect([teacherLink.status, await teacherLink.text()]).toEqual([200, 'recorded bytes']);

    await gql('tara.teacher', `mutation($id: ID!) { publishRecording(id: $id) { id } }`, { id: ready.id });
    expect((await gql('sam.student', studentView, { id: liveClass.id })).liveClass.recordings).toMatchObject([{ id: ready.id, published: true }]);
    await closed(watching);
  });

  it('follows a class on the subscription: its calendar event, a reschedule, WAITING, LIVE, ENDED and its recording', async () => {
    const watching = await subscribed('tara.teacher', { courseId: '101' }, 'id status scheduledAt calendarEvent { start } recordings { status }');
    const liveClass = await schedule('tara.teacher', { waitForModerator: true, record: true });
    const ofClass = (event: any) => (event.id === liveClass.id ? event : undefined);
    // The calendar mirrors the class after meet announced it: its event follows.
    const mirrored = await until(watching, (event) => ofClass(event)?.calendarEvent);
    expect(mirrored.start).toBe((await gql('tara.teacher', `{ liveClass(id: "${liveClass.id}") { scheduledAt } }`)).liveClass.scheduledAt);

    const later = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 7 * 60_000).toISOString();
    await gql('tara.teacher', `mutation($id: ID!, $at: DateTime!) { updateLiveClass(id: $id, input: { scheduledAt: $at }) { id } }`, { id: liveClass.id, at: later });
    expect(await until(watching, (event) => ofClass(event)?.calendarEvent?.start === later && event.scheduledAt === later)).toBe(true);

    await enter('sam.student', liveClass.id);
    expect(await until(watching, (event) => ofClass(event)?.status === 'WAITING')).toBe(true);
    await enter('tara.teacher', liveClass.id);
    expect(await until(watching, (event) => ofClass(event)?.status === 'LIVE')).toBe(true);
    await gql('tara.teacher', `mutation($id: ID!) { endLiveClass(id: $id) { id } }`, { id: liveClass.id });
    expect(await until(watching, (event) => ofClass(event)?.status === 'ENDED')).toBe(true);
    await finishRecording(liveClass.roomName);
    expect(await until(watching, (event) => ofClass(event)?.recordings.some((recording: any) => recording.status === 'READY'))).toBe(true);
    await closed(watching);
  });
});
