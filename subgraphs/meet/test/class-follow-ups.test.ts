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
import { createLogger } from '../../../platform/logger.js';
import { activeSubscriptions } from '../../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { startLiveKitDouble, type LiveKitDouble } from '../../../test/livekit/livekit-double.js';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';
import type { Reconciler } from '../jobs/reconciler.js';
import { seedMeet } from '../seed.js';
import { reconcilerFor } from './meet-platform.js';
import { DEMO_ENDED_LIVE_CLASS } from '../../../platform/demo/demo-ids.js';

const recordingsDir = mkdtempSync(path.join(tmpdir(), 'meet-follow-ups-'));
let livekit: LiveKitDouble;
let platform: TestPlatform;
let reconciler: Reconciler;
beforeAll(async () => {
  livekit = await startLiveKitDouble();
  platform = await startTestPlatform({
    subgraphs: ['academy', 'meet', 'calendar'],
    env: { LIVEKIT_URL: livekit.url, MEET_RECONCILE_INTERVAL_SECONDS: '0', MEET_RECORDINGS_DIR: recordingsDir, CALENDAR_CONSUME_EVENTS: 'true' },
  });
  livekit.webhookUrl = platform.subgraphs.meet!.url.replace(/\/graphql$/, '/webhooks/livekit');
  ({ reconciler } = reconcilerFor({ platform }));
});
afterAll(async () => {
  await livekit?.webhooksSettled();
  await reconciler?.stop();
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
async function until<T>(watching: Subscription, done: (event: any) => T | null | undefined): Promise<T> {
  for (let n = 1; ; n += 1) {
    const found = done((await watching.event(n)).data.liveClassStatusChanged);
    if (found !== undefined && found !== null && found !== false) return found;
  }
}
/** A subscription, once meet serves it (each test ends its own: `closed`). */
async function subscribed(user: string, variables: Record<string, unknown>, fields: string) {
  const watching = subscribeWs(
    wsUrlOf(platform.gateway!.url),
    await platform.tokenFor(user),
    `subscription($courseId: ID, $id: ID) { liveClassStatusChanged(courseId: $courseId, liveClassId: $id) { ${fields} } }`,
    variables,
  );
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

  it('reports each student\u2019s minutes across a course\u2019s classes, and exports class and course attendance as CSV', async () => {
    // Every time is relative to one instant: reading the clock per webhook let a
    // second boundary fall between a join and its leave (61 s for 60 s).
    const anchor = secondsAgo(0).getTime();
    const beforeAnchor = (seconds: number) => new Date(anchor - seconds * 1000);
    const room = (name: string) => ({ sid: `RM_${name}`, name });
    const person = (identity: string, sid: string, joinedSecondsAgo: number) => ({
      sid,
      identity,
      state: 'ACTIVE',
      joinedAt: String(Math.floor(beforeAnchor(joinedSecondsAgo).getTime() / 1000)),
    });
    const joined = (roomName: string, identity: string, sid: string, ago: number) =>
      sendWebhook(livekit.webhookUrl!, 'participant_joined', { room: room(roomName), participant: person(identity, sid, ago) });
    const left = (roomName: string, identity: string, sid: string, joinedAgo: number, ago: number) =>
      sendWebhook(livekit.webhookUrl!, 'participant_left', { room: room(roomName), participant: person(identity, sid, joinedAgo) }, { createdAt: beforeAnchor(ago) });
    const first = await schedule('ravi.teacher', { courseId: '102', title: 'Series' });
    const second = await schedule('ravi.teacher', { courseId: '102', title: 'Integrals' });
    await joined(first.roomName, '4', 'PA_ravi1', 240);
    await joined(first.roomName, '5', 'PA_sam1', 200);
    await left(first.roomName, '5', 'PA_sam1', 200, 80); // Sam: 120 s
    await joined(second.roomName, '4', 'PA_ravi2', 200);
    await joined(second.roomName, '5', 'PA_sam2a', 150);
    await joined(second.roomName, '5', 'PA_sam2b', 130); // a second device
    await left(second.roomName, '5', 'PA_sam2a', 150, 100);
    await left(second.roomName, '5', 'PA_sam2b', 130, 90); // Sam: 150..90 merged, 60 s
    await joined(second.roomName, 'visitor', 'PA_visitor', 120);
    await left(second.roomName, 'visitor', 'PA_visitor', 120, 110); // no Moodle account: 10 s
    for (const liveClass of [first, second]) await gql('ravi.teacher', `mutation($id: ID!) { endLiveClass(id: $id) { id } }`, { id: liveClass.id });

    const REPORT = `{ course(id: "102") { attendanceReport {
      liveClasses { id }
      students { user { id fullName } identity enrolled secondsPresent minutesPresent classesAttended classes { liveClass { id } secondsPresent minutesPresent } }
      csv { url expiresAt } } } }`;
    const { attendanceReport: report } = (await gql('ravi.teacher', REPORT)).course;
    expect(report.liveClasses.map((liveClass: any) => liveClass.id).sort()).toEqual([first.id, second.id].sort());
    expect(report.students).toEqual([
      {
        user: { id: '5', fullName: 'Sam Dutta' },
        identity: '5',
        enrolled: true,
        secondsPresent: 180,
        minutesPresent: 3,
        classesAttended: 2,
        classes: [
          { liveClass: { id: first.id }, secondsPresent: 120, minutesPresent: 2 },
          { liveClass: { id: second.id }, secondsPresent: 60, minutesPresent: 1 },
        ],
      },
      {
        user: null,
        identity: 'visitor',
        enrolled: false,
        secondsPresent: 10,
        minutesPresent: 0,
        classesAttended: 1,
        classes: [{ liveClass: { id: second.id }, secondsPresent: 10, minutesPresent: 0 }],
      },
      // Enrolled, never came: listed with nothing. The teacher is no student.
      { user: { id: '7', fullName: 'Neil Bose' }, identity: '7', enrolled: true, secondsPresent: 0, minutesPresent: 0, classesAttended: 0, classes: [] },
    ]);

    const courseCsv = await fetch(viaGateway(report.csv.url));
    expect([courseCsv.status, courseCsv.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
    const courseLines = (await courseCsv.text()).trimEnd().split('\r\n');
    expect(courseLines[0]).toBe('course_id,user_id,identity,full_name,enrolled,class_id,class_title,class_scheduled_at,seconds_present,minutes_present');
    expect(
      courseLines
        .slice(1)
        .map((line) => line.split(','))
        .map((cells) => [cells[1], cells[5], cells[8]]),
    ).toEqual([
      ['5', first.id, '120'],
      ['5', second.id, '60'],
      ['', second.id, '10'],
      ['7', '', '0'],
    ]);

    const { liveClass } = await gql('ravi.teacher', `query($id: ID!) { liveClass(id: $id) { attendanceCsv { url } } }`, { id: second.id });
    const classCsv = await fetch(viaGateway(liveClass.attendanceCsv.url));
    const classLines = (await classCsv.text()).trimEnd().split('\r\n');
    expect(classLines[0]).toBe('class_id,class_title,user_id,identity,full_name,joined_at,left_at,seconds_present');
    expect(classLines.slice(1).map((line) => line.split(',').slice(2, 5).concat(line.split(',')[7]!))).toEqual([
      ['4', '4', 'Ravi Menon', expect.any(String)],
      ['5', '5', 'Sam Dutta', '60'],
      ['', 'visitor', '', '10'],
    ]);

    // Students get neither; a link whose company was changed is refused.
    expect(await codeOf('sam.student', `{ course(id: "102") { attendanceReport { csv { url } } } }`)).toBe('FORBIDDEN');
    expect(await codeOf('sam.student', `query($id: ID!) { liveClass(id: $id) { attendanceCsv { url } } }`, { id: second.id })).toBe('FORBIDDEN');
    const forged = new URL(viaGateway(liveClass.attendanceCsv.url));
    forged.searchParams.set('company', '00000000-0000-4000-8000-000000000000');
    const refused = await fetch(forged);
    expect([refused.status, (await refused.json()).error]).toEqual([403, 'Attendance link refused: The URL signature is not valid']);
  });

  it('closes a presence whose participant_left was lost where LiveKit last showed it, not at the tick that noticed', async () => {
    const liveClass = await schedule('tara.teacher', { title: 'Last sight' });
    await enter('tara.teacher', liveClass.id);
    await enter('sam.student', liveClass.id);
    const seen = new Date(Date.now() + 1_000);
    await reconciler.reconcile(seen); // both in the room
    livekit.removeParticipant(liveClass.roomName, '5'); // Sam's connection dropped; LiveKit's webhook never came
    const noticed = new Date(seen.getTime() + 45_000);
    await reconciler.reconcile(noticed);
    const attendance = async () =>
      (await gql('tara.teacher', `query($id: ID!) { liveClass(id: $id) { status endedAt attendance { user { id } leftAt } } }`, { id: liveClass.id })).liveClass;
    expect((await attendance()).attendance).toEqual([
      { user: { id: '3' }, leftAt: null },
      { user: { id: '5' }, leftAt: seen.toISOString() },
    ]);

    livekit.dropRoom(liveClass.roomName); // the room vanished unannounced: the class ended with the last presence seen
    await reconciler.reconcile(new Date(noticed.getTime() + 60_000));
    expect(await attendance()).toEqual({
      status: 'ENDED',
      endedAt: noticed.toISOString(),
      attendance: [
        { user: { id: '3' }, leftAt: noticed.toISOString() },
        { user: { id: '5' }, leftAt: seen.toISOString() },
      ],
    });
  });

  it('seeds a playable READY recording: its link answers 200 and 206 like a real one', async () => {
    await seedMeet({ config: platform.config, databaseUrl: platform.database.url, log: createLogger('test') });
    const { liveClass } = await gql('sam.student', `query($id: ID!) { liveClass(id: $id) { recordings { status url sizeBytes } } }`, { id: DEMO_ENDED_LIVE_CLASS.id });
    const [recording] = liveClass.recordings;
    expect(recording.status).toBe('READY');
    const whole = await fetch(viaGateway(recording.url));
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect([whole.status, whole.headers.get('content-type'), bytes.length]).toEqual([200, 'video/mp4', recording.sizeBytes]);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const part = await fetch(viaGateway(recording.url), { headers: { range: 'bytes=4-7' } });
    expect([part.status, await part.text()]).toEqual([206, 'ftyp']);
    // A path that is not percent-encoding (`%ZZ`, a cut `%E0%A4`) is a client's error, not a 500.
    for (const id of ['%ZZ', '%E0%A4', `${DEMO_ENDED_LIVE_CLASS.recordingId}%`]) {
      const malformed = await fetch(viaGateway(recording.url).replace(/\/recordings\/[^?]+/, `/recordings/${id}`));
      expect([malformed.status, await malformed.json()], id).toEqual([400, { error: 'Recording link refused: malformed path' }]);
    }
  });
});
