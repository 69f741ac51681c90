/**
 * A student publishes only once a moderator promoted them; joinLiveClass's
 * token lets them publish nothing, and LiveKit holds them to it. When
 * LiveKit nonetheless says (track_published) that someone meet never let
 * publish did (a token naming no role, minted by an integrator; a
 * permission changed through LiveKit's API behind meet's back), meet takes
 * publishing back as a demotion does (LiveKit unpublishes the tracks), logs
 * it and audits it. Through the LiveKit double and its signed webhooks; and,
 * the webhook lost, through reconciliation (livekit-server-sdk's Twirp calls
 * to the same double), which judges alike.
 */
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reconciler } from '../jobs/reconciler.js';
import { inMinutes, JOIN, type MeetTestPlatform, reconcilerFor, SCHEDULE, startMeetPlatform } from './meet-platform.js';

let meet: MeetTestPlatform;
let reconciler: Reconciler;
beforeAll(async () => {
  meet = await startMeetPlatform({ MEET_RECONCILE_INTERVAL_SECONDS: '0' });
  ({ reconciler } = reconcilerFor(meet));
});
afterAll(async () => {
  await reconciler?.stop();
  await meet?.stop();
});

async function liveClass() {
  const { body } = await meet.call('tara.teacher', SCHEDULE, { input: { courseId: '101', title: 'Prisms', scheduledAt: inMinutes(10) } });
  const created = body.data.scheduleLiveClass as { id: string; roomName: string };
  await enter('tara.teacher', created.id);
  return created;
}
async function enter(user: string, classId: string) {
  const { body } = await meet.call(user, JOIN, { id: classId });
  const participant = await meet.livekit.connect(body.data.joinLiveClass.token);
  await meet.livekit.webhooksSettled();
  return participant;
}
/** An integrator's token: identity and room, publishing allowed, no role. */
async function roleless(identity: string, roomName: string): Promise<string> {
  const { apiKey, apiSecret } = meet.platform.config.livekit;
  const token = new AccessToken(apiKey, apiSecret, { identity, ttl: 600 });
  token.addGrant({ room: roomName, roomJoin: true, canPublish: true, canSubscribe: true });
  return token.toJwt();
}
async function publish(roomName: string, identity: string, source: 'CAMERA' | 'MICROPHONE' | 'SCREEN_SHARE') {
  meet.livekit.publishTrack(roomName, identity, source);
  await meet.livekit.webhooksSettled();
}
/** The client publishes, and LiveKit's track_published never reaches meet. */
function publishUnannounced(roomName: string, identity: string, source: 'CAMERA' | 'MICROPHONE' | 'SCREEN_SHARE') {
  const { webhookUrl } = meet.livekit;
  meet.livekit.webhookUrl = undefined;
  try {
    meet.livekit.publishTrack(roomName, identity, source);
  } finally {
    meet.livekit.webhookUrl = webhookUrl;
  }
}
const PROMOTE = `mutation($c: ID!, $u: ID!) { promoteParticipant(liveClassId: $c, userId: $u) { promoted } }`;
const LOG = `query($id: ID!) { liveClass(id: $id) { moderationLog { action actor { id } target { id } detail } } }`;
const moderationLog = async (id: string) => (await meet.call('tara.teacher', LOG, { id })).body.data.liveClass.moderationLog;

describe('publishing meet never allowed', () => {
  it('is taken back from a student whose token names no role, and audited', async () => {
    const { id, roomName } = await liveClass();
    await meet.livekit.connect(await roleless('5', roomName));
    await meet.livekit.webhooksSettled();
    await publish(roomName, '5', 'CAMERA');
    const sam = meet.livekit.participant(roomName, '5')!;
    expect(sam.permission).toMatchObject({ canPublish: false, canPublishSources: [] });
    expect(sam.tracks).toEqual([]);
    expect(await moderationLog(id)).toEqual([{ action: 'DEMOTED', actor: null, target: { id: '5' }, detail: 'unauthorised_publish' }]);
  });

  it('is taken back from a student whose permission was changed behind meet\u2019s back', async () => {
    const { id, roomName } = await liveClass();
    const sita = await enter('sita.student', id);
    expect(JSON.parse(sita.metadata!).role).toBe('student');
    sita.permission = { ...sita.permission!, canPublish: true, canPublishSources: [] };
    await publish(roomName, '6', 'MICROPHONE');
    expect(meet.livekit.participant(roomName, '6')).toMatchObject({ permission: { canPublish: false }, tracks: [] });
    expect((await moderationLog(id)).map((entry: { action: string; detail: string }) => [entry.action, entry.detail])).toEqual([['DEMOTED', 'unauthorised_publish']]);
  });

  it('a screen share is taken back from a promoted student (camera and microphone only), who stays promoted', async () => {
    const { id, roomName } = await liveClass();
    const sam = await enter('sam.student', id);
    await meet.call('tara.teacher', `mutation($c: ID!, $u: ID!) { promoteParticipant(liveClassId: $c, userId: $u) { promoted } }`, { c: id, u: '5' });
    await publish(roomName, '5', 'CAMERA');
    // Every source allowed behind meet's back (LiveKit's API, or a roleless token of an integrator's).
    sam.permission = { ...sam.permission!, canPublish: true, canPublishSources: [] };
    await publish(roomName, '5', 'SCREEN_SHARE');
    const after = meet.livekit.participant(roomName, '5')!;
    expect(after.permission).toMatchObject({ canPublish: true, canPublishSources: ['CAMERA', 'MICROPHONE'] });
    expect(after.tracks!.map((track) => track.source)).toEqual(['CAMERA']);
    expect((await moderationLog(id)).map((entry: { action: string; detail: string }) => [entry.action, entry.detail])).toEqual([
      ['SOURCE_REVOKED', 'unauthorised_source'],
      ['PROMOTED', null],
    ]);
  });

  it('is left alone for teachers and for students a moderator promoted', async () => {
    const { id, roomName } = await liveClass();
    await publish(roomName, '3', 'CAMERA');
    await enter('sam.student', id);
    const promoted = await meet.call('tara.teacher', `mutation($c: ID!, $u: ID!) { promoteParticipant(liveClassId: $c, userId: $u) { promoted } }`, { c: id, u: '5' });
    expect(promoted.body.data.promoteParticipant.promoted).toBe(true);
    await publish(roomName, '5', 'MICROPHONE');
    expect(meet.livekit.participant(roomName, '3')!.tracks).toHaveLength(1);
    expect(meet.livekit.participant(roomName, '5')!.tracks).toHaveLength(1);
    expect((await moderationLog(id)).map((entry: { action: string }) => entry.action)).toEqual(['PROMOTED']);
  });
});

describe('publishing meet never allowed, its track_published lost', () => {
  const heldIn = async (id: string) => (await reconciler.reconcile()).heldToStanding.filter((held) => held.liveClassId === id);

  it('is taken back by reconciliation from a student, and audited as the webhook would', async () => {
    const { id, roomName } = await liveClass();
    const sita = await enter('sita.student', id);
    sita.permission = { ...sita.permission!, canPublish: true, canPublishSources: [] };
    publishUnannounced(roomName, '6', 'MICROPHONE');
    publishUnannounced(roomName, '3', 'SCREEN_SHARE'); // the teacher's, left alone
    expect(await moderationLog(id)).toEqual([]);

    expect(await heldIn(id)).toEqual([{ liveClassId: id, userId: '6', standing: 'listener' }]);
    expect(meet.livekit.participant(roomName, '6')).toMatchObject({ permission: { canPublish: false, canPublishSources: [] }, tracks: [] });
    expect(meet.livekit.participant(roomName, '3')!.tracks!.map((track) => track.source)).toEqual(['SCREEN_SHARE']);
    expect(await moderationLog(id)).toEqual([{ action: 'DEMOTED', actor: null, target: { id: '6' }, detail: 'unauthorised_publish' }]);
    // Nothing left to take back: the next run audits nothing more.
    expect(await heldIn(id)).toEqual([]);
    expect(await moderationLog(id)).toHaveLength(1);
  });

  it('takes back a promoted student\u2019s screen share, leaving them promoted with their camera', async () => {
    const { id, roomName } = await liveClass();
    const sam = await enter('sam.student', id);
    await meet.call('tara.teacher', PROMOTE, { c: id, u: '5' });
    publishUnannounced(roomName, '5', 'CAMERA');
    expect(await heldIn(id)).toEqual([]); // a promoted student's camera is theirs to publish
    sam.permission = { ...sam.permission!, canPublish: true, canPublishSources: [] };
    publishUnannounced(roomName, '5', 'SCREEN_SHARE');

    expect(await heldIn(id)).toEqual([{ liveClassId: id, userId: '5', standing: 'speaker' }]);
    const after = meet.livekit.participant(roomName, '5')!;
    expect(after.permission).toMatchObject({ canPublish: true, canPublishSources: ['CAMERA', 'MICROPHONE'] });
    expect(after.tracks!.map((track) => track.source)).toEqual(['CAMERA']);
    expect((await moderationLog(id)).map((entry: { action: string; detail: string }) => [entry.action, entry.detail])).toEqual([
      ['SOURCE_REVOKED', 'unauthorised_source'],
      ['PROMOTED', null],
    ]);
    const PARTICIPANTS = `query($id: ID!) { liveClass(id: $id) { roomParticipants { identity promoted } } }`;
    const { body } = await meet.call('tara.teacher', PARTICIPANTS, { id });
    expect(body.data.liveClass.roomParticipants).toContainEqual({ identity: '5', promoted: true });
  });
});
