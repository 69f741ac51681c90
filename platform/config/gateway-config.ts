/** The gateway's settings (GATEWAY_*): operation limits, rate limits, HTTP hardening. */
import { parseTrustProxy, type TrustProxySetting } from '../http/client-ip.js';
import { bool, type Env, int, reachablePort } from './env-values.js';

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
  /** @policy policies granted from token claims, JSON of policy name -> { claim: value or [values] } (GATEWAY_POLICIES_FILE; unset: none granted). */
  policiesFile?: string;
  /** Per subgraph call, headers to body (GATEWAY_SUBGRAPH_TIMEOUT_MS, default 10000). */
  subgraphTimeoutMs: number;
  /** Keep-alive sockets per subgraph (GATEWAY_SUBGRAPH_CONNECTIONS, default 64). */
  subgraphConnections: number;
  /** Operations of several subgraph fetches running at once; more wait in arrival order (GATEWAY_CONCURRENT_PLANS, default 16; 0: no bound). */
  concurrentPlans: number;
  /** How long shutdown waits for in-flight requests (GATEWAY_SHUTDOWN_GRACE_MS, default 10000). */
  shutdownGraceMs: number;
  /** Proxies in front of the gateway: false, a hop count, or addresses/CIDRs (GATEWAY_TRUST_PROXY, default false); see platform/http/client-ip.ts. */
  trustProxy: TrustProxySetting;
  /** Largest answer of one operation, in bytes (GATEWAY_MAX_RESPONSE_BYTES, default 10 MB); also the most read from a subgraph per fetch. */
  maxResponseBytes: number;
  /** Longest a request to /graphql may run, subgraph fetches included (GATEWAY_REQUEST_TIMEOUT_MS, default 15000). */
  requestTimeoutMs: number;
  /** Operations that may wait for admission (GATEWAY_MAX_QUEUED_PLANS, default 256; 0: no bound); past it, SERVER_BUSY. */
  maxQueuedPlans: number;
  /** Idle time allowed to a forwarded request (/files, webhooks...) before it is cut (GATEWAY_FORWARD_TIMEOUT_MS, default 30000). */
  forwardTimeoutMs: number;
  /** graphql-ws: how often each client is pinged (GATEWAY_WS_PING_INTERVAL_MS, default 30000; 0: never). */
  wsPingIntervalMs: number;
  /** graphql-ws: how long a ping may go unanswered before the socket is dropped (GATEWAY_WS_PONG_TIMEOUT_MS, default 10000). */
  wsPongTimeoutMs: number;
  /** SSE: how often a comment line is written to each stream (GATEWAY_SSE_PING_INTERVAL_MS, default 12000). */
  ssePingIntervalMs: number;
  /** SSE: how long written bytes may wait unsent, the client reading nothing, before it counts as gone (GATEWAY_SSE_STALL_TIMEOUT_MS, default 30000). */
  sseStallTimeoutMs: number;
  /** Subscriptions open at once on one graphql-ws connection (GATEWAY_MAX_SUBSCRIPTIONS_PER_CONNECTION, default 50; 0: no cap). */
  maxSubscriptionsPerConnection: number;
  /** Subscriptions open at once per user, over every transport (GATEWAY_MAX_SUBSCRIPTIONS_PER_USER, default 200; 0: no cap). */
  maxSubscriptionsPerUser: number;
  /**
   * Where /metrics is served: `public` (the gateway's port), `off`, or a port of its own
   * (GATEWAY_METRICS_PORT; default: the public port outside production, none in production).
   */
  metricsPort: number | 'public' | 'off';
  /** A bearer token /metrics requires wherever it is served (GATEWAY_METRICS_TOKEN). */
  metricsToken?: string;
  /** The supergraph served, reloaded when it changes (GATEWAY_SUPERGRAPH_FILE); unset: the platform's schema/supergraph.graphql. */
  supergraphFile?: string;
  /**
   * Subgraph URLs set in the environment, by the subgraph's name in the form of an environment variable
   * (upper case, anything but letters and digits as `_`): GATEWAY_SUBGRAPH_URL_<NAME>, or <NAME>_URL for the
   * platform's own subgraphs. They override the URL the supergraph's join__Graph gives (see gateway/supergraph/).
   */
  subgraphUrls: Record<string, string>;
  /** No token asked: requests run with no identity (GATEWAY_ANONYMOUS, for federation conformance runs; refused in production). */
  anonymous: boolean;
  /** GraphiQL at / and at GET /graphql for browsers (GATEWAY_EXPLORER, default off in production). */
  explorer: boolean;
  /** The reference web client (web/dist) at /app/ (GATEWAY_WEB_APP, default off in production). */
  webApp: boolean;
  /**
   * Where `npm start` says it is building web/dist (GATEWAY_WEB_BUILD_STATUS_FILE, set by the start for the
   * gateway it launches while a build runs): the pages answer "still building" until it ends. Unset (production,
   * a start that built nothing): never read.
   */
  webBuildStatusFile?: string;
}

function metricsPort(value: string | undefined, production: boolean): GatewayConfig['metricsPort'] {
  if (value === undefined || value === '') return production ? 'off' : 'public';
  if (value === 'public' || value === 'off') return value;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`GATEWAY_METRICS_PORT must be a port, "public" or "off", got "${value}"`);
  return reachablePort('GATEWAY_METRICS_PORT', port);
}

/** A subgraph's name as it appears in an environment variable's name. */
export const envName = (subgraph: string) => subgraph.toUpperCase().replace(/[^A-Z0-9]/g, '_');

const URL_PREFIX = 'GATEWAY_SUBGRAPH_URL_';

/** GATEWAY_SUBGRAPH_URL_<NAME> for any name, and <NAME>_URL for the platform's (the older form, still honoured). */
function subgraphUrlsFrom(env: Env, platformSubgraphs: readonly string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const name of platformSubgraphs) {
    const value = env[`${envName(name)}_URL`];
    if (value) urls[envName(name)] = value;
  }
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(URL_PREFIX) && key.length > URL_PREFIX.length && value) urls[key.slice(URL_PREFIX.length)] = value;
  }
  return urls;
}

export function loadGatewayConfig(env: Env, production: boolean, platformSubgraphs: readonly string[] = []): GatewayConfig {
  const store = (env.GATEWAY_RATE_LIMIT_STORE ?? 'postgres') as RateLimitConfig['store'];
  if (!['postgres', 'memory', 'off'].includes(store)) throw new Error(`GATEWAY_RATE_LIMIT_STORE must be postgres, memory or off, got "${store}"`);
  const anonymous = bool(env.GATEWAY_ANONYMOUS, false);
  if (anonymous && production) throw new Error('GATEWAY_ANONYMOUS=true is refused when NODE_ENV=production');
  return {
    limits: {
      maxQueryBytes: int(env, 'GATEWAY_MAX_QUERY_BYTES', 64 * 1024),
      maxTokens: int(env, 'GATEWAY_MAX_TOKENS', 4000),
      maxDepth: int(env, 'GATEWAY_MAX_DEPTH', 12),
      maxAliases: int(env, 'GATEWAY_MAX_ALIASES', 30),
      maxRootFields: int(env, 'GATEWAY_MAX_ROOT_FIELDS', 20),
      maxDirectives: int(env, 'GATEWAY_MAX_DIRECTIVES', 30),
      maxCost: int(env, 'GATEWAY_MAX_COST', 5000),
      maxRecursiveSelections: int(env, 'GATEWAY_MAX_RECURSIVE_SELECTIONS', 5000),
      maxListLength: int(env, 'GATEWAY_MAX_LIST_LENGTH', 100),
    },
    rateLimit: {
      store,
      user: { burst: int(env, 'GATEWAY_RATE_LIMIT_USER_BURST', 300), perSecond: int(env, 'GATEWAY_RATE_LIMIT_USER_PER_SECOND', 30) },
      ip: { burst: int(env, 'GATEWAY_RATE_LIMIT_IP_BURST', 600), perSecond: int(env, 'GATEWAY_RATE_LIMIT_IP_PER_SECOND', 60) },
    },
    maxBodyBytes: int(env, 'GATEWAY_MAX_BODY_BYTES', 1_000_000),
    introspection: bool(env.GATEWAY_INTROSPECTION, !production),
    fieldSuggestions: bool(env.GATEWAY_FIELD_SUGGESTIONS, !production),
    corsOrigins: (env.GATEWAY_CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim().replace(/\/$/, ''))
      .filter(Boolean),
    safelistFile: env.GATEWAY_SAFELIST_FILE || undefined,
    policiesFile: env.GATEWAY_POLICIES_FILE || undefined,
    subgraphTimeoutMs: int(env, 'GATEWAY_SUBGRAPH_TIMEOUT_MS', 10_000),
    subgraphConnections: int(env, 'GATEWAY_SUBGRAPH_CONNECTIONS', 64),
    concurrentPlans: int(env, 'GATEWAY_CONCURRENT_PLANS', 16),
    shutdownGraceMs: int(env, 'GATEWAY_SHUTDOWN_GRACE_MS', 10_000),
    trustProxy: parseTrustProxy(env.GATEWAY_TRUST_PROXY, 'GATEWAY_TRUST_PROXY', false),
    maxResponseBytes: int(env, 'GATEWAY_MAX_RESPONSE_BYTES', 10_000_000),
    requestTimeoutMs: int(env, 'GATEWAY_REQUEST_TIMEOUT_MS', 15_000),
    maxQueuedPlans: int(env, 'GATEWAY_MAX_QUEUED_PLANS', 256),
    forwardTimeoutMs: int(env, 'GATEWAY_FORWARD_TIMEOUT_MS', 30_000),
    wsPingIntervalMs: int(env, 'GATEWAY_WS_PING_INTERVAL_MS', 30_000),
    wsPongTimeoutMs: int(env, 'GATEWAY_WS_PONG_TIMEOUT_MS', 10_000),
    ssePingIntervalMs: int(env, 'GATEWAY_SSE_PING_INTERVAL_MS', 12_000),
    sseStallTimeoutMs: int(env, 'GATEWAY_SSE_STALL_TIMEOUT_MS', 30_000),
    maxSubscriptionsPerConnection: int(env, 'GATEWAY_MAX_SUBSCRIPTIONS_PER_CONNECTION', 50),
    maxSubscriptionsPerUser: int(env, 'GATEWAY_MAX_SUBSCRIPTIONS_PER_USER', 200),
    metricsPort: metricsPort(env.GATEWAY_METRICS_PORT, production),
    metricsToken: env.GATEWAY_METRICS_TOKEN || undefined,
    supergraphFile: env.GATEWAY_SUPERGRAPH_FILE || undefined,
    subgraphUrls: subgraphUrlsFrom(env, platformSubgraphs),
    anonymous,
    explorer: bool(env.GATEWAY_EXPLORER, !production),
    webApp: bool(env.GATEWAY_WEB_APP, !production),
    webBuildStatusFile: env.GATEWAY_WEB_BUILD_STATUS_FILE || undefined,
  };
}
