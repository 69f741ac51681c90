/**
 * Configuration from the environment, read once and typed. Every variable is
 * documented in README.md ("Configuration") and `.env.example`.
 *
 * With no DATABASE_URL the platform runs in *embedded mode*: an embedded
 * PostgreSQL under DATA_DIR, HS256 dev tokens, local file storage and LiveKit
 * dev keys, so that `npm start` needs nothing installed but Node.
 */
import path from 'node:path';
import { loadDocumentsConfig, type DocumentsConfig } from './config/documents-config.js';
import { bool, int, list, port, type Env } from './config/env-values.js';
import { fetchRefusesPort } from './config/fetch-bad-ports.js';
import { loadGatewayConfig, type GatewayConfig } from './config/gateway-config.js';
import { parseTrustProxy, type TrustProxySetting } from './http/client-ip.js';
import { loadMailConfig, type MailConfig } from './config/mail-config.js';
import { loadMeetConfig, type MeetConfig } from './config/meet-config.js';
import { loadOutboundConfig, type OutboundConfig } from './config/outbound-config.js';

export type { DocumentSearchConfig, DocumentsConfig, StorageBackendName } from './config/documents-config.js';
export { STORAGE_BACKEND_NAMES } from './config/documents-config.js';
export type { GatewayConfig, OperationLimitsConfig, RateLimitConfig } from './config/gateway-config.js';
export type { MailConfig } from './config/mail-config.js';
export type { MeetConfig } from './config/meet-config.js';

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
  /** Longest lifetime a user token may have, from iat (or now) to exp (AUTH_MAX_TOKEN_TTL_SECONDS, default 86400). */
  maxTokenTtlSeconds: number;
  /** The claim holding a token's scopes for @requiresScopes (AUTH_SCOPE_CLAIM, default `scope`: RFC 8693/9068). */
  scopeClaim: string;
}

export interface TracingConfig {
  /** OTLP/HTTP traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces). */
  endpoint?: string;
  serviceNamespace: string;
}

export interface PlatformConfig {
  production: boolean;
  embedded: boolean;
  databaseUrl?: string;
  /** Embedded mode, in a process `npm start` launched (EMBEDDED_DATABASE_URL, set by it): its server's URL, up or starting. */
  embeddedDatabaseUrl?: string;
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
  /**
   * Keys that were current before a rotation and are still accepted (never
   * used to sign or encrypt): INTERNAL_SIGNING_SECRET_PREVIOUS and
   * CREDENTIAL_KEY_PREVIOUS, comma-separated. README, "Operations".
   */
  previousKeys: { internalSigning: string[]; credential: string[] };
  /** Off only for local debugging: subgraphs then also accept a user's bearer token. */
  requireGatewaySignature: boolean;
  /**
   * Proxies subgraphs trust for a client's address on their plain HTTP routes (share links): the gateway, which
   * sends the client as it judged it (SUBGRAPH_TRUST_PROXY, default loopback and private ranges; see platform/http/client-ip.ts).
   */
  subgraphTrustProxy: TrustProxySetting;
  /** `url`: Moodle's wwwroot (MOODLE_URL), for links in the notifications academy writes; without it they are site-relative. */
  moodle: { schema: string; provision: boolean; url?: string };
  academy: {
    /** Mirror live classes into Moodle's calendar and notifications (ACADEMY_CONSUME_EVENTS, default on; off under tests unless set). */
    consumeEvents: boolean;
    /** Moodle notifications and mail this many minutes before a live class starts (ACADEMY_REMINDER_MINUTES, default 15; 0 = none). */
    reminderMinutes: number;
    /** How often due reminders are looked for (ACADEMY_REMINDER_POLL_SECONDS, default 30; 0 = never, the default under tests). */
    reminderPollSeconds: number;
    /** Where a live class opens, for links in notifications, mails and `mdl_event` (the web client: PUBLIC_URL + /app). */
    classUrlBase: string;
  };
  /** Outgoing mail (SMTP_URL, MAIL_FROM); no mail without SMTP_URL. */
  mail: MailConfig;
  livekit: { url: string; apiKey: string; apiSecret: string };
  meet: MeetConfig;
  /** HMAC key of the event ingestion endpoint, shared with Bheem Core's event bus (EVENT_INGEST_SECRET). */
  eventIngestSecret: string;
  /** Processed events older than this many days are pruned (EVENT_RETENTION_DAYS, default 7). */
  eventRetentionDays: number;
  /** How long a subscription trusts what it read of its caller's access (course roles) before reading it again (SUBSCRIPTION_ACCESS_RECHECK_SECONDS, default 10). */
  subscriptionAccessRecheckSeconds: number;
  documents: DocumentsConfig;
  gateway: GatewayConfig;
  /** Time bounds on receiving a request, gateway and subgraphs alike (platform/http/request-time-bounds.ts). */
  http: {
    /** Longest time an ordinary request may take to arrive, body included (HTTP_REQUEST_TIMEOUT_MS, default 300000; 0 = none). */
    requestTimeoutMs: number;
    /** Longest silence in an upload's body under /files/ (HTTP_UPLOAD_IDLE_TIMEOUT_MS, default 60000); no total bound. */
    uploadIdleTimeoutMs: number;
  };
  /** Connections to addresses users give (CalDAV, companies' storage servers): OUTBOUND_ALLOW_HOSTS, OUTBOUND_ALLOW_PRIVATE. */
  outbound: OutboundConfig;
  /** OpenTelemetry traces, exported by OTLP/HTTP; off (no spans at all) unless an endpoint is set. */
  tracing: TracingConfig;
  /** Key material (CREDENTIAL_KEY) from which the AES-256-GCM key for secrets at rest (CalDAV app passwords, companies' storage credentials) is derived. */
  credentialKey: string;
  calendar: {
    /** Background CalDAV sync of every account this often (CALENDAR_SYNC_INTERVAL_SECONDS, default 900; 0 = off, the default under tests). */
    syncIntervalSeconds: number;
    /** CalDAV syncs one process runs at once (CALENDAR_SYNC_CONCURRENCY, default 2): the background sync waits its turn. */
    syncConcurrency: number;
    /** How long a sync a user asks for (syncCalDAV) waits for a turn before it is refused (CALENDAR_SYNC_TURN_WAIT_SECONDS, default 20). */
    syncTurnWaitSeconds: number;
    /** How often due reminders are looked for and sent (CALENDAR_REMINDER_INTERVAL_SECONDS, default 30; 0 = off, the default under tests). */
    reminderIntervalSeconds: number;
    /** Mirror other domains' events into the calendar (CALENDAR_CONSUME_EVENTS, default on; off under tests unless set). */
    consumeEvents: boolean;
    /** Occurrences a series may have in its first year (CALENDAR_MAX_SERIES_OCCURRENCES_PER_YEAR, default 5000). */
    maxSeriesOccurrencesPerYear: number;
    /** Occurrences one request may expand in all (CALENDAR_MAX_OCCURRENCES_PER_REQUEST, default 20000). */
    maxOccurrencesPerRequest: number;
  };
}

export function loadConfig(env: Env = process.env): PlatformConfig {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = env.DATABASE_URL || undefined;
  const embedded = !databaseUrl;
  const dataDir = path.resolve(env.DATA_DIR ?? '.data');

  const ports = { ...DEFAULT_PORTS };
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) {
    const name = `${key.toUpperCase()}_PORT`;
    ports[key] = port(env, name, ports[key]);
  }
  const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, env[`${name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${ports[name]}/graphql`])) as Record<
    SubgraphName,
    string
  >;

  for (const name of SUBGRAPH_NAMES) {
    const given = env[`${name.toUpperCase()}_URL`];
    if (given && URL.canParse(given) && fetchRefusesPort(Number(new URL(given).port))) {
      throw new Error(`${name.toUpperCase()}_URL=${given} has a port that Node's fetch refuses to connect to (the Fetch standard's "bad ports"): choose another`);
    }
  }

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
    embeddedDatabaseUrl: (embedded && env.EMBEDDED_DATABASE_URL) || undefined,
    dataDir,
    logLevel: env.LOG_LEVEL ?? 'info',
    host: env.HOST ?? '127.0.0.1',
    seedDemoData: bool(env.SEED_DEMO_DATA, embedded),
    ports,
    subgraphUrls,
    publicUrl,
    auth: {
      mode: authMode,
      // Only dev mode signs with it: JWKS mode in production must not need one.
      devSecret: authMode === 'dev' ? secret('AUTH_DEV_SECRET', DEV_SECRETS.authDevSecret) : (env.AUTH_DEV_SECRET ?? ''),
      jwksUrl: env.AUTH_JWKS_URL,
      issuer: env.AUTH_ISSUER ?? (authMode === 'dev' ? 'bheem-passport-dev' : undefined),
      audience: env.AUTH_AUDIENCE ?? (authMode === 'dev' ? 'bheem-federation' : undefined),
      maxTokenTtlSeconds: int(env, 'AUTH_MAX_TOKEN_TTL_SECONDS', 86_400),
      scopeClaim: env.AUTH_SCOPE_CLAIM || 'scope',
    },
    internalSigningSecret: secret('INTERNAL_SIGNING_SECRET', DEV_SECRETS.internalSigningSecret),
    previousKeys: { internalSigning: list(env.INTERNAL_SIGNING_SECRET_PREVIOUS), credential: list(env.CREDENTIAL_KEY_PREVIOUS) },
    requireGatewaySignature: bool(env.REQUIRE_GATEWAY_SIGNATURE, true),
    subgraphTrustProxy: parseTrustProxy(env.SUBGRAPH_TRUST_PROXY, 'SUBGRAPH_TRUST_PROXY', ['loopback', 'uniquelocal']),
    moodle: {
      schema: env.MOODLE_SCHEMA ?? (embedded ? 'moodle' : 'public'),
      provision: bool(env.MOODLE_PROVISION, embedded),
      url: env.MOODLE_URL ? env.MOODLE_URL.replace(/\/$/, '') : undefined,
    },
    academy: {
      consumeEvents: bool(env.ACADEMY_CONSUME_EVENTS, true),
      reminderMinutes: int(env, 'ACADEMY_REMINDER_MINUTES', 15),
      reminderPollSeconds: int(env, 'ACADEMY_REMINDER_POLL_SECONDS', 30),
      classUrlBase: `${publicUrl}/app`,
    },
    mail: loadMailConfig(env),
    livekit: {
      url: livekitUrl,
      apiKey: secret('LIVEKIT_API_KEY', DEV_SECRETS.livekitApiKey),
      apiSecret: secret('LIVEKIT_API_SECRET', DEV_SECRETS.livekitApiSecret),
    },
    meet: loadMeetConfig(env, dataDir, publicUrl, livekitUrl),
    eventIngestSecret: secret('EVENT_INGEST_SECRET', DEV_SECRETS.eventIngestSecret),
    eventRetentionDays: int(env, 'EVENT_RETENTION_DAYS', 7),
    subscriptionAccessRecheckSeconds: int(env, 'SUBSCRIPTION_ACCESS_RECHECK_SECONDS', 10),
    documents: loadDocumentsConfig(env, dataDir, secret('DOCUMENTS_URL_SECRET', DEV_SECRETS.documentsUrlSecret)),
    gateway: loadGatewayConfig(env, production, SUBGRAPH_NAMES),
    http: {
      requestTimeoutMs: int(env, 'HTTP_REQUEST_TIMEOUT_MS', 300_000),
      uploadIdleTimeoutMs: int(env, 'HTTP_UPLOAD_IDLE_TIMEOUT_MS', 60_000),
    },
    outbound: loadOutboundConfig(env, production),
    // CALENDAR_CREDENTIAL_KEY is the older name, from when only CalDAV passwords were stored.
    credentialKey: env.CALENDAR_CREDENTIAL_KEY && !env.CREDENTIAL_KEY ? env.CALENDAR_CREDENTIAL_KEY : secret('CREDENTIAL_KEY', DEV_SECRETS.credentialKey),
    calendar: {
      syncIntervalSeconds: int(env, 'CALENDAR_SYNC_INTERVAL_SECONDS', 900),
      syncConcurrency: Math.max(1, int(env, 'CALENDAR_SYNC_CONCURRENCY', 2)),
      syncTurnWaitSeconds: int(env, 'CALENDAR_SYNC_TURN_WAIT_SECONDS', 20),
      reminderIntervalSeconds: int(env, 'CALENDAR_REMINDER_INTERVAL_SECONDS', 30),
      consumeEvents: bool(env.CALENDAR_CONSUME_EVENTS, true),
      maxSeriesOccurrencesPerYear: int(env, 'CALENDAR_MAX_SERIES_OCCURRENCES_PER_YEAR', 5000),
      maxOccurrencesPerRequest: int(env, 'CALENDAR_MAX_OCCURRENCES_PER_REQUEST', 20_000),
    },
    tracing: {
      endpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : undefined),
      serviceNamespace: env.OTEL_SERVICE_NAMESPACE ?? 'bheem-federation',
    },
  };
}
