/**
 * An S3-compatible bucket's settings, read the same way for every service
 * that stores objects (documents, meet's recordings): <PREFIX>_BUCKET,
 * _ENDPOINT, _REGION (default us-east-1), _ACCESS_KEY_ID,
 * _SECRET_ACCESS_KEY, _FORCE_PATH_STYLE (default: on when an endpoint is
 * set, as MinIO and other self-hosted servers want path-style addressing),
 * _PUBLIC_ENDPOINT (default: the endpoint): the origin browsers reach the
 * bucket at, for presigned URLs, when the services reach it by an internal
 * name (`http://minio:9000` in docker-compose, a cluster Service in Kubernetes).
 */
import { bool, type Env } from './env-values.js';

export interface S3Settings {
  bucket: string;
  endpoint?: string;
  /** Origin written into presigned URLs that browsers open; the endpoint when unset. */
  publicEndpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/** Undefined when <PREFIX>_BUCKET is not set. */
export function s3SettingsFromEnv(env: Env, prefix: string): S3Settings | undefined {
  const bucket = env[`${prefix}_BUCKET`];
  if (!bucket) return undefined;
  const endpoint = env[`${prefix}_ENDPOINT`] || undefined;
  return {
    bucket,
    endpoint,
    publicEndpoint: env[`${prefix}_PUBLIC_ENDPOINT`] || undefined,
    region: env[`${prefix}_REGION`] || 'us-east-1',
    accessKeyId: env[`${prefix}_ACCESS_KEY_ID`],
    secretAccessKey: env[`${prefix}_SECRET_ACCESS_KEY`],
    forcePathStyle: bool(env[`${prefix}_FORCE_PATH_STYLE`], !!endpoint),
  };
}
