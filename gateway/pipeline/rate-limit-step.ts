/**
 * Token buckets per client IP and per user (rate-limiter.ts): a request
 * takes as many tokens as its operation weighs (operation-step.ts). The same
 * buckets serve HTTP, graphql-ws and SSE, so a client cannot move its load
 * to the transport that is not counted.
 */
import type { RateLimitConfig } from '../../platform/config.js';
import type { RateLimiter } from '../rate-limiter.js';
import { refusal, type EdgeRequest, type Step } from './edge-request.js';

export function rateLimitStep(rateLimiter: RateLimiter, rateLimit: RateLimitConfig): Step {
  return async (request: EdgeRequest) => {
    const { weight, viewer } = request;
    // An operation heavier than a whole bucket costs the whole bucket, rather than being refused forever.
    const ip = { key: `ip:${request.clientIp}`, ...rateLimit.ip, cost: Math.min(weight, rateLimit.ip.burst) };
    const decision = await rateLimiter.take(
      viewer ? [ip, { key: `user:${viewer.companyId}:${viewer.userId}`, ...rateLimit.user, cost: Math.min(weight, rateLimit.user.burst) }] : [ip],
    );
    if (decision.allowed) return undefined;
    return refusal(429, 'RATE_LIMITED', `Too many requests: retry in ${decision.retryAfterSeconds} s`, { 'retry-after': String(decision.retryAfterSeconds) });
  };
}
