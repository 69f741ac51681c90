/**
 * The caller: a verified Passport token (cached until it expires, see
 * cached-token-verifier.ts). A failed attempt still costs the client's IP
 * bucket a token, so guessing tokens is rate limited too.
 */
import type { UserTokenVerifier } from '../../platform/auth/user-token.js';
import type { Viewer } from '../../platform/auth/viewer.js';
import type { RateLimitConfig } from '../../platform/config.js';
import type { RateLimiter } from '../rate-limiter.js';
import { refusal, type EdgeRequest, type Step } from './edge-request.js';

const CHALLENGE = { 'www-authenticate': 'Bearer' };

/** Who a request without a token is in anonymous mode (GATEWAY_ANONYMOUS, conformance runs, never production): no company, no role. */
export const ANONYMOUS_VIEWER: Viewer = Object.freeze({ userId: 'anonymous', companyId: 'anonymous', roles: [] });

export function authStep(verifyUserToken: UserTokenVerifier, rateLimiter: RateLimiter | undefined, rateLimit: RateLimitConfig, anonymous = false): Step {
  return async (request: EdgeRequest) => {
    try {
      if (!request.token && !anonymous) throw new Error('Authentication required: send a valid Bearer token');
      request.viewer = request.token ? await verifyUserToken(request.token) : ANONYMOUS_VIEWER;
      return undefined;
    } catch (error) {
      await rateLimiter?.take([{ key: `ip:${request.clientIp}`, ...rateLimit.ip, cost: 1 }]);
      return refusal(401, 'UNAUTHENTICATED', (error as Error).message, CHALLENGE);
    }
  };
}
