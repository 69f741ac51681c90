/**
 * Live classes as a teacher expects them, through the gateway, with clients
 * joining the LiveKit double with the tokens joinLiveClass hands out (so the
 * webhooks carry the participants' kind and token metadata as LiveKit's do).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import type { LiveKitDouble } from '../../../test/livekit/livekit-double.js';
import { subscribeWs, wsUrlOf, type Subscription } from '../../../gateway/test/subscriptions-support.js';
import { activeSubscriptions } from '../../../platform/subgraph/subscriptions/serve-subscriptions.js';
import type { TestPlatform } from '../../../test/support/test-platform.js';
import { gatewayData, inMinutes, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

const recordingsDir = mkdtempSync(path.join(tmpdir(), 'meet-recordings-'));
let meet: MeetTestPlatform;
let livekit: LiveKitDouble;
let platform: TestPlatform;
let db: TestPlatform['db'];
beforeAll(async () => {
  meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0', MEET_RECORDINGS_DIR: recordingsDir }, { gateway: true });
  ({ livekit, platform } = meet);
  db = platform.db;
});
afterAll(() => meet?.stop());

const gql = (user: string, query: string, variables?: Record<string, unknown>) => gatewayData(platform, user, query, variables);
async function schedule(input: Record<string, unknown> = {}) {
  const data = await gql('tara.teacher', `mutation($input: ScheduleLiveClassInput!) { scheduleLiveClass(input: $input) { id roomName waitForModerator } }`, {
    input: { courseId: '101', title: 'Waves', scheduledAt: inMinutes(5), record: true, ...input },
  });
  return data.scheduleLiveClass as { id: string; roomName: string; waitForModerator: boolean };
}
/** The user joins through the API, then connects to the room with the ticket, as a client would. */
async function enter(user: string, classId: string) {
  const data = await gql(user, `mutation($id: ID!) { joinLiveClass(id: $id) { token canPublish } }`, { id: classId });
  const participant = await livekit.connect(data.joinLiveClass.token);
  await livekit.webhooksSettled();
  return participant;
}
const state = (user: string, id: string) =>
  // serviceParticipants is for teachers (FORBIDDEN to students).
  gql(
    user,
    `query($id: ID!) { liveClass(id: $id) { status startedAt recordings { status } attendance { identity kind user { id fullName } } ${user === 'sam.student' ? '' : 'serviceParticipants { identity kind }'} } }`,
    { id },
  );

/** The statuses the subscription delivered, up to the first `status` (each event awaited as long as events keep coming). */
async function untilStatus(watching: Subscription, status: string): Promise<string[]> {
  const seen: string[] = [];
  for (let n = 1; seen.at(-1) !== status; n += 1) seen.push((await watching.event(n)).data.liveClassStatusChanged.status);
  return seen;
}

describe('live classes as a teacher expects them (through the gateway)', () => {
  it('keeps a class a student enters first WAITING and unrecorded, until the teacher comes', async () => {
    const liveClass = await schedule();
    expect(liveClass.waitForModerator).toBe(true);
    const watching = subscribeWs(
      wsUrlOf(platform.gateway!.url),
      await platform.tokenFor('sam.student'),
      'subscription($id: ID) { liveClassStatusChanged(liveClassId: $id) { id status } }',
      { id: liveClass.id },
    );
    // Waits on state only: the subscription registered in meet, the webhooks applied, the events delivered (the
    // timeouts bound a hang, a loaded machine only makes this slower).
    await expect.poll(() => activeSubscriptions('meet'), { timeout: 100_000, interval: 100 }).toBe(1);
    await enter('sam.student', liveClass.id);
    expect(await state('sam.student', liveClass.id)).toMatchObject({ liveClass: { status: 'WAITING', startedAt: null, recordings: [] } });
    expect([...livekit.egresses.values()].filter((egress) => egress.roomName === liveClass.roomName)).toHaveLength(0);
    // The student sees it wait on the subscription (events carry the class as it is when delivered).
    expect((await watching.event(1)).data.liveClassStatusChanged.status).toBe('WAITING');

    await enter('tara.teacher', liveClass.id);
    const live = (await state('tara.teacher', liveClass.id)).liveClass;
    expect(live.status).toBe('LIVE');
    expect(live.recordings).toEqual([{ status: 'RECORDING' }]);
    // The recorder LiveKit put in the room (kind EGRESS) is no attendee: it is listed apart, for teachers.
    await livekit.webhooksSettled();
    const after = (await state('tara.teacher', liveClass.id)).liveClass;
    expect(after.attendance.map((entry: any) => entry.user.fullName).sort()).toEqual(['Sam Dutta', 'Tara Iyer']);
    expect(after.serviceParticipants).toEqual([{ identity: expect.stringMatching(/^EG_/), kind: 'EGRESS' }]);
    // Other events may come in between (moderation, the recorder joining): the class waited until it went LIVE.
    const seen = await untilStatus(watching, 'LIVE');
    expect(new Set(seen)).toEqual(new Set(['WAITING', 'LIVE']));
    expect(seen[0]).toBe('WAITING');
    watching.dispose();
  });

  it('still lists a class one of whose attendees\u2019 Moodle account was deleted, with that entry\u2019s raw identity', async () => {
    const liveClass = await schedule({ waitForModerator: false, record: false });
    await enter('sita.student', liveClass.id);
    await enter('tara.teacher', liveClass.id);
    await sql`UPDATE moodle.mdl_user SET deleted = 1 WHERE id = 6`.execute(db);
    try {
      const result = await platform.query('tara.teacher', `{ course(id: "101") { liveClasses { id attendance { identity user { fullName } } } } }`);
      expect(result.errors).toBeUndefined();
      const listed = result.data.course.liveClasses.find((candidate: any) => candidate.id === liveClass.id);
      expect(listed.attendance).toEqual(
        expect.arrayContaining([
          { identity: '6', user: null },
          { identity: '3', user: { fullName: 'Tara Iyer' } },
        ]),
      );
    } finally {
      await sql`UPDATE moodle.mdl_user SET deleted = 0 WHERE id = 6`.execute(db);
    }
  });
  it('serves a recording\u2019s bytes by range through the gateway (206), so players can seek', async () => {
    const liveClass = await schedule({ waitForModerator: false });
    await enter('tara.teacher', liveClass.id);
    const egress = [...livekit.egresses.values()].find((candidate) => candidate.roomName === liveClass.roomName)!;
    const done = await livekit.completeEgress(egress.egressId, { durationSeconds: 3, contents: '0123456789abcdef' });
    const filepath = done.fileResults[0]!.filename;
    mkdirSync(path.dirname(path.join(recordingsDir, filepath)), { recursive: true });
    writeFileSync(path.join(recordingsDir, filepath), '0123456789abcdef');
    const { roomComposite: _request, ...info } = done;
    await sendWebhook(livekit.webhookUrl!, 'egress_ended', { egressInfo: info });
    const { liveClass: read } = await gql('sam.student', `query($id: ID!) { liveClass(id: $id) { recordings { status url } } }`, { id: liveClass.id });
    expect(read.recordings[0].status).toBe('READY');
    const signed = new URL(read.recordings[0].url);
    const viaGateway = `${platform.gateway!.url.replace('localhost', '127.0.0.1').replace(/\/graphql$/, '')}${signed.pathname}${signed.search}`;
    const part = await fetch(viaGateway, { headers: { range: 'bytes=4-9' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 4-9/16');
    expect(await part.text()).toBe('456789');
    const tail = await fetch(viaGateway, { headers: { range: 'bytes=-3' } });
    expect([tail.status, await tail.text()]).toEqual([206, 'def']);
    const beyond = await fetch(viaGateway, { headers: { range: 'bytes=99-' } });
    expect([beyond.status, beyond.headers.get('content-range')]).toEqual([416, 'bytes */16']);
    await beyond.arrayBuffer();
    const inverted = await fetch(viaGateway, { headers: { range: 'bytes=9-4' } }); // invalid: ignored (RFC 9110 §14.2)
    expect([inverted.status, inverted.headers.get('content-range'), await inverted.text()]).toEqual([200, null, '0123456789abcdef']);
    const whole = await fetch(viaGateway);
    expect([whole.status, whole.headers.get('accept-ranges'), await whole.text()]).toEqual([200, 'bytes', '0123456789abcdef']);
  });

  it('stops the class’s running recording in LiveKit when the teacher ends the class', async () => {
    const liveClass = await schedule({ waitForModerator: false });
    await enter('tara.teacher', liveClass.id);
    const egress = [...livekit.egresses.values()].find((candidate) => candidate.roomName === liveClass.roomName)!;
    expect(egress.status).toBe('EGRESS_STARTING');
    const { endLiveClass } = await gql('tara.teacher', `mutation($id: ID!) { endLiveClass(id: $id) { status recordings { status } } }`, { id: liveClass.id });
    expect(endLiveClass).toEqual({ status: 'ENDED', recordings: [{ status: 'PROCESSING' }] });
    // LiveKit was asked to stop it (StopEgress), not left to end it with the room.
    expect(livekit.egresses.get(egress.egressId)!.status).toBe('EGRESS_ENDING');
  });
});
