/**
 * Token buckets in PostgreSQL, shared by every gateway replica: one
 * statement per request refills and takes from all of the request's buckets
 * atomically (row locks serialise concurrent takers). The table is UNLOGGED:
 * buckets are worthless after a crash and need no WAL.
 *
 * When PostgreSQL is unreachable the gateway keeps serving: decisions fall
 * back to per-process buckets for a few seconds before trying again, so a
 * database outage never adds a connection timeout to every request.
 */
import pg from 'pg';
import type { Logger } from '../platform/logger.js';
import { createMemoryRateLimiter, retryAfter, ALLOWED, type BucketRequest, type RateLimitDecision, type RateLimiter } from './rate-limiter.js';

const SCHEMA_DDL = `
  CREATE SCHEMA IF NOT EXISTS gateway;
  CREATE UNLOGGED TABLE IF NOT EXISTS gateway.rate_limit_buckets (
    key text PRIMARY KEY,
    tokens double precision NOT NULL,
    updated_at timestamptz NOT NULL,
    -- The request that last touched the bucket, so that ON CONFLICT can read them from EXCLUDED.
    burst double precision NOT NULL,
    per_second double precision NOT NULL,
    cost double precision NOT NULL,
    allowed boolean NOT NULL
  )`;

// level = the bucket refilled since its last update, capped at its size.
const LEVEL = `LEAST(EXCLUDED.burst, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM EXCLUDED.updated_at - b.updated_at)) * EXCLUDED.per_second)`;
const TAKE = `
  INSERT INTO gateway.rate_limit_buckets AS b (key, burst, per_second, cost, updated_at, tokens, allowed)
  SELECT key, burst, per_second, cost, clock_timestamp(),
         CASE WHEN cost <= burst THEN burst - cost ELSE burst END, cost <= burst
  FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[]) AS r(key, burst, per_second, cost)
  ORDER BY key
  ON CONFLICT (key) DO UPDATE SET
    burst = EXCLUDED.burst, per_second = EXCLUDED.per_second, cost = EXCLUDED.cost, updated_at = EXCLUDED.updated_at,
    allowed = ${LEVEL} >= EXCLUDED.cost,
    tokens = ${LEVEL} - CASE WHEN ${LEVEL} >= EXCLUDED.cost THEN EXCLUDED.cost ELSE 0 END
  RETURNING key, tokens, allowed`;

const FALLBACK_MS = 5_000;
const SWEEP_MS = 10 * 60_000;

export function createPostgresRateLimiter(databaseUrl: string, log: Logger): RateLimiter {
  // A pool of its own: short timeouts, so that a database outage is noticed at once.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 1000, query_timeout: 1000, application_name: 'bheem-gateway-rate-limit' });
  pool.on('error', () => {});
  const fallback = createMemoryRateLimiter();
  let schemaReady: Promise<unknown> | undefined;
  let fallbackUntil = 0;

  const ensureSchema = () =>
    (schemaReady ??= pool.query(SCHEMA_DDL).catch((error: { code?: string }) => {
      // Two replicas creating the table at once: the loser's error is harmless.
      if (error.code === '23505' || error.code === '42P07') return;
      schemaReady = undefined;
      throw error;
    }));

  const sweep = setInterval(() => {
    if (Date.now() < fallbackUntil) return;
    pool.query(`DELETE FROM gateway.rate_limit_buckets WHERE updated_at < now() - interval '1 hour'`).catch(() => {});
  }, SWEEP_MS);
  sweep.unref();

  return {
    async take(requests: BucketRequest[]): Promise<RateLimitDecision> {
      if (Date.now() < fallbackUntil) return fallback.takeSync(requests);
      try {
        await ensureSchema();
        const { rows } = await pool.query<{ key: string; tokens: number; allowed: boolean }>({
          name: 'gateway-rate-limit-take',
          text: TAKE,
          values: [requests.map((r) => r.key), requests.map((r) => r.burst), requests.map((r) => r.perSecond), requests.map((r) => r.cost)],
        });
        const refused = rows.find((row) => !row.allowed);
        if (!refused) return ALLOWED;
        const request = requests.find((r) => r.key === refused.key)!;
        return { allowed: false, retryAfterSeconds: retryAfter(refused.tokens, request), key: refused.key };
      } catch (error) {
        fallbackUntil = Date.now() + FALLBACK_MS;
        log.warn({ err: error }, `rate limits fall back to per-process buckets for ${FALLBACK_MS / 1000} s: PostgreSQL is unavailable`);
        return fallback.takeSync(requests);
      }
    },
    async close() {
      clearInterval(sweep);
      await fallback.close();
      await pool.end();
    },
  };
}
