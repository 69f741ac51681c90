/**
 * Close codes the gateway's subscription transports use, besides
 * graphql-ws's own (4400 bad request, 4401 unauthorized, 4403 forbidden,
 * 4408 init timeout, 4409 duplicate id, 4429 too many inits).
 */
export const SubscriptionCloseCode = {
  /** `connection_init` carried no valid token. */
  Forbidden: 4403,
  /** The token the connection was opened with has expired: reconnect with a fresh one. */
  TokenExpired: 4401,
  /** The client fell too far behind its events (bounded queue): it is closed, not waited for. */
  TooSlow: 4008,
  /** The gateway is shutting down: reconnect (to another replica). */
  GoingAway: 1001,
} as const;

/** extensions.code of the last event an SSE client gets when it is let go for falling behind (4008's counterpart). */
export const TOO_SLOW_ERROR_CODE = 'SUBSCRIBER_TOO_SLOW';
