/**
 * The caller: a verified Passport token (cached until it expires, see
 * cached-token-verifier.ts). A failed attempt still costs the client's IP
 * bucket a token, so guessing tokens is rate limited too.
 */
import type { Viewer } from '../../platform/auth/viewer.js';
import type { RateLimitConfig } from '../../platform/config.js';
import type { CachedTokenVerifier } from '../cached-token-verifier.js';
import type { RateLimiter } from '../rate-limiter.js';
import { refusal, type EdgeRequest, type Step } from './edge-request.js';

const CHALLENGE = { 'www-authenticate': 'Bearer' };

/** Who a request without a token is in anonymous mode (GATEWAY_ANONYMOUS, conformance runs, never production): no company, no role. */
export const ANONYMOUS_VIEWER: Viewer = Object.freeze({ userId: 'anonymous', companyId: 'anonymous', roles: [], anonymous: true });

export function authStep(verifyUserToken: CachedTokenVerifier, rateLimiter: RateLimiter | undefined, rateLimit: RateLimitConfig, anonymous = false): Step {
  const refuse = async (request: EdgeRequest, error: unknown) => {
    await rateLimiter?.take([{ key: `ip:${request.clientIp}`, ...rateLimit.ip, cost: 1 }]);
    return refusal(401, 'UNAUTHENTICATED', (error as Error).message, CHALLENGE);
  };
  return (request: EdgeRequest) => {
    let verified: Viewer | Promise<Viewer>;
    try {
      if (!request.token && !anonymous) throw new Error('Authentication required: send a valid Bearer token');
      verified = request.token ? verifyUserToken(request.token) : ANONYMOUS_VIEWER;
    } catch (error) {
      return refuse(request, error);
    }
    // A remembered token: no promise, the next step runs at once.
    if (!(verified instanceof Promise)) {
      request.viewer = verified;
      return undefined;
    }
    return verified.then(
      (viewer) => {
        request.viewer = viewer;
        return undefined;
      },
      (error: unknown) => refuse(request, error),
    );
  };
}
