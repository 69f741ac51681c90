/** One way to make an S3 client from settings (documents' backend, meet's recording bucket). */
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../config/s3-settings.js';
import type { EgressPolicy } from '../http/egress-policy.js';
import { requireWhenUsed } from '../lazy-require.js';

/** The S3 client's package, loaded only where S3 is used (a bucket configured). */
export const s3Sdk = () => requireWhenUsed('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');

/** `egress`: for endpoints users give (a company's own bucket), every connection obeys the outbound policy. */
export function createS3Client(settings: S3Settings, egress?: EgressPolicy): S3Client {
  return new (s3Sdk().S3Client)({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    // Without keys the SDK's own chain applies (environment, instance role).
    credentials: settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined,
    // One retry: a request that fails twice is reported, not retried for a minute.
    maxAttempts: 2,
    ...(egress && { requestHandler: egress.agents() }),
  });
}
