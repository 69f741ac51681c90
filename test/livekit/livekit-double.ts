/**
 * A LiveKit server double for tests: a loopback HTTP server speaking
 * LiveKit's Twirp JSON API for the calls meet makes (RoomService
 * CreateRoom/ListRooms/ListParticipants/DeleteRoom, Egress
 * StartRoomCompositeEgress/StopEgress/ListEgress), checking the bearer
 * token's signature and video grants as LiveKit does (401 unauthenticated,
 * 403 permission_denied). Like LiveKit, it announces rooms it creates
 * (room_started) and deletes (room_finished) to `webhookUrl`, signed, after
 * answering. Tests drive the media side by hand: participants come and go,
 * egresses complete, rooms vanish.
 *
 * Participants are ParticipantInfo as LiveKit's protojson writes it: enum
 * values by name (`state`, `kind`, permission sources), `kind` omitted for
 * STANDARD (proto3 leaves defaults out), the join token's metadata and
 * permission (from its video grant). `connect(token)` joins as a client
 * with that token would and sends participant_joined; an egress joins its
 * room as an EGRESS participant (identity `EG_…`), as LiveKit's does.
 * RoomService GetParticipant, UpdateParticipant, MutePublishedTrack and
 * RemoveParticipant read and change this state (roomAdmin for the room
 * required), with LiveKit's semantics: UpdateParticipant's permission
 * replaces the participant's whole permission (fields the request leaves
 * out, as protojson does for false and empty, become false and empty) and
 * unpublishes the tracks it no longer allows (track_unpublished); a token's
 * `canPublishSources` (lower case in the JWT) reads back as enum names;
 * MutePublishedTrack refuses to unmute unless `enableRemoteUnmute` (LiveKit's
 * room.enable_remote_unmute, off by default); RemoveParticipant disconnects
 * (participant_left). A removed participant may join again: LiveKit keeps no
 * ban list.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { uploadToS3 } from './egress-upload.js';
import { sendWebhook } from './send-webhook.js';

export interface RoomJson {
  sid: string;
  name: string;
  emptyTimeout: number;
  departureTimeout: number;
  maxParticipants: number;
  creationTime: string;
  metadata: string;
  numParticipants: number;
}

export type ParticipantKindName = 'STANDARD' | 'INGRESS' | 'EGRESS' | 'SIP' | 'AGENT';

export interface PermissionJson {
  canSubscribe: boolean;
  canPublish: boolean;
  canPublishData: boolean;
  canPublishSources: string[];
  canUpdateMetadata?: boolean;
}

export interface TrackJson {
  sid: string;
  type: 'AUDIO' | 'VIDEO';
  source: 'CAMERA' | 'MICROPHONE' | 'SCREEN_SHARE' | 'SCREEN_SHARE_AUDIO';
  muted: boolean;
}

export interface ParticipantJson {
  sid: string;
  identity: string;
  name: string;
  state: 'JOINING' | 'JOINED' | 'ACTIVE' | 'DISCONNECTED';
  joinedAt: string;
  metadata?: string;
  permission?: PermissionJson;
  tracks?: TrackJson[];
  /** Absent for STANDARD, as protojson leaves out defaults. */
  kind?: Exclude<ParticipantKindName, 'STANDARD'>;
}

export type EgressStatus = 'EGRESS_STARTING' | 'EGRESS_ACTIVE' | 'EGRESS_ENDING' | 'EGRESS_COMPLETE' | 'EGRESS_FAILED' | 'EGRESS_ABORTED' | 'EGRESS_LIMIT_REACHED';

export interface FileInfoJson {
  filename: string;
  startedAt: string;
  endedAt: string;
  duration: string;
  size: string;
  location: string;
}

export interface EgressJson {
  egressId: string;
  roomId: string;
  roomName: string;
  status: EgressStatus;
  startedAt: string;
  endedAt: string;
  updatedAt: string;
  error: string;
  fileResults: FileInfoJson[];
  /** The request as received (for assertions on the output). */
  roomComposite: Record<string, unknown>;
}

export interface VideoGrant {
  roomJoin?: boolean;
  canPublish?: boolean;
  canSubscribe?: boolean;
  canPublishData?: boolean;
  canPublishSources?: string[];
  roomCreate?: boolean;
  roomList?: boolean;
  roomAdmin?: boolean;
  roomRecord?: boolean;
  room?: string;
}

export interface DoubleCall {
  service: string;
  method: string;
  body: Record<string, any>;
  status: number;
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown by `beforeAnswer`: the double closes the connection unanswered, after acting (a reset, a proxy gone). */
export class ConnectionReset extends Error {
  constructor() {
    super('connection reset by the LiveKit double');
  }
}

const sid = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;
const nowSeconds = () => String(Math.floor(Date.now() / 1000));
const nowNanos = () => (BigInt(Date.now()) * 1_000_000n).toString();

export class LiveKitDouble {
  readonly rooms = new Map<string, RoomJson>();
  readonly participants = new Map<string, ParticipantJson[]>();
  readonly egresses = new Map<string, EgressJson>();
  readonly calls: DoubleCall[] = [];
  /** Make the next calls fail as if LiveKit were down (HTTP 503). */
  unavailable = false;
  /** Make the next calls to these methods (`UpdateParticipant`) fail so, acting on nothing; the others answer. */
  readonly unavailableMethods = new Set<string>();
  /**
   * Awaited once the double has acted on a call and before it answers (a slow network or server): a test holds an
   * answer back to let something else happen in between. Throwing loses the answer (HTTP 500) after the change;
   * throwing ConnectionReset drops the connection instead, with no answer at all.
   */
  beforeAnswer?: (call: { service: string; method: string; body: Record<string, any> }) => Promise<void> | void;
  /**
   * Awaited before the double acts on a call (a request slow to arrive): throwing ConnectionReset drops the
   * connection with nothing done, as a LiveKit that lost the request, or failed before acting, with no answer.
   */
  beforeActing?: (call: { service: string; method: string; body: Record<string, any> }) => Promise<void> | void;
  /** LiveKit's `room.enable_remote_unmute` (off by default): may MutePublishedTrack unmute? */
  enableRemoteUnmute = false;
  /** Where webhooks go (meet's /webhooks/livekit); none are sent while unset. */
  webhookUrl?: string;
  /** Webhooks sent, with meet's answer. */
  readonly webhooks: { event: string; room: string; status: number; body: any }[] = [];
  private pending = new Set<Promise<void>>();
  private server?: http.Server;
  url = '';

  constructor(
    readonly apiKey: string,
    readonly apiSecret: string,
  ) {}

  async start(): Promise<this> {
    this.server = http.createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** Resolves once every webhook sent so far has been answered. */
  async webhooksSettled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private announce(event: string, room: RoomJson, extra: Record<string, unknown> = {}): void {
    if (!this.webhookUrl) return;
    const delivery = sendWebhook(this.webhookUrl, event, { room: { ...room }, ...extra }, { apiKey: this.apiKey, apiSecret: this.apiSecret })
      .then(({ status, body }) => void this.webhooks.push({ event, room: room.name, status, body }))
      .catch((error: Error) => void this.webhooks.push({ event, room: room.name, status: 0, body: error.message }))
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  callsTo(method: string): DoubleCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  // ---- the media side, driven by tests ----

  /** A participant connects (creating the room if needed, as LiveKit's auto-create does); no webhook (see `connect`). */
  addParticipant(roomName: string, identity: string, name = identity, extra: Partial<ParticipantJson> = {}): ParticipantJson {
    const room = this.rooms.get(roomName) ?? this.createRoom({ name: roomName });
    const participant: ParticipantJson = { sid: sid('PA'), identity, name, state: 'ACTIVE', joinedAt: nowSeconds(), ...extra };
    this.participants.set(roomName, [...(this.participants.get(roomName) ?? []), participant]);
    room.numParticipants += 1;
    return participant;
  }

  /**
   * A client joins with a join token, as LiveKit admits it: the token must be ours and grant roomJoin; identity,
   * name, metadata and permission come from it; participant_joined is sent. Optionally publishes tracks.
   */
  async connect(token: string, options: { kind?: ParticipantKindName; tracks?: TrackJson['source'][] } = {}): Promise<ParticipantJson> {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(this.apiSecret), { issuer: this.apiKey, requiredClaims: ['exp', 'sub'] });
    const grant = (payload.video ?? {}) as VideoGrant;
    if (!grant.roomJoin || !grant.room) throw new Error('token does not grant roomJoin');
    const permission: PermissionJson = {
      canSubscribe: grant.canSubscribe ?? true,
      canPublish: grant.canPublish ?? true,
      canPublishData: grant.canPublishData ?? true,
      // The JWT names sources in lower case ('camera'); ParticipantInfo carries the enum names ('CAMERA').
      canPublishSources: (grant.canPublishSources ?? []).map((source) => source.toUpperCase()),
    };
    const tracks = (options.tracks ?? []).map(
      (source): TrackJson => ({ sid: sid('TR'), source, type: source.endsWith('AUDIO') || source === 'MICROPHONE' ? 'AUDIO' : 'VIDEO', muted: false }),
    );
    return this.join(grant.room, String(payload.sub), {
      name: String(payload.name ?? payload.sub),
      metadata: String(payload.metadata ?? ''),
      permission,
      tracks,
      ...(options.kind && options.kind !== 'STANDARD' && { kind: options.kind }),
    });
  }

  /** A participant joins and LiveKit says so (participant_joined). */
  join(roomName: string, identity: string, extra: Partial<ParticipantJson> = {}): ParticipantJson {
    const participant = this.addParticipant(roomName, identity, extra.name ?? identity, extra);
    this.announce('participant_joined', this.rooms.get(roomName)!, { participant: structuredClone(participant) });
    return participant;
  }

  /** A participant leaves and LiveKit says so (participant_left). */
  leave(roomName: string, identity: string): ParticipantJson | undefined {
    const gone = this.removeParticipant(roomName, identity);
    const room = this.rooms.get(roomName);
    if (gone && room) this.announce('participant_left', room, { participant: gone });
    return gone;
  }

  /**
   * A connected client publishes a track, as LiveKit admits it: only with canPublish and, when canPublishSources is
   * not empty, a source it lists (LiveKit refuses the publication otherwise); track_published is sent.
   */
  publishTrack(roomName: string, identity: string, source: TrackJson['source']): TrackJson {
    const participant = this.participant(roomName, identity);
    if (!participant) throw new Error(`${identity} is not in room ${roomName}`);
    const permission = participant.permission;
    if (permission && (!permission.canPublish || (permission.canPublishSources.length > 0 && !permission.canPublishSources.includes(source)))) {
      throw new Error(`${identity} may not publish ${source}`);
    }
    const track: TrackJson = { sid: sid('TR'), source, type: source.endsWith('AUDIO') || source === 'MICROPHONE' ? 'AUDIO' : 'VIDEO', muted: false };
    participant.tracks = [...(participant.tracks ?? []), track];
    this.announce('track_published', this.rooms.get(roomName)!, { participant: structuredClone(participant), track });
    return track;
  }

  participant(roomName: string, identity: string): ParticipantJson | undefined {
    return this.participants.get(roomName)?.find((candidate) => candidate.identity === identity);
  }

  removeParticipant(roomName: string, identity: string): ParticipantJson | undefined {
    const list = this.participants.get(roomName) ?? [];
    const gone = list.find((participant) => participant.identity === identity);
    this.participants.set(
      roomName,
      list.filter((participant) => participant !== gone),
    );
    const room = this.rooms.get(roomName);
    if (room && gone) room.numParticipants -= 1;
    return gone ? { ...gone, state: 'DISCONNECTED' } : undefined;
  }

  /** The room disappears (timeout, crash) without anyone being told. */
  dropRoom(roomName: string): RoomJson | undefined {
    const room = this.rooms.get(roomName);
    this.rooms.delete(roomName);
    this.participants.delete(roomName);
    return room;
  }

  /**
   * An egress finishes writing its file. With an S3 output the double uploads `contents` (a real PutObject
   * with the credentials egress was given); a local file is the test's to write, egress's directory being its own.
   */
  async completeEgress(egressId: string, file: { size?: number; durationSeconds: number; location?: string; contents?: string | Buffer }): Promise<EgressJson> {
    const egress = this.egresses.get(egressId);
    if (!egress) throw new Error(`No egress ${egressId}`);
    const output = (egress.roomComposite.fileOutputs as any[] | undefined)?.[0];
    const filepath = String(output?.filepath ?? `${egress.roomName}.mp4`);
    const contents = file.contents ?? `egress ${egressId} of ${egress.roomName}`;
    let location = file.location ?? filepath;
    if (output?.s3) location = await uploadToS3(output.s3, filepath, contents);
    egress.status = 'EGRESS_COMPLETE';
    egress.endedAt = nowNanos();
    egress.updatedAt = egress.endedAt;
    egress.fileResults = [
      {
        filename: filepath,
        startedAt: egress.startedAt,
        endedAt: egress.endedAt,
        duration: (BigInt(file.durationSeconds) * 1_000_000_000n).toString(),
        size: String(file.size ?? Buffer.byteLength(contents)),
        location,
      },
    ];
    return structuredClone(egress);
  }

  // ---- the Twirp API ----

  /**
   * LiveKit's ParticipantImpl.SetPermission: the request's permission replaces the participant's (protojson leaves false
   * and empty fields out, so absent means false or empty), then tracks whose source is no longer allowed are unpublished.
   */
  private setPermission(roomName: string, participant: ParticipantJson, requested: Record<string, any>): void {
    participant.permission = {
      canSubscribe: !!requested.canSubscribe,
      canPublish: !!requested.canPublish,
      canPublishData: !!requested.canPublishData,
      canPublishSources: [...(requested.canPublishSources ?? [])].map(String),
      ...(requested.canUpdateMetadata && { canUpdateMetadata: true }),
    };
    const allowed = (source: TrackJson['source']) =>
      participant.permission!.canPublish && (participant.permission!.canPublishSources.length === 0 || participant.permission!.canPublishSources.includes(source));
    const removed = (participant.tracks ?? []).filter((track) => !allowed(track.source));
    participant.tracks = (participant.tracks ?? []).filter((track) => allowed(track.source));
    const room = this.rooms.get(roomName);
    for (const track of removed) if (room) this.announce('track_unpublished', room, { participant: structuredClone(participant), track });
  }

  private createRoom(body: Record<string, any>): RoomJson {
    const existing = this.rooms.get(body.name);
    if (existing) return existing; // LiveKit answers an existing room with that room
    const room: RoomJson = {
      sid: sid('RM'),
      name: String(body.name),
      emptyTimeout: Number(body.emptyTimeout ?? 300),
      departureTimeout: Number(body.departureTimeout ?? 20),
      maxParticipants: Number(body.maxParticipants ?? 0),
      creationTime: nowSeconds(),
      metadata: String(body.metadata ?? ''),
      numParticipants: 0,
    };
    this.rooms.set(room.name, room);
    this.announce('room_started', room);
    return room;
  }

  private async grantsOf(request: http.IncomingMessage): Promise<VideoGrant> {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw new TwirpError(401, 'unauthenticated', 'authorization header missing');
    try {
      const { payload } = await jwtVerify(header.slice(7), new TextEncoder().encode(this.apiSecret), { issuer: this.apiKey, requiredClaims: ['exp'] });
      return (payload.video ?? {}) as VideoGrant;
    } catch (error) {
      throw new TwirpError(401, 'unauthenticated', `invalid token: ${(error as Error).message}`);
    }
  }

  private require(ok: boolean | undefined, what: string): void {
    if (!ok) throw new TwirpError(403, 'permission_denied', `permissions denied: ${what}`);
  }

  private async dispatch(service: string, method: string, body: Record<string, any>, grant: VideoGrant): Promise<unknown> {
    switch (`${service}/${method}`) {
      case 'RoomService/CreateRoom':
        this.require(grant.roomCreate, 'roomCreate');
        if (!body.name) throw new TwirpError(400, 'invalid_argument', 'room name is required');
        return this.createRoom(body);
      case 'RoomService/ListRooms': {
        this.require(grant.roomList, 'roomList');
        const names: string[] = body.names ?? [];
        return { rooms: [...this.rooms.values()].filter((room) => names.length === 0 || names.includes(room.name)) };
      }
      case 'RoomService/DeleteRoom':
        this.require(grant.roomCreate, 'roomCreate');
        if (!this.rooms.has(body.room)) throw new TwirpError(404, 'not_found', 'requested room does not exist');
        this.announce('room_finished', this.dropRoom(body.room)!);
        return {};
      case 'RoomService/GetParticipant': {
        this.require(grant.roomAdmin && grant.room === body.room, `roomAdmin for room ${body.room}`);
        const participant = this.participant(body.room, body.identity);
        if (!participant) throw new TwirpError(404, 'not_found', 'participant does not exist');
        return participant;
      }
      case 'RoomService/UpdateParticipant': {
        this.require(grant.roomAdmin && grant.room === body.room, `roomAdmin for room ${body.room}`);
        const participant = this.participant(body.room, body.identity);
        if (!participant) throw new TwirpError(404, 'not_found', 'participant does not exist');
        if (body.metadata) participant.metadata = body.metadata;
        if (body.name) participant.name = body.name;
        if (body.permission) this.setPermission(body.room, participant, body.permission);
        return participant;
      }
      case 'RoomService/MutePublishedTrack': {
        this.require(grant.roomAdmin && grant.room === body.room, `roomAdmin for room ${body.room}`);
        const participant = this.participant(body.room, body.identity);
        if (!participant) throw new TwirpError(404, 'not_found', 'participant does not exist');
        if (!body.muted && !this.enableRemoteUnmute) throw new TwirpError(412, 'failed_precondition', 'remote unmute not enabled');
        const track = participant.tracks?.find((candidate) => candidate.sid === body.trackSid);
        if (!track) throw new TwirpError(404, 'not_found', 'track does not exist');
        track.muted = !!body.muted;
        return { track };
      }
      case 'RoomService/RemoveParticipant': {
        this.require(grant.roomAdmin && grant.room === body.room, `roomAdmin for room ${body.room}`);
        if (!this.participant(body.room, body.identity)) throw new TwirpError(404, 'not_found', 'participant does not exist');
        this.leave(body.room, body.identity);
        return {};
      }
      case 'RoomService/ListParticipants':
        this.require(grant.roomAdmin && grant.room === body.room, `roomAdmin for room ${body.room}`);
        if (!this.rooms.has(body.room)) throw new TwirpError(404, 'not_found', 'requested room does not exist');
        return { participants: this.participants.get(body.room) ?? [] };
      case 'Egress/StartRoomCompositeEgress': {
        this.require(grant.roomRecord, 'roomRecord');
        if (!this.rooms.has(body.roomName)) throw new TwirpError(404, 'not_found', 'requested room does not exist');
        const egress: EgressJson = {
          egressId: sid('EG'),
          roomId: this.rooms.get(body.roomName)!.sid,
          roomName: body.roomName,
          status: 'EGRESS_STARTING',
          startedAt: nowNanos(),
          endedAt: '0',
          updatedAt: nowNanos(),
          error: '',
          fileResults: [],
          roomComposite: body,
        };
        this.egresses.set(egress.egressId, egress);
        // The recorder joins the room it records, as a hidden participant of kind EGRESS.
        this.join(body.roomName, egress.egressId, {
          name: 'Recorder',
          kind: 'EGRESS',
          permission: { canSubscribe: true, canPublish: false, canPublishData: false, canPublishSources: [] },
        });
        return egress;
      }
      case 'Egress/StopEgress': {
        this.require(grant.roomRecord, 'roomRecord');
        const egress = this.egresses.get(body.egressId);
        if (!egress) throw new TwirpError(404, 'not_found', 'egress not found');
        if (!['EGRESS_STARTING', 'EGRESS_ACTIVE'].includes(egress.status)) {
          throw new TwirpError(412, 'failed_precondition', `egress with status ${egress.status} cannot be stopped`);
        }
        egress.status = 'EGRESS_ENDING';
        egress.updatedAt = nowNanos();
        return egress;
      }
      case 'Egress/ListEgress': {
        this.require(grant.roomRecord, 'roomRecord');
        const items = [...this.egresses.values()].filter(
          (egress) =>
            (!body.roomName || egress.roomName === body.roomName) &&
            (!body.egressId || egress.egressId === body.egressId) &&
            (!body.active || ['EGRESS_STARTING', 'EGRESS_ACTIVE'].includes(egress.status)),
        );
        return { items };
      }
      default:
        throw new TwirpError(404, 'bad_route', `no handler for ${service}/${method}`);
    }
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const match = /^\/twirp\/livekit\.(\w+)\/(\w+)$/.exec(request.url ?? '');
    let body: Record<string, any> = {};
    let status = 200;
    let payload: string;
    try {
      if (this.unavailable || this.unavailableMethods.has(match?.[2] ?? '')) throw new TwirpError(503, 'unavailable', 'LiveKit double is down');
      if (request.method !== 'POST' || !match) throw new TwirpError(404, 'bad_route', `no route ${request.method} ${request.url}`);
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      await this.beforeActing?.({ service: match[1]!, method: match[2]!, body });
      // The answer is the state the call left, as LiveKit writes it then, whatever happens while it is held back.
      payload = JSON.stringify(await this.dispatch(match[1]!, match[2]!, body, await this.grantsOf(request)));
      await this.beforeAnswer?.({ service: match[1]!, method: match[2]!, body });
    } catch (error) {
      if (error instanceof ConnectionReset) {
        this.calls.push({ service: match?.[1] ?? '?', method: match?.[2] ?? '?', body, status: 0 });
        request.socket.destroy();
        return;
      }
      const twirp = error instanceof TwirpError ? error : new TwirpError(500, 'internal', (error as Error).message);
      status = twirp.status;
      payload = JSON.stringify({ code: twirp.code, msg: twirp.message });
    }
    this.calls.push({ service: match?.[1] ?? '?', method: match?.[2] ?? '?', body, status });
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    response.end(payload);
  }
}

export async function startLiveKitDouble(apiKey = 'devkey', apiSecret = 'secret'): Promise<LiveKitDouble> {
  return new LiveKitDouble(apiKey, apiSecret).start();
}
