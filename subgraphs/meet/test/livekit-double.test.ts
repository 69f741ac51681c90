/** The double must refuse what LiveKit refuses, or the tests above would prove nothing about grants. */
import { AccessToken, EgressClient, RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveKitDouble, type LiveKitDouble } from '../../../test/livekit/livekit-double.js';

let livekit: LiveKitDouble;
beforeAll(async () => {
  livekit = await startLiveKitDouble('devkey', 'secret');
});
afterAll(() => livekit?.stop());

async function twirp(method: string, body: object, grant: Record<string, unknown> | null, secret = 'secret') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (grant) {
    const token = new AccessToken('devkey', secret, { ttl: 60 });
    token.addGrant(grant);
    headers.authorization = `Bearer ${await token.toJwt()}`;
  }
  const response = await fetch(`${livekit.url}/twirp/livekit.${method}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

describe('LiveKit test double', () => {
  it('serves the real SDK clients', async () => {
    const rooms = new RoomServiceClient(livekit.url, 'devkey', 'secret');
    await rooms.createRoom({ name: 'sdk-room', emptyTimeout: 30 });
    expect((await rooms.listRooms()).map((room) => room.name)).toContain('sdk-room');
    livekit.addParticipant('sdk-room', '42');
    expect((await rooms.listParticipants('sdk-room')).map((p) => p.identity)).toEqual(['42']);
    const egress = new EgressClient(livekit.url, 'devkey', 'secret');
    const info = await egress.startRoomCompositeEgress('sdk-room', { file: { filepath: 'x.mp4' } as any });
    expect((await egress.listEgress({ roomName: 'sdk-room' })).map((e) => e.egressId)).toEqual([info.egressId]);
    await rooms.deleteRoom('sdk-room');
    await expect(rooms.deleteRoom('sdk-room')).rejects.toMatchObject({ status: 404 });
  });

  it('changes participants as LiveKit does: permission replaced, disallowed tracks unpublished, no remote unmute', async () => {
    const rooms = new RoomServiceClient(livekit.url, 'devkey', 'secret');
    await rooms.createRoom({ name: 'moderated' });
    const student = new AccessToken('devkey', 'secret', { identity: '7', ttl: 60 });
    student.addGrant({ room: 'moderated', roomJoin: true, canPublish: true, canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE] });
    await livekit.connect(await student.toJwt(), { tracks: ['MICROPHONE', 'CAMERA'] });
    // The token's lower-case sources read back as enum names.
    expect((await rooms.getParticipant('moderated', '7')).permission?.canPublishSources).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
    // Only the microphone: the camera track goes, and what the request leaves out (canSubscribe) becomes false.
    await rooms.updateParticipant('moderated', '7', { permission: { canPublish: true, canPublishSources: [TrackSource.MICROPHONE] } });
    expect(livekit.participant('moderated', '7')).toMatchObject({
      permission: { canPublish: true, canSubscribe: false, canPublishSources: ['MICROPHONE'] },
      tracks: [{ source: 'MICROPHONE' }],
    });
    const [microphone] = livekit.participant('moderated', '7')!.tracks!;
    expect((await rooms.mutePublishedTrack('moderated', '7', microphone!.sid, true)).muted).toBe(true);
    await expect(rooms.mutePublishedTrack('moderated', '7', microphone!.sid, false)).rejects.toMatchObject({ status: 412 });
    // canPublish false (left out of the JSON, as protojson does) takes publishing back, and every track with it.
    await rooms.updateParticipant('moderated', '7', { permission: { canSubscribe: true, canPublish: false } });
    expect(livekit.participant('moderated', '7')).toMatchObject({ permission: { canPublish: false, canSubscribe: true }, tracks: [] });
    await rooms.removeParticipant('moderated', '7');
    await expect(rooms.getParticipant('moderated', '7')).rejects.toMatchObject({ status: 404 });
  });

  it('answers 401 without a valid token and 403 without the grant, as LiveKit does', async () => {
    expect((await twirp('RoomService/ListRooms', {}, null)).status).toBe(401);
    expect((await twirp('RoomService/ListRooms', {}, { roomList: true }, 'wrong-secret')).status).toBe(401);
    expect(await twirp('RoomService/ListRooms', {}, { roomCreate: true })).toMatchObject({ status: 403, body: { code: 'permission_denied' } });
    expect((await twirp('RoomService/CreateRoom', { name: 'r' }, { roomList: true })).status).toBe(403);
    expect((await twirp('RoomService/CreateRoom', { name: 'r' }, { roomCreate: true })).status).toBe(200);
    expect((await twirp('RoomService/ListParticipants', { room: 'r' }, { roomAdmin: true, room: 'other' })).status).toBe(403);
    expect((await twirp('RoomService/ListParticipants', { room: 'r' }, { roomAdmin: true, room: 'r' })).status).toBe(200);
    expect((await twirp('Egress/StartRoomCompositeEgress', { roomName: 'r' }, { roomAdmin: true, room: 'r' })).status).toBe(403);
    expect((await twirp('RoomService/DeleteRoom', { room: 'r' }, { roomAdmin: true, room: 'r' })).status).toBe(403);
  });
});
