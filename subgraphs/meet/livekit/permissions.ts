/**
 * What each standing in a class may do in its room, in LiveKit's two
 * vocabularies: the join token's video grant (sources in lower case) and the
 * ParticipantPermission RoomService UpdateParticipant takes (enum values).
 * - moderators (host, teachers, admins): every source, and room admin;
 * - speakers (students a moderator promoted): camera and microphone;
 * - listeners (students): watch, listen and chat (data), publish nothing.
 */
import type { ParticipantPermission, TrackSource, VideoGrant } from 'livekit-server-sdk';
import type { TrackSourceName } from '../models.js';
import { livekitSdk } from './sdk.js';

export type Standing = 'moderator' | 'speaker' | 'listener';

/** What a speaker, and what a moderator, may publish (made at first use: the SDK loads then, see sdk.ts). */
const speakerSources = () => [livekitSdk().TrackSource.CAMERA, livekitSdk().TrackSource.MICROPHONE];
const moderatorSources = () => [...speakerSources(), livekitSdk().TrackSource.SCREEN_SHARE, livekitSdk().TrackSource.SCREEN_SHARE_AUDIO];

export function roomGrant(roomName: string, standing: Standing): VideoGrant {
  return {
    room: roomName,
    roomJoin: true,
    canSubscribe: true,
    canPublishData: true,
    canPublish: standing !== 'listener',
    ...(standing === 'speaker' && { canPublishSources: speakerSources() }),
    ...(standing === 'moderator' && { canPublishSources: moderatorSources(), roomAdmin: true }),
  };
}

/** The permission a promoted (speaker) or demoted (listener) student gets in the room, replacing the one they have. */
export function studentPermission(standing: Exclude<Standing, 'moderator'>): ParticipantPermission {
  const { ParticipantPermission } = livekitSdk();
  return new ParticipantPermission({
    canSubscribe: true,
    canPublishData: true,
    canPublish: standing === 'speaker',
    canPublishSources: standing === 'speaker' ? speakerSources() : [],
  });
}

let sourceNames: Record<number, TrackSourceName> | undefined;

/** LiveKit's TrackSource (an enum number once parsed by livekit-server-sdk) as meet's enum. */
export function sourceName(source: TrackSource | number | undefined): TrackSourceName {
  const { TrackSource } = livekitSdk();
  sourceNames ??= {
    [TrackSource.CAMERA]: 'CAMERA',
    [TrackSource.MICROPHONE]: 'MICROPHONE',
    [TrackSource.SCREEN_SHARE]: 'SCREEN_SHARE',
    [TrackSource.SCREEN_SHARE_AUDIO]: 'SCREEN_SHARE_AUDIO',
  };
  return sourceNames[source ?? 0] ?? 'UNKNOWN';
}

const EVERY_SOURCE: readonly TrackSourceName[] = ['CAMERA', 'MICROPHONE', 'SCREEN_SHARE', 'SCREEN_SHARE_AUDIO'];

/** The sources a participant's permission, as LiveKit lists it, lets them publish (LiveKit: none listed, any source). */
export function publishableSources(permission: ParticipantPermission | undefined): TrackSourceName[] {
  if (!permission?.canPublish) return [];
  return permission.canPublishSources.length ? permission.canPublishSources.map(sourceName) : [...EVERY_SOURCE];
}
