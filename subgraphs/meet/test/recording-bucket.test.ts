/** Presigned recording links name the origin browsers reach, while the service keeps its internal endpoint. */
import { describe, expect, it } from 'vitest';
import { s3SettingsFromEnv } from '../../../platform/config/s3-settings.js';
import { RecordingBucket } from '../recordings/recording-bucket.js';

const env = { MEET_S3_BUCKET: 'rec', MEET_S3_ENDPOINT: 'http://minio:9000', MEET_S3_ACCESS_KEY_ID: 'k', MEET_S3_SECRET_ACCESS_KEY: 's' };

describe('recording bucket links', () => {
  it('signs for MEET_S3_PUBLIC_ENDPOINT when set, and hands egress the internal endpoint', async () => {
    const bucket = new RecordingBucket(s3SettingsFromEnv({ ...env, MEET_S3_PUBLIC_ENDPOINT: 'https://media.bheem.example' }, 'MEET_S3')!);
    const url = new URL(await bucket.presignedGet('course-1/class.mp4', 300, 'class.mp4'));
    expect(url.origin).toBe('https://media.bheem.example');
    expect(url.pathname).toBe('/rec/course-1/class.mp4');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(bucket.egressUpload().endpoint).toBe('http://minio:9000');
  });

  it('signs for the endpoint itself without a public one', async () => {
    const bucket = new RecordingBucket(s3SettingsFromEnv(env, 'MEET_S3')!);
    expect(new URL(await bucket.presignedGet('k.mp4', 60, 'k.mp4')).origin).toBe('http://minio:9000');
  });
});
