/**
 * meet reads LiveKit's participants through livekit-server-sdk's private
 * Twirp transport (livekit-api.ts, twirpTransportOf says why), to keep a
 * `kind` the SDK's enum does not know. An SDK upgrade that takes it away or
 * changes it fails here, by name, and not as LiveKit "unavailable" at every
 * reconciliation in production.
 */
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config.js';
import { startLiveKitDouble, type LiveKitDouble } from '../../../test/livekit/livekit-double.js';
import { LiveKitApi, twirpTransportOf } from '../livekit/livekit-api.js';
import { participantKind } from '../livekit/participants.js';

let livekit: LiveKitDouble;
let api: LiveKitApi;
beforeAll(async () => {
  livekit = await startLiveKitDouble('devkey', 'secret');
  const config = loadConfig({ LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' });
  api = new LiveKitApi(config, config.meet);
});
afterAll(() => livekit?.stop());

describe("the SDK's Twirp transport", () => {
  it('is there in the installed SDK', () => {
    expect(typeof twirpTransportOf(new RoomServiceClient(livekit.url, 'devkey', 'secret')).request).toBe('function');
  });

  it('fails meet with the reason when an SDK has none', () => {
    // A RoomServiceClient as an SDK without the field would make it.
    const without = Object.create(RoomServiceClient.prototype) as RoomServiceClient;
    expect(() => twirpTransportOf(without)).toThrow(/no longer has the Twirp transport \(rpc\.request\).*livekit-api\.ts/);
  });

  it('reads kinds it knows as the enum, and keeps the name of one it does not', async () => {
    livekit.addParticipant('kinds', '3');
    livekit.addParticipant('kinds', 'EG_1', 'Recorder', { kind: 'EGRESS' });
    livekit.addParticipant('kinds', 'bridge_1', 'Bridge', { kind: 'SOME_FUTURE_KIND' as never });
    livekit.addParticipant('kinds', 'bridge_2', 'Bridge', { kind: 9 as never });
    const listed = (await api.listParticipants('kinds'))!;
    expect(Object.fromEntries(listed.map((participant) => [participant.identity, participantKind(participant)]))).toEqual({
      '3': 'STANDARD',
      EG_1: 'EGRESS',
      bridge_1: 'OTHER',
      bridge_2: 'OTHER',
    });
    // The SDK's own parse would have left 0 (STANDARD, a person) for the name.
    expect(listed.find((participant) => participant.identity === 'bridge_1')!.kind).toBe('SOME_FUTURE_KIND');
    expect(participantKind((await api.getParticipant('kinds', 'bridge_1'))!)).toBe('OTHER');
  });

  it("answers a room or participant that is not there with null, from the transport's TwirpError", async () => {
    expect(await api.listParticipants('no-such-room')).toBeNull();
    livekit.addParticipant('one', '3');
    expect(await api.getParticipant('one', '4')).toBeNull();
  });
});
