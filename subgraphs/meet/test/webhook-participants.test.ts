/**
 * Participants as LiveKit's webhooks may describe them: kinds as enum
 * numbers or names (protojson writes either), a kind newer than the
 * installed protocol knows, identities that only look like Moodle ids;
 * and a signed webhook replayed. Sent signed, as LiveKit sends them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../../test/livekit/send-webhook.js';
import { inMinutes, SCHEDULE, startMeetPlatform, type MeetTestPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
beforeAll(async () => {
  meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0' });
});
afterAll(() => meet?.stop());

/** A class that opens with its first participant, whoever it is: only people may open it. */
async function openDoorClass() {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Open door', scheduledAt: inMinutes(10), waitForModerator: false } });
  return body.data.scheduleLiveClass as { id: string; roomName: string };
}
const joined = (roomName: string, participant: Record<string, unknown>) =>
  sendWebhook(meet.webhookUrl, 'participant_joined', { room: { sid: 'RM_kinds', name: roomName }, participant: { state: 'ACTIVE', ...participant } });
const classOf = async (id: string) =>
  (await meet.call('tara.teacher', `{ liveClass(id: "${id}") { status attendance { identity user { id } } serviceParticipants { identity kind } } }`)).body.data.liveClass;

describe('participants in LiveKit webhooks', () => {
  it('takes kinds as enum numbers or names, and a kind it does not know for no person', async () => {
    const liveClass = await openDoorClass();
    expect((await joined(liveClass.roomName, { sid: 'PA_sip', identity: 'sip_1', kind: 3 })).status).toBe(200);
    expect((await joined(liveClass.roomName, { sid: 'PA_agent', identity: 'agent_1', kind: 'AGENT' })).status).toBe(200);
    expect((await joined(liveClass.roomName, { sid: 'PA_new', identity: 'bridge_1', kind: 'SOME_FUTURE_KIND' })).status).toBe(200);
    const state = await classOf(liveClass.id);
    expect(state.status).toBe('SCHEDULED');
    expect(state.attendance).toEqual([]);
    expect(state.serviceParticipants.map((p: { identity: string; kind: string }) => [p.identity, p.kind]).sort()).toEqual([
      ['agent_1', 'AGENT'],
      ['bridge_1', 'OTHER'],
      ['sip_1', 'SIP'],
    ]);
  });

  it('takes an identity that only looks like a Moodle id (leading zeros) for no Moodle user', async () => {
    const liveClass = await openDoorClass();
    expect((await joined(liveClass.roomName, { sid: 'PA_zero', identity: '005', metadata: '{"role":"student"}' })).status).toBe(200);
    const state = await classOf(liveClass.id);
    expect(state.attendance).toEqual([{ identity: '005', user: null }]);
  });

  it('refuses an expired signature, and applies a replayed delivery once', async () => {
    const liveClass = await openDoorClass();
    const fields = { room: { sid: 'RM_replay', name: liveClass.roomName }, participant: { sid: 'PA_sam', identity: '5', state: 'ACTIVE' } };
    // LiveKit's token says when it was signed and lives five minutes: one signed ten minutes ago has expired.
    const expired = await sendWebhook(meet.webhookUrl, 'participant_joined', fields, { signedAt: new Date(Date.now() - 10 * 60_000) });
    expect(expired.status).toBe(401);
    expect((await classOf(liveClass.id)).status).toBe('SCHEDULED');
    // The same signed event twice (a retry, or a replay while its token is valid): one presence, one opening.
    const first = await sendWebhook(meet.webhookUrl, 'participant_joined', fields);
    const replayed = await sendWebhook(meet.webhookUrl, 'participant_joined', fields, { id: first.id });
    expect([first.body.status, replayed.body.status]).toEqual(['applied', 'duplicate']);
    expect((await meet.outbox('meet.class.started')).filter((row) => row.entity_key === liveClass.id)).toHaveLength(1);
    expect((await classOf(liveClass.id)).attendance).toEqual([{ identity: '5', user: { id: '5' } }]);
  });
});
