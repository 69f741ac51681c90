/**
 * The LiveKit server API meet uses, through livekit-server-sdk's Twirp
 * clients. Failures become UNAVAILABLE errors naming LiveKit; the two
 * "already so" answers (room exists, room gone) are not failures.
 *
 * Participants are read from LiveKit's JSON by meet, through the SDK's own
 * Twirp transport: the SDK's parser drops a `kind` name it does not know (a
 * newer server's) and leaves 0, STANDARD, a person. Such a kind is kept as
 * the name sent, as the webhook route does, so that both read it as OTHER.
 * That transport is private to RoomServiceClient; see twirpTransportOf for
 * why it is still the way, and what happens when an SDK no longer has it.
 */
import type { EgressClient, EgressInfo, ParticipantInfo, ParticipantPermission, Room, RoomServiceClient, S3Upload, TrackInfo } from 'livekit-server-sdk';
import type { MeetConfig, PlatformConfig } from '../../../platform/config.js';
import { unavailable } from '../../../platform/errors.js';
import { livekitSdk } from './sdk.js';

export interface RoomOptions {
  name: string;
  /** Seconds LiveKit keeps the room when nobody has joined. */
  emptyTimeout: number;
  departureTimeout: number;
  maxParticipants: number;
  metadata: string;
}

/** Refused or unanswered connections: no LiveKit server at the URL (as opposed to LiveKit answering with an error). */
const unreachable = (error: unknown) =>
  !(error instanceof livekitSdk().TwirpError) &&
  /fetch failed|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|timed? ?out|abort/i.test(`${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}`);

async function liveKit<T>(what: string, call: () => Promise<T>, url?: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (url && unreachable(error)) {
      throw unavailable(
        `LiveKit could not ${what}: no LiveKit server answered at ${url} (${(error as Error).message}). ` +
          'For development, run one with `livekit-server --dev` (keys devkey/secret), or point LIVEKIT_URL (or MEET_LIVEKIT_API_URL) at yours.',
        { serviceName: 'livekit', livekitUrl: url },
      );
    }
    throw unavailable(`LiveKit could not ${what}: ${(error as Error).message}`, { serviceName: 'livekit' });
  }
}

const isNotFound = (error: unknown) => error instanceof livekitSdk().TwirpError && (error.status === 404 || error.code === 'not_found');

/** Connections that never opened: the request was not sent. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Might LiveKit have carried out a change that failed so? Yes when no answer came (the SDK's timeout, a connection
 * reset or closed once the request was sent) or one that does not say the change was refused (500 internal, a
 * proxy's 502 or 504: the server may have acted before failing). No when LiveKit refused it (4xx; 503, Twirp's
 * `unavailable`: not served) or the connection never opened.
 */
function mayHaveActed(error: unknown): boolean {
  if (error instanceof livekitSdk().TwirpError) return error.status >= 500 && error.status !== 503;
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return !(typeof code === 'string' && NEVER_SENT.has(code));
}

/** How a removal went: done, the participant not in the room, or unknown (LiveKit's answer lost, see mayHaveActed). */
export type RemovalOutcome = 'removed' | 'not_in_room' | 'unconfirmed';

/** How a permission change went: done (the participant after it), the participant not in the room, or unknown (see mayHaveActed). */
export type PermissionOutcome = ParticipantInfo | 'not_in_room' | 'unconfirmed';

/** A participant as LiveKit listed it; `kind` is the name sent when the SDK has no number for it (see participants.ts). */
export type ListedParticipant = Omit<ParticipantInfo, 'kind'> & { kind: ParticipantInfo['kind'] | string };

/** The SDK's Twirp transport (private to RoomServiceClient): its URL, auth, timeout and TwirpErrors, with the JSON left to us. */
export interface TwirpTransport {
  request(service: string, method: string, data: unknown, headers: Record<string, string>, timeout?: number): Promise<unknown>;
}

/**
 * RoomServiceClient's Twirp transport, its private `rpc`. No public way
 * keeps a kind name the SDK does not know: the client's methods parse the
 * answer themselves (protobuf-es fromJson, ignoreUnknownFields), and
 * protobuf-es's JSON reader has no option for it (ignoring unknown fields
 * drops such a name, not ignoring them throws on it). A fetch of our own
 * would give up the SDK's URL handling, timeout, LiveKit Cloud's region
 * failover and its TwirpErrors. An SDK without this transport fails meet's
 * start here, with the reason (livekit-transport.test.ts sees it first),
 * (at its first call to LiveKit, when the clients are made), rather than every participant read failing as if
 * LiveKit were down.
 */
export function twirpTransportOf(client: RoomServiceClient): TwirpTransport {
  const rpc = (client as unknown as { rpc?: Partial<TwirpTransport> }).rpc;
  if (typeof rpc?.request !== 'function') {
    throw new Error(
      "livekit-server-sdk's RoomServiceClient no longer has the Twirp transport (rpc.request) that meet reads participants through: " +
        'adapt subgraphs/meet/livekit/livekit-api.ts to this SDK',
    );
  }
  return rpc as TwirpTransport;
}

function toListedParticipant(json: unknown): ListedParticipant {
  const info: ListedParticipant = livekitSdk().ParticipantInfo.fromJson(json as never, { ignoreUnknownFields: true });
  const sent = (json as { kind?: unknown } | null)?.kind;
  if (typeof sent === 'string' && info.kind === 0 && sent !== 'STANDARD') info.kind = sent;
  return info;
}

export class LiveKitApi {
  private clients?: { rooms: RoomServiceClient; roomsTransport: TwirpTransport; egress: EgressClient };
  private readonly url: string;
  private readonly credentials: { apiKey: string; apiSecret: string };

  constructor(config: PlatformConfig, settings: MeetConfig) {
    this.url = settings.livekitApiUrl;
    this.credentials = config.livekit;
  }

  /** The SDK's clients, made at the first call to LiveKit (the SDK loads then, see sdk.ts). */
  private get livekit() {
    if (this.clients) return this.clients;
    const { RoomServiceClient, EgressClient } = livekitSdk();
    const { apiKey, apiSecret } = this.credentials;
    // Failover only applies to LiveKit Cloud; a short timeout keeps a dead server from holding requests.
    const rooms = new RoomServiceClient(this.url, apiKey, apiSecret, { requestTimeout: 5 });
    this.clients = { rooms, roomsTransport: twirpTransportOf(rooms), egress: new EgressClient(this.url, apiKey, apiSecret, { requestTimeout: 10 }) };
    return this.clients;
  }

  /** Creates the room, or finds it there already (LiveKit answers an existing room with itself). */
  createRoom(options: RoomOptions): Promise<Room> {
    return liveKit(`create room ${options.name}`, () => this.livekit.rooms.createRoom(options), this.url);
  }

  /** Deletes the room; true when it existed. */
  async deleteRoom(name: string): Promise<boolean> {
    try {
      await this.livekit.rooms.deleteRoom(name);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw unavailable(`LiveKit could not delete room ${name}: ${(error as Error).message}`, { serviceName: 'livekit' });
    }
  }

  listRooms(names?: string[]): Promise<Room[]> {
    return liveKit('list rooms', () => this.livekit.rooms.listRooms(names));
  }

  private async roomService(method: string, room: string, body: Record<string, unknown>): Promise<unknown> {
    return this.livekit.roomsTransport.request('RoomService', method, { room, ...body }, await this.livekit.rooms.authHeader({ roomAdmin: true, room }));
  }

  /** Participants of a room; null when the room does not exist. */
  async listParticipants(room: string): Promise<ListedParticipant[] | null> {
    try {
      const answer = (await this.roomService('ListParticipants', room, {})) as { participants?: unknown[] } | null;
      return (answer?.participants ?? []).map(toListedParticipant);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable(`LiveKit could not list participants of ${room}: ${(error as Error).message}`, { serviceName: 'livekit' });
    }
  }

  /** One participant of a room; null when the room or the participant is not there. */
  async getParticipant(room: string, identity: string): Promise<ListedParticipant | null> {
    try {
      return toListedParticipant(await this.roomService('GetParticipant', room, { identity }));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable(`LiveKit could not read participant ${identity} of ${room}: ${(error as Error).message}`, { serviceName: 'livekit' });
    }
  }

  /** Replaces the participant's permission (LiveKit unpublishes tracks it no longer allows); null when not in the room. */
  /**
   * Replaces the participant's permission (LiveKit unpublishes tracks it no longer allows): the participant as it
   * left them; 'not_in_room'; 'unconfirmed' when LiveKit may have done it unanswered (see mayHaveActed). UNAVAILABLE
   * when LiveKit refused.
   */
  async holdPermission(room: string, identity: string, permission: Partial<ParticipantPermission>): Promise<PermissionOutcome> {
    try {
      return await this.livekit.rooms.updateParticipant(room, identity, { permission });
    } catch (error) {
      if (isNotFound(error)) return 'not_in_room';
      if (mayHaveActed(error)) return 'unconfirmed';
      throw unavailable(`LiveKit could not change the permissions of ${identity} in ${room}: ${(error as Error).message}`, { serviceName: 'livekit' });
    }
  }

  /** Mutes a published track; null when the participant or the track is not there. */
  async muteTrack(room: string, identity: string, trackSid: string): Promise<TrackInfo | null> {
    try {
      return (await this.livekit.rooms.mutePublishedTrack(room, identity, trackSid, true)) ?? null;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable(`LiveKit could not mute track ${trackSid} of ${identity} in ${room}: ${(error as Error).message}`, { serviceName: 'livekit' });
    }
  }

  /** Disconnects a participant. UNAVAILABLE when LiveKit refused; 'unconfirmed' when it may have done it unanswered. */
  async removeParticipant(room: string, identity: string): Promise<RemovalOutcome> {
    try {
      await this.livekit.rooms.removeParticipant(room, identity);
      return 'removed';
    } catch (error) {
      if (isNotFound(error)) return 'not_in_room';
      if (mayHaveActed(error)) return 'unconfirmed';
      throw unavailable(`LiveKit could not remove ${identity} from ${room}: ${(error as Error).message}`, { serviceName: 'livekit' });
    }
  }

  /**
   * A room composite recording into one MP4 file at `filepath`: a key in `s3`'s bucket, or else under egress's local
   * directory. 'unconfirmed' when LiveKit may have started it unanswered (see mayHaveActed); UNAVAILABLE when it refused.
   */
  async startRoomRecording(roomName: string, filepath: string, s3?: S3Upload): Promise<EgressInfo | 'unconfirmed'> {
    const { EncodedFileOutput, EncodedFileType } = livekitSdk();
    const file = new EncodedFileOutput({ fileType: EncodedFileType.MP4, filepath, ...(s3 && { output: { case: 's3' as const, value: s3 } }) });
    try {
      return await this.livekit.egress.startRoomCompositeEgress(roomName, { file });
    } catch (error) {
      if (mayHaveActed(error)) return 'unconfirmed';
      throw unavailable(`LiveKit could not start recording room ${roomName}: ${(error as Error).message}`, { serviceName: 'livekit' });
    }
  }

  stopEgress(egressId: string): Promise<EgressInfo> {
    return liveKit(`stop recording ${egressId}`, () => this.livekit.egress.stopEgress(egressId));
  }

  /** The room's egresses; `active`: only those starting or recording (ending and ended ones left out). */
  listEgress(roomName: string, { active = false } = {}): Promise<EgressInfo[]> {
    return liveKit(`list recordings of ${roomName}`, () => this.livekit.egress.listEgress({ roomName, ...(active && { active }) }));
  }
}
