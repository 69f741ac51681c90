/**
 * Close codes the gateway's subscription transports use, besides
 * graphql-ws's own (4400 bad request, 4401 unauthorized, 4403 forbidden,
 * 4408 init timeout, 4409 duplicate id, 4429 too many inits).
 *
 * 4401 is not "token expired": the protocol (graphql-ws PROTOCOL.md,
 * `Subscribe`) gives it to an operation sent before `connection_ack`, a
 * client's own mistake. An expired token has its own code, so that a client
 * can send its user to sign in on that one only.
 */
export const SubscriptionCloseCode = {
  /** `connection_init` carried no valid token. */
  Forbidden: 4403,
  /** An operation came before `connection_ack` (graphql-ws's own, per the protocol). */
  SubscribedBeforeAck: 4401,
  /** The token the connection was opened with has expired: sign in again (or refresh it) and reconnect. */
  TokenExpired: 4440,
  /** The client fell too far behind its events (bounded queue): it is closed, not waited for. */
  TooSlow: 4008,
  /** The gateway is shutting down: reconnect (to another replica). */
  GoingAway: 1001,
} as const;

/** extensions.code of the last event an SSE client gets when it is let go for falling behind (4008's counterpart). */
export const TOO_SLOW_ERROR_CODE = 'SUBSCRIBER_TOO_SLOW';
