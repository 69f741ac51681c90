/**
 * Meet's settings (MEET_*); LiveKit's URL and keys are `livekit` in
 * ../config.ts. Variables added with S3 recordings and rooms opened ahead of time:
 *   MEET_RECORDINGS_STORAGE       local | s3 (default: s3 when MEET_S3_BUCKET is set, else local)
 *   MEET_S3_BUCKET, MEET_S3_ENDPOINT, MEET_S3_REGION (default us-east-1),
 *   MEET_S3_ACCESS_KEY_ID, MEET_S3_SECRET_ACCESS_KEY,
 *   MEET_S3_FORCE_PATH_STYLE      (default: on when MEET_S3_ENDPOINT is set)
 *   MEET_ROOM_OPEN_INTERVAL_SECONDS  period of the job opening rooms (default 30; 0 = off, the default under tests)
 */
import path from 'node:path';
import { int, type Env } from './env-values.js';
import { s3SettingsFromEnv, type S3Settings } from './s3-settings.js';

export interface MeetConfig {
  /** LiveKit's HTTP API (Twirp). MEET_LIVEKIT_API_URL, default: LIVEKIT_URL with ws(s) → http(s). */
  livekitApiUrl: string;
  /** Students may join this many minutes before the start. MEET_JOIN_WINDOW_MINUTES, default 15. */
  joinWindowMinutes: number;
  /** Teachers and admins may open the room this early; rooms are created then. MEET_TEACHER_JOIN_WINDOW_MINUTES, default 60. */
  teacherJoinWindowMinutes: number;
  /** Upper bound of a join token's life. MEET_TOKEN_MAX_TTL_SECONDS, default 7200. */
  tokenMaxTtlSeconds: number;
  /** Tokens stay valid this long after the scheduled end. MEET_TOKEN_END_GRACE_MINUTES, default 15. */
  tokenEndGraceMinutes: number;
  /** A LIVE class is ended this long after its scheduled end, whatever LiveKit says, and a class nobody joined leaves the schedule. MEET_LIVE_GRACE_MINUTES, default 30. */
  liveGraceMinutes: number;
  /** LiveKit closes a room nobody joined after this (at least until the scheduled end). MEET_ROOM_EMPTY_TIMEOUT_SECONDS, default 600. */
  roomEmptyTimeoutSeconds: number;
  /** ... and a room everyone left after this. MEET_ROOM_DEPARTURE_TIMEOUT_SECONDS, default 600. */
  roomDepartureTimeoutSeconds: number;
  /** MEET_ROOM_MAX_PARTICIPANTS, default 200 (0: LiveKit's default, unlimited). */
  roomMaxParticipants: number;
  /** Period of the job creating rooms as join windows open. MEET_ROOM_OPEN_INTERVAL_SECONDS, default 30 (0 under tests). */
  roomOpenIntervalSeconds: number;
  /** Reconciliation period; 0 turns the timer off. MEET_RECONCILE_INTERVAL_SECONDS, default 60. */
  reconcileIntervalSeconds: number;
  /** Classes a reconciliation run handles at once (a room LiveKit is slow to answer holds one of them). MEET_RECONCILE_CONCURRENCY, default 4. */
  reconcileConcurrency: number;
  /** Webhooks created longer ago are refused as replays. MEET_WEBHOOK_MAX_AGE_SECONDS, default 300. */
  webhookMaxAgeSeconds: number;
  /** Applied webhook ids are kept this long for dedupe, then pruned (never less than twice the max age). MEET_WEBHOOK_RETENTION_HOURS, default 24. */
  webhookRetentionHours: number;
  /** Where egress writes recordings: its local directory (shared with meet) or an S3 bucket. */
  recordingsStorage: 'local' | 's3';
  /** Local recordings' directory. MEET_RECORDINGS_DIR, default DATA_DIR/recordings. */
  recordingsDir: string;
  /** Origin of local recording download URLs (the gateway forwards /recordings/*). MEET_RECORDINGS_PUBLIC_URL, default PUBLIC_URL. */
  recordingsPublicUrl: string;
  /** Life of a recording download URL (signed route or presigned S3 GET). MEET_RECORDING_URL_TTL_SECONDS, default 900. */
  recordingUrlTtlSeconds: number;
  /** The bucket egress uploads to and meet presigns from (MEET_S3_*). */
  s3?: S3Settings;
}

export function loadMeetConfig(env: Env, dataDir: string, publicUrl: string, livekitUrl: string): MeetConfig {
  const recordingsStorage = (env.MEET_RECORDINGS_STORAGE || (env.MEET_S3_BUCKET ? 's3' : 'local')) as MeetConfig['recordingsStorage'];
  if (recordingsStorage !== 'local' && recordingsStorage !== 's3') throw new Error(`MEET_RECORDINGS_STORAGE must be local or s3, got "${recordingsStorage}"`);
  if (recordingsStorage === 's3' && !env.MEET_S3_BUCKET) throw new Error('MEET_RECORDINGS_STORAGE=s3 needs MEET_S3_BUCKET');
  return {
    livekitApiUrl: (env.MEET_LIVEKIT_API_URL || livekitUrl).replace(/^ws(s?):/, 'http$1:'),
    joinWindowMinutes: int(env, 'MEET_JOIN_WINDOW_MINUTES', 15),
    teacherJoinWindowMinutes: int(env, 'MEET_TEACHER_JOIN_WINDOW_MINUTES', 60),
    tokenMaxTtlSeconds: int(env, 'MEET_TOKEN_MAX_TTL_SECONDS', 7200),
    tokenEndGraceMinutes: int(env, 'MEET_TOKEN_END_GRACE_MINUTES', 15),
    liveGraceMinutes: int(env, 'MEET_LIVE_GRACE_MINUTES', 30),
    roomEmptyTimeoutSeconds: int(env, 'MEET_ROOM_EMPTY_TIMEOUT_SECONDS', 600),
    roomDepartureTimeoutSeconds: int(env, 'MEET_ROOM_DEPARTURE_TIMEOUT_SECONDS', 600),
    roomMaxParticipants: int(env, 'MEET_ROOM_MAX_PARTICIPANTS', 200),
    roomOpenIntervalSeconds: int(env, 'MEET_ROOM_OPEN_INTERVAL_SECONDS', 30),
    reconcileIntervalSeconds: int(env, 'MEET_RECONCILE_INTERVAL_SECONDS', 60),
    reconcileConcurrency: Math.max(1, int(env, 'MEET_RECONCILE_CONCURRENCY', 4)),
    webhookMaxAgeSeconds: int(env, 'MEET_WEBHOOK_MAX_AGE_SECONDS', 300),
    webhookRetentionHours: int(env, 'MEET_WEBHOOK_RETENTION_HOURS', 24),
    recordingsStorage,
    recordingsDir: path.resolve(env.MEET_RECORDINGS_DIR || path.join(dataDir, 'recordings')),
    recordingsPublicUrl: (env.MEET_RECORDINGS_PUBLIC_URL || publicUrl).replace(/\/$/, ''),
    recordingUrlTtlSeconds: int(env, 'MEET_RECORDING_URL_TTL_SECONDS', 900),
    s3: s3SettingsFromEnv(env, 'MEET_S3'),
  };
}
