/**
 * Token buckets per user and per client IP. A request takes as many tokens
 * as its operation weighs (1 plus its aliases), so aliasing a field a
 * hundred times costs what a hundred requests would. Refused requests get
 * 429 with Retry-After.
 *
 * Stores: `memory` (this process only) and `postgres` (one UPSERT per
 * request, shared by every replica; see postgres-rate-limiter.ts).
 */
export interface BucketSpec {
  /** Bucket size: the burst a client may send at once. */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

export interface BucketRequest extends BucketSpec {
  key: string;
  cost: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: seconds until enough tokens are back. */
  retryAfterSeconds: number;
  /** The bucket that refused. */
  key?: string;
}

export interface RateLimiter {
  /** Takes tokens from every bucket; refused if any bucket lacks them (a bucket that refuses is not charged). */
  take(buckets: BucketRequest[]): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

export const ALLOWED: RateLimitDecision = { allowed: true, retryAfterSeconds: 0 };

export function retryAfter(level: number, bucket: BucketRequest): number {
  if (bucket.perSecond <= 0) return 60;
  return Math.max(1, Math.ceil((Math.min(bucket.cost, bucket.burst) - level) / bucket.perSecond));
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets in this process's memory; idle full buckets are swept every minute. */
export function createMemoryRateLimiter(): RateLimiter & { takeSync(buckets: BucketRequest[]): RateLimitDecision } {
  const buckets = new Map<string, Bucket & { burst: number }>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, bucket] of buckets) if (now - bucket.at > 60_000) buckets.delete(key);
  }, 60_000);
  sweep.unref();

  const takeSync = (requests: BucketRequest[]): RateLimitDecision => {
    const now = Date.now();
    let decision = ALLOWED;
    for (const request of requests) {
      const bucket = buckets.get(request.key);
      const level = bucket ? Math.min(request.burst, bucket.tokens + ((now - bucket.at) / 1000) * request.perSecond) : request.burst;
      if (level >= request.cost) {
        buckets.set(request.key, { tokens: level - request.cost, at: now, burst: request.burst });
      } else {
        buckets.set(request.key, { tokens: level, at: now, burst: request.burst });
        if (decision.allowed) decision = { allowed: false, retryAfterSeconds: retryAfter(level, request), key: request.key };
      }
    }
    return decision;
  };
  return {
    takeSync,
    take: async (requests) => takeSync(requests),
    close: async () => clearInterval(sweep),
  };
}
