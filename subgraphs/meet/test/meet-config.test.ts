import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config.js';

const meetOf = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/srv/bheem', ...env }).meet;

describe("meet's configuration (config.meet)", () => {
  it('keeps the MEET_* variables and their defaults', () => {
    const meet = meetOf({ LIVEKIT_URL: 'wss://live.example', PUBLIC_URL: 'https://bheem.example/' });
    expect(meet).toMatchObject({
      livekitApiUrl: 'https://live.example',
      joinWindowMinutes: 15,
      teacherJoinWindowMinutes: 60,
      tokenMaxTtlSeconds: 7200,
      roomEmptyTimeoutSeconds: 600,
      roomMaxParticipants: 200,
      reconcileIntervalSeconds: 60,
      reconcileConcurrency: 4,
      webhookMaxAgeSeconds: 300,
      recordingsStorage: 'local',
      recordingsDir: path.resolve('/srv/bheem/recordings'),
      recordingsPublicUrl: 'https://bheem.example',
      recordingUrlTtlSeconds: 900,
    });
    expect(meet.s3).toBeUndefined();
    const tuned = meetOf({ MEET_JOIN_WINDOW_MINUTES: '5', MEET_ROOM_MAX_PARTICIPANTS: '30', MEET_ROOM_OPEN_INTERVAL_SECONDS: '45', MEET_LIVEKIT_API_URL: 'http://10.0.0.5:7880' });
    expect(tuned).toMatchObject({ joinWindowMinutes: 5, roomMaxParticipants: 30, roomOpenIntervalSeconds: 45, livekitApiUrl: 'http://10.0.0.5:7880' });
  });

  it('stores recordings in S3 once a bucket is named, path-style for a custom endpoint', () => {
    const meet = meetOf({ MEET_S3_BUCKET: 'rec', MEET_S3_ENDPOINT: 'http://minio:9000', MEET_S3_ACCESS_KEY_ID: 'k', MEET_S3_SECRET_ACCESS_KEY: 's' });
    expect(meet.recordingsStorage).toBe('s3');
    expect(meet.s3).toEqual({ bucket: 'rec', endpoint: 'http://minio:9000', region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: true });
    expect(meetOf({ MEET_S3_BUCKET: 'rec', MEET_RECORDINGS_STORAGE: 'local' }).recordingsStorage).toBe('local');
    expect(meetOf({ MEET_S3_BUCKET: 'rec', MEET_S3_REGION: 'eu-west-1' }).s3).toMatchObject({ region: 'eu-west-1', forcePathStyle: false });
  });

  it('refuses values it cannot use', () => {
    expect(() => meetOf({ MEET_RECORDINGS_STORAGE: 's3' })).toThrow(/MEET_S3_BUCKET/);
    expect(() => meetOf({ MEET_RECORDINGS_STORAGE: 'ftp' })).toThrow(/local or s3/);
    expect(() => meetOf({ MEET_ROOM_MAX_PARTICIPANTS: 'many' })).toThrow(/MEET_ROOM_MAX_PARTICIPANTS/);
  });
});
