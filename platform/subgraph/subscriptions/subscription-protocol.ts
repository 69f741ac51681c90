/**
 * What the gateway and a subgraph agree on beyond graphql-transport-ws, so
 * that many callers' subscriptions can share one upstream connection:
 *
 * - The connection is opened by the gateway itself: `connection_init`
 *   carries a gateway-signed service identity (`identity`) over
 *   CONNECTION_BODY, for the subgraph's name.
 * - Each `subscribe` carries its caller's gateway-signed identity in
 *   `extensions[IDENTITY_EXTENSION]`, bound to the canonical body of that
 *   subscription (query, variables, operation name).
 * - A subscription may resume: `extensions[RESUME_EXTENSION]` is the event
 *   backbone cursor of the last event the gateway received, and every `next`
 *   carries the cursor of its event in `extensions[CURSOR_EXTENSION]`.
 */
export const IDENTITY_EXTENSION = 'bheemIdentity';
export const RESUME_EXTENSION = 'bheemResumeAfter';
export const CURSOR_EXTENSION = 'bheemCursor';

/** What the connection's service identity signs. */
export const CONNECTION_BODY = 'graphql-transport-ws:connection_init';

export interface SubscribeRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** The bytes a subscription's identity is bound to. */
export function subscribeBody(request: SubscribeRequest): string {
  return JSON.stringify({ query: request.query, variables: request.variables ?? {}, operationName: request.operationName ?? null });
}
