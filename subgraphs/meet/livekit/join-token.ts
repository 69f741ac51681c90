/**
 * LiveKit access tokens for one class's room. Teachers (and admins) run the
 * room: they publish camera, microphone and screen and administer it.
 * Students watch, listen and chat (data), and publish no media.
 */
import { decodeJwt } from 'jose';
import { AccessToken, TrackSource, type VideoGrant } from 'livekit-server-sdk';

export interface JoinTokenRequest {
  apiKey: string;
  apiSecret: string;
  roomName: string;
  /** The Moodle user id (or Passport subject): attendance maps it back to a user. */
  identity: string;
  name?: string;
  teacher: boolean;
  ttlSeconds: number;
  metadata?: Record<string, unknown>;
}

export function roomGrant(roomName: string, teacher: boolean): VideoGrant {
  return {
    room: roomName,
    roomJoin: true,
    canSubscribe: true,
    canPublishData: true,
    canPublish: teacher,
    ...(teacher && {
      canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE, TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO],
      roomAdmin: true,
    }),
  };
}

/** The token and its exact expiry (read back from the token, so the two can never disagree). */
export async function mintJoinToken(request: JoinTokenRequest): Promise<{ token: string; expiresAt: Date }> {
  const token = new AccessToken(request.apiKey, request.apiSecret, {
    identity: request.identity,
    name: request.name,
    ttl: request.ttlSeconds,
    metadata: request.metadata ? JSON.stringify(request.metadata) : undefined,
  });
  token.addGrant(roomGrant(request.roomName, request.teacher));
  const jwt = await token.toJwt();
  return { token: jwt, expiresAt: new Date(decodeJwt(jwt).exp! * 1000) };
}
