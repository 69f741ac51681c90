/**
 * LiveKit access tokens for one class's room. Teachers (and admins) run the
 * room: they publish camera, microphone and screen and administer it.
 * Students watch, listen and chat (data), and publish no media unless a
 * moderator promoted them (camera and microphone); see permissions.ts.
 */
import { decodeJwt } from 'jose';
import { livekitSdk } from './sdk.js';
import { roomGrant, type Standing } from './permissions.js';

export interface JoinTokenRequest {
  apiKey: string;
  apiSecret: string;
  roomName: string;
  /** The Moodle user id (or Passport subject): attendance maps it back to a user. */
  identity: string;
  name?: string;
  standing: Standing;
  ttlSeconds: number;
  metadata?: Record<string, unknown>;
}

/** The token and its exact expiry (read back from the token, so the two can never disagree). */
export async function mintJoinToken(request: JoinTokenRequest): Promise<{ token: string; expiresAt: Date }> {
  const { AccessToken } = livekitSdk();
  const token = new AccessToken(request.apiKey, request.apiSecret, {
    identity: request.identity,
    name: request.name,
    ttl: request.ttlSeconds,
    metadata: request.metadata ? JSON.stringify(request.metadata) : undefined,
  });
  token.addGrant(roomGrant(request.roomName, request.standing));
  const jwt = await token.toJwt();
  return { token: jwt, expiresAt: new Date(decodeJwt(jwt).exp! * 1000) };
}
