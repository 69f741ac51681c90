import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKysely } from '../../../platform/database/connection.js';
import { createLogger } from '../../../platform/logger.js';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import type { MeetDatabase } from '../database.js';
import { RoomOpeningJob } from '../jobs/room-opening.js';
import { LiveKitApi } from '../livekit/livekit-api.js';
import { inMinutes, JOIN, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
let job: RoomOpeningJob;
beforeAll(async () => {
  meet = await startMeetPlatform({ MEET_ROOM_EMPTY_TIMEOUT_SECONDS: '900', MEET_ROOM_MAX_PARTICIPANTS: '40', MEET_RECONCILE_INTERVAL_SECONDS: '0' });
  const { config } = meet.platform;
  job = new RoomOpeningJob(createKysely<MeetDatabase>(meet.platform.database.url, 'meet'), new LiveKitApi(config, config.meet), config.meet, createLogger('test'));
});
afterAll(async () => {
  await job?.stop();
  await meet?.stop();
});

async function schedule(minutes: number, durationMinutes = 30) {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Lenses', scheduledAt: inMinutes(minutes), durationMinutes } });
  expect(body.errors).toBeUndefined();
  return body.data.scheduleLiveClass as { id: string; roomName: string; scheduledAt: string };
}
const state = async (id: string) => (await meet.call('admin', `{ liveClass(id: "${id}") { status startedAt } }`)).body.data.liveClass;
const createsOf = (roomName: string) => meet.livekit.callsTo('CreateRoom').filter((call) => call.body.name === roomName);

describe('rooms opened when the join window opens', () => {
  it('creates the room once the teachers\u2019 window opens, with the configured timeout and size, and no sooner', async () => {
    const soon = await schedule(30);
    const later = await schedule(90);
    const first = await job.run();
    expect(first.opened).toContain(soon.id);
    expect(first.opened).not.toContain(later.id);
    expect(createsOf(soon.roomName)).toMatchObject([{ status: 200, body: { maxParticipants: 40 } }]);
    // Kept while empty until the scheduled end at least (here 60 minutes away, more than the configured 900 s).
    expect(createsOf(soon.roomName)[0]!.body.emptyTimeout).toBeGreaterThanOrEqual(59 * 60);
    expect(createsOf(later.roomName)).toHaveLength(0);

    // Opened once: neither the next round nor a join creates it again.
    expect((await job.run()).opened).not.toContain(soon.id);
    expect((await meet.call('tara.teacher', JOIN, { id: soon.id })).body.errors).toBeUndefined();
    expect(createsOf(soon.roomName)).toHaveLength(1);

    // An hour later, the later class's window is open too.
    expect((await job.run(new Date(Date.now() + 31 * 60_000))).opened).toContain(later.id);
    expect(createsOf(later.roomName)).toHaveLength(1);
  });

  it('does not make the class LIVE when LiveKit announces the new room; its first participant does', async () => {
    const liveClass = await schedule(20);
    await job.run();
    await meet.livekit.webhooksSettled();
    expect(meet.livekit.webhooks.filter((hook) => hook.room === liveClass.roomName)).toMatchObject([{ event: 'room_started', status: 200 }]);
    expect(await state(liveClass.id)).toEqual({ status: 'SCHEDULED', startedAt: null });
    expect((await meet.outbox('meet.class.started')).filter((row) => row.entity_key === liveClass.id)).toHaveLength(0);

    const tara = meet.livekit.addParticipant(liveClass.roomName, '3');
    await sendWebhook(meet.webhookUrl, 'participant_joined', { room: meet.livekit.rooms.get(liveClass.roomName), participant: tara });
    const live = await state(liveClass.id);
    expect(live.status).toBe('LIVE');
    expect(live.startedAt).toBe(new Date(Number(tara.joinedAt) * 1000).toISOString());
    expect((await meet.outbox('meet.class.started')).filter((row) => row.entity_key === liveClass.id)).toHaveLength(1);
  });

  it('leaves cancelled and ended classes alone, and keeps trying while LiveKit is down', async () => {
    const cancelled = await schedule(10);
    await meet.call('tara.teacher', 'mutation($id: ID!) { cancelLiveClass(id: $id) { id } }', { id: cancelled.id });
    const waiting = await schedule(10);
    meet.livekit.unavailable = true;
    try {
      const report = await job.run();
      expect(report.failed).toContain(waiting.id);
      expect([...report.opened, ...report.failed]).not.toContain(cancelled.id);
    } finally {
      meet.livekit.unavailable = false;
    }
    const report = await job.run();
    expect(report.opened).toContain(waiting.id);
    expect(report.opened).not.toContain(cancelled.id);
    expect(createsOf(cancelled.roomName)).toHaveLength(0);
  });
});
