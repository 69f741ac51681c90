/**
 * What each standing in a class may do in its room, in LiveKit's two
 * vocabularies: the join token's video grant (sources in lower case) and the
 * ParticipantPermission RoomService UpdateParticipant takes (enum values).
 * - moderators (host, teachers, admins): every source, and room admin;
 * - speakers (students a moderator promoted): camera and microphone;
 * - listeners (students): watch, listen and chat (data), publish nothing.
 */
import { ParticipantPermission, TrackSource, type VideoGrant } from 'livekit-server-sdk';
import type { TrackSourceName } from '../models.js';

export type Standing = 'moderator' | 'speaker' | 'listener';

const SPEAKER_SOURCES = [TrackSource.CAMERA, TrackSource.MICROPHONE];
const MODERATOR_SOURCES = [...SPEAKER_SOURCES, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO];

export function roomGrant(roomName: string, standing: Standing): VideoGrant {
  return {
    room: roomName,
    roomJoin: true,
    canSubscribe: true,
    canPublishData: true,
    canPublish: standing !== 'listener',
    ...(standing === 'speaker' && { canPublishSources: SPEAKER_SOURCES }),
    ...(standing === 'moderator' && { canPublishSources: MODERATOR_SOURCES, roomAdmin: true }),
  };
}

/** The permission a promoted (speaker) or demoted (listener) student gets in the room, replacing the one they have. */
export function studentPermission(standing: Exclude<Standing, 'moderator'>): ParticipantPermission {
  return new ParticipantPermission({
    canSubscribe: true,
    canPublishData: true,
    canPublish: standing === 'speaker',
    canPublishSources: standing === 'speaker' ? SPEAKER_SOURCES : [],
  });
}

const SOURCE_NAMES: Record<number, TrackSourceName> = {
  [TrackSource.CAMERA]: 'CAMERA',
  [TrackSource.MICROPHONE]: 'MICROPHONE',
  [TrackSource.SCREEN_SHARE]: 'SCREEN_SHARE',
  [TrackSource.SCREEN_SHARE_AUDIO]: 'SCREEN_SHARE_AUDIO',
};

/** LiveKit's TrackSource (an enum number once parsed by livekit-server-sdk) as meet's enum. */
export const sourceName = (source: TrackSource | number | undefined): TrackSourceName => SOURCE_NAMES[source ?? 0] ?? 'UNKNOWN';
