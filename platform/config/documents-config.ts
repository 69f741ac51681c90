/** The documents subgraph's settings (DOCUMENTS_*). */
import path from 'node:path';
import { bool, int, type Env } from './env-values.js';
import { s3SettingsFromEnv, type S3Settings } from './s3-settings.js';

export type StorageBackendName = 'local' | 'webdav' | 's3';
export const STORAGE_BACKEND_NAMES: readonly StorageBackendName[] = ['local', 'webdav', 's3'];

export interface DocumentsConfig {
  /** Root of the local storage backend (DOCUMENTS_STORAGE_DIR, default <DATA_DIR>/files). */
  storageDir: string;
  /** HMAC key of upload, download and share URLs (DOCUMENTS_URL_SECRET; required in production). */
  urlSigningSecret: string;
  /** Backend for companies without a row in documents.company_storage (DOCUMENTS_STORAGE_BACKEND, default local). */
  defaultBackend: StorageBackendName;
  /** Largest file accepted, whatever the company's own limit (DOCUMENTS_MAX_UPLOAD_BYTES, default 1 GiB). */
  maxUploadBytes: number;
  /** Lifetime of signed download URLs (DOCUMENTS_URL_TTL_SECONDS, default 900). */
  urlTtlSeconds: number;
  /** Lifetime of an upload ticket (DOCUMENTS_UPLOAD_TTL_SECONDS, default 3600). */
  uploadTtlSeconds: number;
  /** Lifetime of a resumable (tus) upload: its token and its staged bytes (DOCUMENTS_RESUMABLE_UPLOAD_TTL_SECONDS, default 86400). */
  resumableUploadTtlSeconds: number;
  /** Where resumable uploads are staged until their last byte (DOCUMENTS_RESUMABLE_STAGING_DIR, default <DATA_DIR>/tus-staging). */
  resumableStagingDir: string;
  /** This replica's address for its peers (DOCUMENTS_INTERNAL_URL, e.g. http://<pod IP>:4005): tus requests of an upload staged here are forwarded to it. */
  internalUrl?: string;
  /** Days a deleted document stays in the trash before it is purged (DOCUMENTS_TRASH_RETENTION_DAYS, default 30). */
  trashRetentionDays: number;
  /** Period of the cleanup jobs (DOCUMENTS_JOB_INTERVAL_SECONDS, default 600; 0 turns them off). */
  jobIntervalSeconds: number;
  /** Nextcloud or any WebDAV server (DOCUMENTS_WEBDAV_URL, _USERNAME, _PASSWORD, _ROOT). */
  webdav?: { url: string; username?: string; password?: string; root: string };
  /** S3 or MinIO (DOCUMENTS_S3_BUCKET, _ENDPOINT, _REGION, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY, _FORCE_PATH_STYLE). */
  s3?: S3Settings;
  search: DocumentSearchConfig;
}

/** Full-text search inside documents: how the indexer reads files (DOCUMENTS_INDEX_*). */
export interface DocumentSearchConfig {
  /** Extract and index documents' text in the background (DOCUMENTS_INDEX_CONTENT, default on; off under tests unless set). */
  indexContent: boolean;
  /** Larger files are not read; their names and tags stay searchable (DOCUMENTS_INDEX_MAX_FILE_BYTES, default 50 MiB). */
  maxFileBytes: number;
  /** Characters of a document's text kept and indexed (DOCUMENTS_INDEX_MAX_TEXT_CHARS, default 200,000: ~100 pages). */
  maxTextChars: number;
  /** One file's extraction gives up after this long and is recorded as failed (DOCUMENTS_INDEX_TIMEOUT_SECONDS, default 30). */
  timeoutSeconds: number;
  /** Documents indexed at once by this process (DOCUMENTS_INDEX_CONCURRENCY, default 2). */
  concurrency: number;
}

export function loadDocumentsConfig(env: Env, dataDir: string, urlSigningSecret: string): DocumentsConfig {
  const defaultBackend = (env.DOCUMENTS_STORAGE_BACKEND ?? 'local') as StorageBackendName;
  if (!STORAGE_BACKEND_NAMES.includes(defaultBackend)) {
    throw new Error(`DOCUMENTS_STORAGE_BACKEND must be one of ${STORAGE_BACKEND_NAMES.join(', ')}, got "${defaultBackend}"`);
  }
  return {
    storageDir: path.resolve(env.DOCUMENTS_STORAGE_DIR || path.join(dataDir, 'files')),
    urlSigningSecret,
    defaultBackend,
    maxUploadBytes: int(env, 'DOCUMENTS_MAX_UPLOAD_BYTES', 1024 ** 3),
    urlTtlSeconds: int(env, 'DOCUMENTS_URL_TTL_SECONDS', 900),
    uploadTtlSeconds: int(env, 'DOCUMENTS_UPLOAD_TTL_SECONDS', 3600),
    resumableUploadTtlSeconds: int(env, 'DOCUMENTS_RESUMABLE_UPLOAD_TTL_SECONDS', 86_400),
    resumableStagingDir: path.resolve(env.DOCUMENTS_RESUMABLE_STAGING_DIR || path.join(dataDir, 'tus-staging')),
    internalUrl: env.DOCUMENTS_INTERNAL_URL?.replace(/\/$/, '') || undefined,
    trashRetentionDays: int(env, 'DOCUMENTS_TRASH_RETENTION_DAYS', 30),
    jobIntervalSeconds: int(env, 'DOCUMENTS_JOB_INTERVAL_SECONDS', 600),
    webdav: env.DOCUMENTS_WEBDAV_URL
      ? { url: env.DOCUMENTS_WEBDAV_URL, username: env.DOCUMENTS_WEBDAV_USERNAME, password: env.DOCUMENTS_WEBDAV_PASSWORD, root: env.DOCUMENTS_WEBDAV_ROOT ?? '/bheem-documents' }
      : undefined,
    s3: s3SettingsFromEnv(env, 'DOCUMENTS_S3'),
    search: {
      indexContent: bool(env.DOCUMENTS_INDEX_CONTENT, true),
      maxFileBytes: int(env, 'DOCUMENTS_INDEX_MAX_FILE_BYTES', 50 * 1024 ** 2),
      maxTextChars: Math.max(1, int(env, 'DOCUMENTS_INDEX_MAX_TEXT_CHARS', 200_000)),
      timeoutSeconds: Math.max(1, int(env, 'DOCUMENTS_INDEX_TIMEOUT_SECONDS', 30)),
      concurrency: Math.max(1, int(env, 'DOCUMENTS_INDEX_CONCURRENCY', 2)),
    },
  };
}
