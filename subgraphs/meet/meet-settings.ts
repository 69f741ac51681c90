/**
 * Meet's own knobs, read from the environment once at start. LiveKit's URL
 * and keys are the platform's (`config.livekit`: LIVEKIT_URL,
 * LIVEKIT_API_KEY, LIVEKIT_API_SECRET); everything else lives here, each
 * with its default.
 */
import path from 'node:path';
import type { PlatformConfig } from '../../platform/config.js';

export interface MeetSettings {
  /** LiveKit's HTTP API (Twirp). MEET_LIVEKIT_API_URL, default: LIVEKIT_URL with ws(s) → http(s). */
  livekitApiUrl: string;
  /** Students may join this many minutes before the start. MEET_JOIN_WINDOW_MINUTES, default 15. */
  joinWindowMinutes: number;
  /** Teachers and admins may open the room this early. MEET_TEACHER_JOIN_WINDOW_MINUTES, default 60. */
  teacherJoinWindowMinutes: number;
  /** Upper bound of a join token's life. MEET_TOKEN_MAX_TTL_SECONDS, default 7200. */
  tokenMaxTtlSeconds: number;
  /** Tokens stay valid this long after the scheduled end. MEET_TOKEN_END_GRACE_MINUTES, default 15. */
  tokenEndGraceMinutes: number;
  /** A LIVE class is ended this long after its scheduled end, whatever LiveKit says. MEET_LIVE_GRACE_MINUTES, default 30. */
  liveGraceMinutes: number;
  /** LiveKit closes a room nobody joined after this. MEET_ROOM_EMPTY_TIMEOUT_SECONDS, default 600. */
  roomEmptyTimeoutSeconds: number;
  /** ... and a room everyone left after this. MEET_ROOM_DEPARTURE_TIMEOUT_SECONDS, default 600. */
  roomDepartureTimeoutSeconds: number;
  /** MEET_ROOM_MAX_PARTICIPANTS, default 200 (0: LiveKit's default, unlimited). */
  roomMaxParticipants: number;
  /** Reconciliation period; 0 turns the timer off. MEET_RECONCILE_INTERVAL_SECONDS, default 60. */
  reconcileIntervalSeconds: number;
  /** Webhooks created longer ago are refused as replays. MEET_WEBHOOK_MAX_AGE_SECONDS, default 300. */
  webhookMaxAgeSeconds: number;
  /** Where egress writes recordings and meet serves them from. MEET_RECORDINGS_DIR, default DATA_DIR/recordings. */
  recordingsDir: string;
  /** Origin of recording download URLs (the gateway forwards /recordings/*). MEET_RECORDINGS_PUBLIC_URL, default PUBLIC_URL. */
  recordingsPublicUrl: string;
  /** Life of a recording download URL. MEET_RECORDING_URL_TTL_SECONDS, default 900. */
  recordingUrlTtlSeconds: number;
}

type Env = Record<string, string | undefined>;

function whole(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return parsed;
}

export function loadMeetSettings(config: PlatformConfig, env: Env = process.env): MeetSettings {
  return {
    livekitApiUrl: (env.MEET_LIVEKIT_API_URL || config.livekit.url).replace(/^ws(s?):/, 'http$1:'),
    joinWindowMinutes: whole(env, 'MEET_JOIN_WINDOW_MINUTES', 15),
    teacherJoinWindowMinutes: whole(env, 'MEET_TEACHER_JOIN_WINDOW_MINUTES', 60),
    tokenMaxTtlSeconds: whole(env, 'MEET_TOKEN_MAX_TTL_SECONDS', 7200),
    tokenEndGraceMinutes: whole(env, 'MEET_TOKEN_END_GRACE_MINUTES', 15),
    liveGraceMinutes: whole(env, 'MEET_LIVE_GRACE_MINUTES', 30),
    roomEmptyTimeoutSeconds: whole(env, 'MEET_ROOM_EMPTY_TIMEOUT_SECONDS', 600),
    roomDepartureTimeoutSeconds: whole(env, 'MEET_ROOM_DEPARTURE_TIMEOUT_SECONDS', 600),
    roomMaxParticipants: whole(env, 'MEET_ROOM_MAX_PARTICIPANTS', 200),
    reconcileIntervalSeconds: whole(env, 'MEET_RECONCILE_INTERVAL_SECONDS', 60),
    webhookMaxAgeSeconds: whole(env, 'MEET_WEBHOOK_MAX_AGE_SECONDS', 300),
    recordingsDir: path.resolve(env.MEET_RECORDINGS_DIR || path.join(config.dataDir, 'recordings')),
    recordingsPublicUrl: (env.MEET_RECORDINGS_PUBLIC_URL || config.publicUrl).replace(/\/$/, ''),
    recordingUrlTtlSeconds: whole(env, 'MEET_RECORDING_URL_TTL_SECONDS', 900),
  };
}
