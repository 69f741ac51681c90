/** The parts of LiveKit's WebhookEvent meet acts on, in plain types (times as Dates, sizes as numbers). */
import type { EgressInfo, WebhookEvent } from 'livekit-server-sdk';
import { livekitSdk } from '../livekit/sdk.js';
import { sourceName } from '../livekit/permissions.js';
import type { TrackSourceName } from '../models.js';
import { storableTextProblem } from '../../../platform/graphql/text-input.js';

export interface LiveKitEgressFile {
  filename: string;
  location: string;
  sizeBytes: number;
  durationSeconds: number;
}

export interface MeetEgress {
  egressId: string;
  roomName: string;
  status: string;
  startedAt: Date | null;
  endedAt: Date | null;
  error: string;
  file: LiveKitEgressFile | null;
  /** The file path its start asked for (a room composite's first file output), null for any other request. */
  requestedFile: string | null;
}

export interface MeetWebhookEvent {
  id: string;
  event: string;
  createdAt: Date;
  roomName: string | null;
  /** Participants in the room when the event was sent (LiveKit's Room.numParticipants). */
  roomParticipants: number;
  /** `kind` is LiveKit's ParticipantInfo.Kind, a name when sent as one (see livekit/participants.ts); `metadata` is the join token's. */
  participant: { sid: string; identity: string; joinedAt: Date | null; kind: number | string; metadata: string } | null;
  egress: MeetEgress | null;
  /** The source of the track a track_published names (UNKNOWN when it names none LiveKit knows), else null. */
  trackSource: TrackSourceName | null;
}

/** A value meet cannot store: the event is refused (400) rather than failing in PostgreSQL (500). */
export class UnstorableEventError extends Error {}

/** A time PostgreSQL can store (years 1..9999 are far past anything LiveKit sends), else UnstorableEventError. */
function date(milliseconds: number, field: string): Date {
  const value = new Date(milliseconds);
  const year = value.getUTCFullYear();
  if (Number.isNaN(year) || year < 1 || year > 9999) throw new UnstorableEventError(`${field} is out of range`);
  return value;
}

/**
 * A count meet stores (size_bytes bigint, read back as a JavaScript number; duration_seconds integer): 0..max, else
 * UnstorableEventError. LiveKit's int64 fields hold more, which PostgreSQL would refuse (a 500) or a number round.
 */
function count(value: bigint, max: number, field: string): number {
  if (value < 0n || value > BigInt(max)) throw new UnstorableEventError(`${field} is out of range (0 to ${max})`);
  return Number(value);
}

const INTEGER_MAX = 2_147_483_647;

const fromSeconds = (value: bigint, field: string) => (value > 0n ? date(Number(value) * 1000, field) : null);
const fromNanos = (value: bigint, field: string) => (value > 0n ? date(Number(value / 1_000_000n), field) : null);

/** Text as PostgreSQL stores it (no NUL, no other control character, no lone surrogate), else UnstorableEventError. */
function text(value: string, field: string): string {
  const problem = storableTextProblem(value);
  if (problem) throw new UnstorableEventError(`${field} ${problem}`);
  return value;
}

/** An egress as LiveKit reports it (webhook or ListEgress), in meet's terms. */
export function toMeetEgress(egress: EgressInfo): MeetEgress {
  const file = egress.fileResults?.[0] ?? (egress.result.case === 'file' ? egress.result.value : undefined);
  return {
    egressId: text(egress.egressId, 'egressInfo.egressId'),
    roomName: text(egress.roomName, 'egressInfo.roomName'),
    status: livekitSdk().EgressStatus[egress.status] ?? 'EGRESS_STARTING',
    startedAt: fromNanos(egress.startedAt, 'egressInfo.startedAt'),
    endedAt: fromNanos(egress.endedAt, 'egressInfo.endedAt'),
    error: text(egress.error, 'egressInfo.error'),
    file: file
      ? {
          filename: text(file.filename, 'egressInfo.file.filename'),
          location: text(file.location, 'egressInfo.file.location'),
          sizeBytes: count(file.size, Number.MAX_SAFE_INTEGER, 'egressInfo.file.size'),
          durationSeconds: count((file.duration + 500_000_000n) / 1_000_000_000n, INTEGER_MAX, 'egressInfo.file.duration'),
        }
      : null,
    requestedFile: requestedFile(egress),
  };
}

/** What a room composite egress was asked to write (its request, which LiveKit reports with the egress). */
function requestedFile(egress: EgressInfo): string | null {
  if (egress.request.case !== 'roomComposite') return null;
  const request = egress.request.value;
  const output = request.fileOutputs[0] ?? (request.output.case === 'file' ? request.output.value : undefined);
  return output?.filepath ? text(output.filepath, 'egressInfo.roomComposite.fileOutputs.filepath') : null;
}

/**
 * The event in meet's terms; UnstorableEventError for text or times meet could not store.
 * `sentKind`: the participant's `kind` as the JSON body has it (a number or a name).
 * `signedAt` (the token's nbf or iat) dates an event whose createdAt is 0 or absent, so its
 * age is still judged; LiveKit always stamps createdAt, so an event dated by neither is refused.
 */
export function toMeetEvent(event: WebhookEvent, signedAt: Date | null, sentKind?: unknown): MeetWebhookEvent {
  const roomName = event.room?.name || event.egressInfo?.roomName || null;
  const createdAt = fromSeconds(event.createdAt, 'createdAt') ?? signedAt;
  if (!createdAt) throw new UnstorableEventError('event has no createdAt, and its token no nbf or iat to date it by');
  return {
    id: text(event.id, 'id'),
    event: text(event.event, 'event'),
    createdAt,
    roomName: roomName === null ? null : text(roomName, 'room.name'),
    roomParticipants: event.room?.numParticipants ?? 0,
    participant: event.participant
      ? {
          sid: text(event.participant.sid, 'participant.sid'),
          identity: text(event.participant.identity, 'participant.identity'),
          joinedAt: fromSeconds(event.participant.joinedAt, 'participant.joinedAt'),
          // The name as sent: the SDK reads a name it does not know as 0 (STANDARD), a person.
          kind: typeof sentKind === 'string' ? text(sentKind, 'participant.kind') : event.participant.kind,
          metadata: text(event.participant.metadata, 'participant.metadata'),
        }
      : null,
    egress: event.egressInfo ? toMeetEgress(event.egressInfo) : null,
    trackSource: event.track ? sourceName(event.track.source) : null,
  };
}
