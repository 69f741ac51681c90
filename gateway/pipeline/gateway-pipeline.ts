/**
 * Which steps each way in runs, in order. Cheap refusals first: the
 * operation's limits (a cached verdict per text) before the token check,
 * and both before the rate-limit store is asked.
 *
 *   HTTP /graphql       safelist → operation → auth → rate limit → (fast lane | Apollo)
 *   graphql-ws init     auth (also HTTP requests that carry no operation)
 *   graphql-ws subscribe  safelist → operation → rate limit → subscription caps
 *   SSE                 safelist → operation → auth → rate limit → subscription caps
 *
 * A rule belongs in a step here, not in a transport, so that no way in
 * skips it.
 */
import type { GatewayConfig } from '../../platform/config.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { Safelist } from '../safelist.js';
import type { CachedTokenVerifier } from '../cached-token-verifier.js';
import { authStep } from './auth-step.js';
import type { Step } from './edge-request.js';
import { operationStep } from './operation-step.js';
import { rateLimitStep } from './rate-limit-step.js';
import { safelistStep } from './safelist-step.js';

export interface GatewayPipelineOptions {
  config: GatewayConfig;
  verifyUserToken: CachedTokenVerifier;
  rateLimiter?: RateLimiter;
  safelist?: Safelist;
  /** Requests without a token run as the anonymous viewer (GATEWAY_ANONYMOUS, never in production). */
  anonymous?: boolean;
  /** Steps subscriptions add after the rate limit (caps per connection and per user). */
  subscriptionSteps?: readonly Step[];
}

export interface GatewayPipeline {
  http: readonly Step[];
  /** Only who the caller is: graphql-ws connection_init, HTTP requests with no operation in them. */
  authenticate: readonly Step[];
  subscribe: readonly Step[];
  sse: readonly Step[];
}

export function createGatewayPipeline(options: GatewayPipelineOptions): GatewayPipeline {
  const { config, verifyUserToken, rateLimiter, safelist } = options;
  const present = (...steps: (Step | undefined | false)[]) => steps.filter((step): step is Step => typeof step === 'function');
  const safelisted = safelist && safelistStep(safelist);
  const operation = operationStep(config.limits);
  const auth = authStep(verifyUserToken, rateLimiter, config.rateLimit, options.anonymous);
  const rateLimit = rateLimiter && rateLimitStep(rateLimiter, config.rateLimit);
  const subscriptions = options.subscriptionSteps ?? [];
  return {
    http: present(safelisted, operation, auth, rateLimit),
    authenticate: present(auth),
    subscribe: present(safelisted, operation, rateLimit, ...subscriptions),
    sse: present(safelisted, operation, auth, rateLimit, ...subscriptions),
  };
}
