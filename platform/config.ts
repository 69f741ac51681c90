/**
 * Configuration from the environment, read once and typed. Every variable is
 * documented in README.md ("Configuration") and `.env.example`.
 *
 * With no DATABASE_URL the platform runs in *embedded mode*: an embedded
 * PostgreSQL under DATA_DIR, HS256 dev tokens, local file storage and LiveKit
 * dev keys, so that `npm start` needs nothing installed but Node.
 */
import path from 'node:path';

export const SUBGRAPH_NAMES = ['academy', 'erp', 'meet', 'calendar', 'documents'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  academy: 4001,
  erp: 4002,
  meet: 4003,
  calendar: 4004,
  documents: 4005,
};

/** Secrets that are public on purpose: they only ever sign dev tokens on a laptop. */
const DEV_SECRETS = {
  authDevSecret: 'bheem-dev-passport-secret-do-not-use-in-production',
  internalSigningSecret: 'bheem-dev-gateway-secret-do-not-use-in-production',
  livekitApiKey: 'devkey',
  livekitApiSecret: 'secret',
  documentsUrlSecret: 'bheem-dev-documents-url-secret-do-not-use-in-production',
  credentialKey: 'bheem-dev-calendar-credential-key-do-not-use-in-production',
  eventIngestSecret: 'bheem-dev-event-ingest-secret-do-not-use-in-production',
};

export interface AuthConfig {
  /** `dev`: HS256 with a shared secret. `jwks`: RS256/ES256 against a JWKS URL. */
  mode: 'dev' | 'jwks';
  devSecret: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

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
  /** Days a deleted document stays in the trash before it is purged (DOCUMENTS_TRASH_RETENTION_DAYS, default 30). */
  trashRetentionDays: number;
  /** Period of the cleanup jobs (DOCUMENTS_JOB_INTERVAL_SECONDS, default 600; 0 turns them off). */
  jobIntervalSeconds: number;
  /** Nextcloud or any WebDAV server (DOCUMENTS_WEBDAV_URL, _USERNAME, _PASSWORD, _ROOT). */
  webdav?: { url: string; username?: string; password?: string; root: string };
  /** S3 or MinIO (DOCUMENTS_S3_BUCKET, _ENDPOINT, _REGION, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY, _FORCE_PATH_STYLE). */
  s3?: { bucket: string; endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
}

export interface PlatformConfig {
  production: boolean;
  embedded: boolean;
  databaseUrl?: string;
  dataDir: string;
  logLevel: string;
  /** Interface services listen on: loopback by default, 0.0.0.0 in containers. */
  host: string;
  /** Demo data on an empty database (default: embedded mode only). */
  seedDemoData: boolean;
  ports: Record<SubgraphName | 'gateway', number>;
  subgraphUrls: Record<SubgraphName, string>;
  publicUrl: string;
  auth: AuthConfig;
  /** HMAC key the gateway signs forwarded identities with (subgraphs verify). */
  internalSigningSecret: string;
  /** Off only for local debugging: subgraphs then also accept a user's bearer token. */
  requireGatewaySignature: boolean;
  /** `url`: Moodle's wwwroot (MOODLE_URL), for links in the notifications academy writes; without it they are site-relative. */
  moodle: { schema: string; provision: boolean; url?: string };
  academy: {
    /** Mirror live classes into Moodle's calendar and notifications (ACADEMY_CONSUME_EVENTS, default on; off under tests unless set). */
    consumeEvents: boolean;
  };
  livekit: { url: string; apiKey: string; apiSecret: string };
  meet: MeetConfig;
  /** HMAC key of the event ingestion endpoint, shared with Bheem Core's event bus (EVENT_INGEST_SECRET). */
  eventIngestSecret: string;
  /** Processed events older than this many days are pruned (EVENT_RETENTION_DAYS, default 7). */
  eventRetentionDays: number;
  documents: DocumentsConfig;
  gateway: GatewayConfig;
  /** OpenTelemetry traces, exported by OTLP/HTTP; off (no spans at all) unless an endpoint is set. */
  tracing: TracingConfig;
  /** Key material (CREDENTIAL_KEY) from which the AES-256-GCM key for secrets at rest (CalDAV app passwords, companies' storage credentials) is derived. */
  credentialKey: string;
  calendar: {
    /** Background CalDAV sync of every account this often (CALENDAR_SYNC_INTERVAL_SECONDS, default 900; 0 = off, the default under tests). */
    syncIntervalSeconds: number;
    /** Mirror other domains' events into the calendar (CALENDAR_CONSUME_EVENTS, default on; off under tests unless set). */
    consumeEvents: boolean;
  };
}

type Env = Record<string, string | undefined>;

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return parsed;
}

export function loadConfig(env: Env = process.env): PlatformConfig {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  const embedded = !databaseUrl;
  const dataDir = path.resolve(env.DATA_DIR ?? '.data');

  const ports = { ...DEFAULT_PORTS };
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) {
    const name = `${key.toUpperCase()}_PORT`;
    ports[key] = int(name, env[name], ports[key]);
  }
  const subgraphUrls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      env[`${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${ports[name]}/graphql`,
    ]),
  ) as Record<SubgraphName, string>;

  const secret = (name: string, devValue: string): string => {
    const value = env[name];
    if (value) return value;
    if (production) throw new Error(`${name} must be set when NODE_ENV=production`);
    return devValue;
  };

  const authMode = (env.AUTH_MODE ?? (env.AUTH_JWKS_URL ? 'jwks' : 'dev')) as AuthConfig['mode'];
  if (authMode !== 'dev' && authMode !== 'jwks') throw new Error(`AUTH_MODE must be "dev" or "jwks", got "${authMode}"`);
  if (authMode === 'dev' && production) throw new Error('AUTH_MODE=dev is refused when NODE_ENV=production');
  if (authMode === 'jwks' && !env.AUTH_JWKS_URL) throw new Error('AUTH_MODE=jwks needs AUTH_JWKS_URL');

  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${ports.gateway}`).replace(/\/$/, '');
  const livekitUrl = env.LIVEKIT_URL ?? 'ws://localhost:7880';
  return {
    production,
    embedded,
    databaseUrl,
    dataDir,
    logLevel: env.LOG_LEVEL ?? (env.VITEST ? 'silent' : 'info'),
    host: env.HOST ?? '127.0.0.1',
    seedDemoData: bool(env.SEED_DEMO_DATA, embedded),
    ports,
    subgraphUrls,
    publicUrl,
    auth: {
      mode: authMode,
      devSecret: secret('AUTH_DEV_SECRET', DEV_SECRETS.authDevSecret),
      jwksUrl: env.AUTH_JWKS_URL,
      issuer: env.AUTH_ISSUER ?? (authMode === 'dev' ? 'bheem-passport-dev' : undefined),
      audience: env.AUTH_AUDIENCE ?? (authMode === 'dev' ? 'bheem-federation' : undefined),
    },
    internalSigningSecret: secret('INTERNAL_SIGNING_SECRET', DEV_SECRETS.internalSigningSecret),
    requireGatewaySignature: bool(env.REQUIRE_GATEWAY_SIGNATURE, true),
    moodle: {
      schema: env.MOODLE_SCHEMA ?? (embedded ? 'moodle' : 'public'),
      provision: bool(env.MOODLE_PROVISION, embedded),
      url: env.MOODLE_URL ? env.MOODLE_URL.replace(/\/$/, '') : undefined,
    },
    academy: {
      consumeEvents: bool(env.ACADEMY_CONSUME_EVENTS, !env.VITEST),
    },
    livekit: {
      url: livekitUrl,
      apiKey: secret('LIVEKIT_API_KEY', DEV_SECRETS.livekitApiKey),
      apiSecret: secret('LIVEKIT_API_SECRET', DEV_SECRETS.livekitApiSecret),
    },
    meet: loadMeetConfig(env, dataDir, publicUrl, livekitUrl),
    eventIngestSecret: secret('EVENT_INGEST_SECRET', DEV_SECRETS.eventIngestSecret),
    eventRetentionDays: int('EVENT_RETENTION_DAYS', env.EVENT_RETENTION_DAYS, 7),
    documents: loadDocumentsConfig(env, dataDir, secret('DOCUMENTS_URL_SECRET', DEV_SECRETS.documentsUrlSecret)),
    gateway: loadGatewayConfig(env, production),
    // CALENDAR_CREDENTIAL_KEY is the older name, from when only CalDAV passwords were stored.
    credentialKey: env.CALENDAR_CREDENTIAL_KEY && !env.CREDENTIAL_KEY ? env.CALENDAR_CREDENTIAL_KEY : secret('CREDENTIAL_KEY', DEV_SECRETS.credentialKey),
    calendar: {
      syncIntervalSeconds: int('CALENDAR_SYNC_INTERVAL_SECONDS', env.CALENDAR_SYNC_INTERVAL_SECONDS, env.VITEST ? 0 : 900),
      consumeEvents: bool(env.CALENDAR_CONSUME_EVENTS, !env.VITEST),
    },
    tracing: {
      endpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : undefined),
      serviceNamespace: env.OTEL_SERVICE_NAMESPACE ?? 'bheem-federation',
    },
  };
}

function loadDocumentsConfig(env: Env, dataDir: string, urlSigningSecret: string): DocumentsConfig {
  const defaultBackend = (env.DOCUMENTS_STORAGE_BACKEND ?? 'local') as StorageBackendName;
  if (!STORAGE_BACKEND_NAMES.includes(defaultBackend)) {
    throw new Error(`DOCUMENTS_STORAGE_BACKEND must be one of ${STORAGE_BACKEND_NAMES.join(', ')}, got "${defaultBackend}"`);
  }
  return {
    storageDir: path.resolve(env.DOCUMENTS_STORAGE_DIR || path.join(dataDir, 'files')),
    urlSigningSecret,
    defaultBackend,
    maxUploadBytes: int('DOCUMENTS_MAX_UPLOAD_BYTES', env.DOCUMENTS_MAX_UPLOAD_BYTES, 1024 ** 3),
    urlTtlSeconds: int('DOCUMENTS_URL_TTL_SECONDS', env.DOCUMENTS_URL_TTL_SECONDS, 900),
    uploadTtlSeconds: int('DOCUMENTS_UPLOAD_TTL_SECONDS', env.DOCUMENTS_UPLOAD_TTL_SECONDS, 3600),
    trashRetentionDays: int('DOCUMENTS_TRASH_RETENTION_DAYS', env.DOCUMENTS_TRASH_RETENTION_DAYS, 30),
    jobIntervalSeconds: int('DOCUMENTS_JOB_INTERVAL_SECONDS', env.DOCUMENTS_JOB_INTERVAL_SECONDS, 600),
    webdav: env.DOCUMENTS_WEBDAV_URL
      ? { url: env.DOCUMENTS_WEBDAV_URL, username: env.DOCUMENTS_WEBDAV_USERNAME, password: env.DOCUMENTS_WEBDAV_PASSWORD, root: env.DOCUMENTS_WEBDAV_ROOT ?? '/bheem-documents' }
      : undefined,
    s3: env.DOCUMENTS_S3_BUCKET
      ? {
          bucket: env.DOCUMENTS_S3_BUCKET,
          endpoint: env.DOCUMENTS_S3_ENDPOINT,
          region: env.DOCUMENTS_S3_REGION ?? 'us-east-1',
          accessKeyId: env.DOCUMENTS_S3_ACCESS_KEY_ID,
          secretAccessKey: env.DOCUMENTS_S3_SECRET_ACCESS_KEY,
          // MinIO and other self-hosted servers want path-style addressing.
          forcePathStyle: bool(env.DOCUMENTS_S3_FORCE_PATH_STYLE, !!env.DOCUMENTS_S3_ENDPOINT),
        }
      : undefined,
  };
}

/**
 * Meet's knobs (LiveKit's URL and keys are `livekit` above). Variables added
 * with S3 recordings and rooms opened ahead of time:
 *   MEET_RECORDINGS_STORAGE       local | s3 (default: s3 when MEET_S3_BUCKET is set, else local)
 *   MEET_S3_BUCKET, MEET_S3_ENDPOINT, MEET_S3_REGION (default us-east-1),
 *   MEET_S3_ACCESS_KEY_ID, MEET_S3_SECRET_ACCESS_KEY,
 *   MEET_S3_FORCE_PATH_STYLE      (default: on when MEET_S3_ENDPOINT is set)
 *   MEET_ROOM_OPEN_INTERVAL_SECONDS  period of the job opening rooms (default 30; 0 = off, the default under tests)
 */
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
  /** Webhooks created longer ago are refused as replays. MEET_WEBHOOK_MAX_AGE_SECONDS, default 300. */
  webhookMaxAgeSeconds: number;
  /** Where egress writes recordings: its local directory (shared with meet) or an S3 bucket. */
  recordingsStorage: 'local' | 's3';
  /** Local recordings' directory. MEET_RECORDINGS_DIR, default DATA_DIR/recordings. */
  recordingsDir: string;
  /** Origin of local recording download URLs (the gateway forwards /recordings/*). MEET_RECORDINGS_PUBLIC_URL, default PUBLIC_URL. */
  recordingsPublicUrl: string;
  /** Life of a recording download URL (signed route or presigned S3 GET). MEET_RECORDING_URL_TTL_SECONDS, default 900. */
  recordingUrlTtlSeconds: number;
  /** The bucket egress uploads to and meet presigns from (MEET_S3_*). */
  s3?: { bucket: string; endpoint?: string; region: string; accessKeyId?: string; secretAccessKey?: string; forcePathStyle: boolean };
}

function loadMeetConfig(env: Env, dataDir: string, publicUrl: string, livekitUrl: string): MeetConfig {
  const n = (name: string, fallback: number) => int(name, env[name], fallback);
  const recordingsStorage = (env.MEET_RECORDINGS_STORAGE || (env.MEET_S3_BUCKET ? 's3' : 'local')) as MeetConfig['recordingsStorage'];
  if (recordingsStorage !== 'local' && recordingsStorage !== 's3') throw new Error(`MEET_RECORDINGS_STORAGE must be local or s3, got "${recordingsStorage}"`);
  if (recordingsStorage === 's3' && !env.MEET_S3_BUCKET) throw new Error('MEET_RECORDINGS_STORAGE=s3 needs MEET_S3_BUCKET');
  return {
    livekitApiUrl: (env.MEET_LIVEKIT_API_URL || livekitUrl).replace(/^ws(s?):/, 'http$1:'),
    joinWindowMinutes: n('MEET_JOIN_WINDOW_MINUTES', 15),
    teacherJoinWindowMinutes: n('MEET_TEACHER_JOIN_WINDOW_MINUTES', 60),
    tokenMaxTtlSeconds: n('MEET_TOKEN_MAX_TTL_SECONDS', 7200),
    tokenEndGraceMinutes: n('MEET_TOKEN_END_GRACE_MINUTES', 15),
    liveGraceMinutes: n('MEET_LIVE_GRACE_MINUTES', 30),
    roomEmptyTimeoutSeconds: n('MEET_ROOM_EMPTY_TIMEOUT_SECONDS', 600),
    roomDepartureTimeoutSeconds: n('MEET_ROOM_DEPARTURE_TIMEOUT_SECONDS', 600),
    roomMaxParticipants: n('MEET_ROOM_MAX_PARTICIPANTS', 200),
    roomOpenIntervalSeconds: n('MEET_ROOM_OPEN_INTERVAL_SECONDS', env.VITEST ? 0 : 30),
    reconcileIntervalSeconds: n('MEET_RECONCILE_INTERVAL_SECONDS', 60),
    webhookMaxAgeSeconds: n('MEET_WEBHOOK_MAX_AGE_SECONDS', 300),
    recordingsStorage,
    recordingsDir: path.resolve(env.MEET_RECORDINGS_DIR || path.join(dataDir, 'recordings')),
    recordingsPublicUrl: (env.MEET_RECORDINGS_PUBLIC_URL || publicUrl).replace(/\/$/, ''),
    recordingUrlTtlSeconds: n('MEET_RECORDING_URL_TTL_SECONDS', 900),
    s3: env.MEET_S3_BUCKET
      ? {
          bucket: env.MEET_S3_BUCKET,
          endpoint: env.MEET_S3_ENDPOINT,
          region: env.MEET_S3_REGION ?? 'us-east-1',
          accessKeyId: env.MEET_S3_ACCESS_KEY_ID,
          secretAccessKey: env.MEET_S3_SECRET_ACCESS_KEY,
          forcePathStyle: bool(env.MEET_S3_FORCE_PATH_STYLE, !!env.MEET_S3_ENDPOINT),
        }
      : undefined,
  };
}

export interface TracingConfig {
  /** OTLP/HTTP traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces). */
  endpoint?: string;
  serviceNamespace: string;
}

/** Operation limits, checked at the gateway before any parsing by Apollo (see gateway/operation-limits.ts). */
export interface OperationLimitsConfig {
  /** Longest query text, in bytes (GATEWAY_MAX_QUERY_BYTES, default 64 KiB). */
  maxQueryBytes: number;
  /** Lexical tokens per document (GATEWAY_MAX_TOKENS, default 4000). */
  maxTokens: number;
  /** Nesting of field selections (GATEWAY_MAX_DEPTH, default 12). */
  maxDepth: number;
  /** Aliased fields per operation (GATEWAY_MAX_ALIASES, default 30). */
  maxAliases: number;
  /** Fields selected on the root type (GATEWAY_MAX_ROOT_FIELDS, default 20). */
  maxRootFields: number;
  /** Directives per operation (GATEWAY_MAX_DIRECTIVES, default 30). */
  maxDirectives: number;
  /** GraphQL Armor cost (GATEWAY_MAX_COST, default 5000). */
  maxCost: number;
  /** Selections once fragments are expanded (GATEWAY_MAX_RECURSIVE_SELECTIONS, default 5000). */
  maxRecursiveSelections: number;
  /** Items in a list argument, literal or variable (GATEWAY_MAX_LIST_LENGTH, default 100). */
  maxListLength: number;
}

export interface RateLimitConfig {
  /** `postgres` (shared by all replicas), `memory` (per process) or `off` (GATEWAY_RATE_LIMIT_STORE, default postgres). */
  store: 'postgres' | 'memory' | 'off';
  /** Token bucket per user: size and refill per second (GATEWAY_RATE_LIMIT_USER_BURST 300, _USER_PER_SECOND 30). */
  user: { burst: number; perSecond: number };
  /** Token bucket per client IP (GATEWAY_RATE_LIMIT_IP_BURST 600, _IP_PER_SECOND 60). */
  ip: { burst: number; perSecond: number };
}

export interface GatewayConfig {
  limits: OperationLimitsConfig;
  rateLimit: RateLimitConfig;
  /** Largest request body (GATEWAY_MAX_BODY_BYTES, default 1 MB). */
  maxBodyBytes: number;
  /** Schema introspection (GATEWAY_INTROSPECTION, default off in production). */
  introspection: boolean;
  /** "Did you mean" hints in validation errors (GATEWAY_FIELD_SUGGESTIONS, default off in production). */
  fieldSuggestions: boolean;
  /** Origins allowed by CORS, comma-separated; empty: no CORS headers (GATEWAY_CORS_ORIGINS). */
  corsOrigins: string[];
  /** Persisted-operation manifest; when set, only its operations run (GATEWAY_SAFELIST_FILE). */
  safelistFile?: string;
  /** Per subgraph call, headers to body (GATEWAY_SUBGRAPH_TIMEOUT_MS, default 10000). */
  subgraphTimeoutMs: number;
  /** Keep-alive sockets per subgraph (GATEWAY_SUBGRAPH_CONNECTIONS, default 64). */
  subgraphConnections: number;
  /** How long shutdown waits for in-flight requests (GATEWAY_SHUTDOWN_GRACE_MS, default 10000). */
  shutdownGraceMs: number;
  /** Take the client IP from X-Forwarded-For (GATEWAY_TRUST_PROXY, default false). */
  trustProxy: boolean;
}

function loadGatewayConfig(env: Env, production: boolean): GatewayConfig {
  const n = (name: string, fallback: number) => int(name, env[name], fallback);
  const store = (env.GATEWAY_RATE_LIMIT_STORE ?? 'postgres') as RateLimitConfig['store'];
  if (!['postgres', 'memory', 'off'].includes(store)) throw new Error(`GATEWAY_RATE_LIMIT_STORE must be postgres, memory or off, got "${store}"`);
  return {
    limits: {
      maxQueryBytes: n('GATEWAY_MAX_QUERY_BYTES', 64 * 1024),
      maxTokens: n('GATEWAY_MAX_TOKENS', 4000),
      maxDepth: n('GATEWAY_MAX_DEPTH', 12),
      maxAliases: n('GATEWAY_MAX_ALIASES', 30),
      maxRootFields: n('GATEWAY_MAX_ROOT_FIELDS', 20),
      maxDirectives: n('GATEWAY_MAX_DIRECTIVES', 30),
      maxCost: n('GATEWAY_MAX_COST', 5000),
      maxRecursiveSelections: n('GATEWAY_MAX_RECURSIVE_SELECTIONS', 5000),
      maxListLength: n('GATEWAY_MAX_LIST_LENGTH', 100),
    },
    rateLimit: {
      store,
      user: { burst: n('GATEWAY_RATE_LIMIT_USER_BURST', 300), perSecond: n('GATEWAY_RATE_LIMIT_USER_PER_SECOND', 30) },
      ip: { burst: n('GATEWAY_RATE_LIMIT_IP_BURST', 600), perSecond: n('GATEWAY_RATE_LIMIT_IP_PER_SECOND', 60) },
    },
    maxBodyBytes: n('GATEWAY_MAX_BODY_BYTES', 1_000_000),
    introspection: bool(env.GATEWAY_INTROSPECTION, !production),
    fieldSuggestions: bool(env.GATEWAY_FIELD_SUGGESTIONS, !production),
    corsOrigins: (env.GATEWAY_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim().replace(/\/$/, '')).filter(Boolean),
    safelistFile: env.GATEWAY_SAFELIST_FILE || undefined,
    subgraphTimeoutMs: n('GATEWAY_SUBGRAPH_TIMEOUT_MS', 10_000),
    subgraphConnections: n('GATEWAY_SUBGRAPH_CONNECTIONS', 64),
    shutdownGraceMs: n('GATEWAY_SHUTDOWN_GRACE_MS', 10_000),
    trustProxy: bool(env.GATEWAY_TRUST_PROXY, false),
  };
}
