/** The parts of LiveKit's WebhookEvent meet acts on, in plain types (times as Dates, sizes as numbers). */
import { EgressStatus, type EgressInfo, type WebhookEvent } from 'livekit-server-sdk';

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
}

export interface MeetWebhookEvent {
  id: string;
  event: string;
  createdAt: Date;
  roomName: string | null;
  /** Participants in the room when the event was sent (LiveKit's Room.numParticipants). */
  roomParticipants: number;
  /** `kind` is LiveKit's ParticipantInfo.Kind (see livekit/participants.ts); `metadata` is the join token's. */
  participant: { sid: string; identity: string; joinedAt: Date | null; kind: number; metadata: string } | null;
  egress: MeetEgress | null;
}

const fromSeconds = (value: bigint) => (value > 0n ? new Date(Number(value) * 1000) : null);
const fromNanos = (value: bigint) => (value > 0n ? new Date(Number(value / 1_000_000n)) : null);

/** An egress as LiveKit reports it (webhook or ListEgress), in meet's terms. */
export function toMeetEgress(egress: EgressInfo): MeetEgress {
  const file = egress.fileResults?.[0] ?? (egress.result.case === 'file' ? egress.result.value : undefined);
  return {
    egressId: egress.egressId,
    roomName: egress.roomName,
    status: EgressStatus[egress.status] ?? 'EGRESS_STARTING',
    startedAt: fromNanos(egress.startedAt),
    endedAt: fromNanos(egress.endedAt),
    error: egress.error,
    file: file ? { filename: file.filename, location: file.location, sizeBytes: Number(file.size), durationSeconds: Math.round(Number(file.duration / 1_000_000n) / 1000) } : null,
  };
}

export function toMeetEvent(event: WebhookEvent): MeetWebhookEvent {
  return {
    id: event.id,
    event: event.event,
    createdAt: fromSeconds(event.createdAt) ?? new Date(),
    roomName: event.room?.name || event.egressInfo?.roomName || null,
    roomParticipants: event.room?.numParticipants ?? 0,
    participant: event.participant
      ? {
          sid: event.participant.sid,
          identity: event.participant.identity,
          joinedAt: fromSeconds(event.participant.joinedAt),
          kind: event.participant.kind,
          metadata: event.participant.metadata,
        }
      : null,
    egress: event.egressInfo ? toMeetEgress(event.egressInfo) : null,
  };
}
