/**
 * Errors leave the service with a stable code. Anything that is not one of
 * ours (a bug, a driver error) is logged in full and shown as an internal
 * error, so SQL or stack details never reach clients.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from '../logger.js';

const CLIENT_SAFE_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'SUBGRAPH_UNAVAILABLE',
  'PAYLOAD_TOO_LARGE',
  // The gateway's planner found no plan over its supergraph (gateway/planning/), or its executor does not run it.
  'QUERY_PLANNING_FAILED',
  'OPERATION_NOT_SUPPORTED',
  // A field the caller may not ask, removed before planning (@authenticated, @requiresScopes: gateway/planning/authorization-filter.ts).
  'UNAUTHORIZED_FIELD_OR_TYPE',
  // The gateway's bounds (gateway/pipeline/): time, size, room in the admission queue, a caller gone.
  'GATEWAY_TIMEOUT',
  'CLIENT_CLOSED_REQUEST',
  'REQUEST_CANCELLED',
  'RESPONSE_TOO_LARGE',
  'SERVER_BUSY',
  // The outbound policy (platform/http/egress-policy.ts).
  'OUTBOUND_REFUSED',
  'REMOTE_UNREACHABLE',
  // Live class moderation (meet): the user is not connected to the class's room.
  'NOT_IN_ROOM',
  // A change recorded and enforced whose outside side (LiveKit) did not confirm it (meet's removal of a student).
  'UNCONFIRMED',
  // Leave (erp): approved leave that is over is not cancelled.
  'LEAVE_ENDED',
]);

const CONTEXT_FAILURE_PREFIX = 'Context creation failed: ';

/**
 * PostgreSQL errors a client's text causes, not a bug: a NUL byte
 * (22021 character_not_in_repertoire, "invalid byte sequence for encoding
 * UTF8") or a character the database encoding lacks (22P05). The gateway
 * refuses such text first; this covers every other way in.
 */
const INPUT_SQLSTATES = new Set(['22021', '22P05']);

function isInputEncodingError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && INPUT_SQLSTATES.has(code);
}

export function formatError(formatted: GraphQLFormattedError, error: unknown, log: Logger): GraphQLFormattedError {
  // Apollo prefixes errors thrown while building the context (our auth checks); the prefix tells a client nothing.
  if (formatted.message.startsWith(CONTEXT_FAILURE_PREFIX)) {
    formatted = { ...formatted, message: formatted.message.slice(CONTEXT_FAILURE_PREFIX.length) };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && CLIENT_SAFE_CODES.has(code)) return formatted;
  const original = unwrapResolverError(error);
  if (original instanceof GraphQLError && original.extensions?.code && CLIENT_SAFE_CODES.has(String(original.extensions.code))) {
    return formatted;
  }
  if (isInputEncodingError(original)) {
    return {
      message: 'Text contains characters that cannot be stored (a NUL or an invalid character)',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'BAD_USER_INPUT' },
    };
  }
  const serviceName = formatted.extensions?.serviceName;
  log.error({ err: original, path: formatted.path, serviceName }, 'unexpected error');
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    // Which subgraph failed is safe to say, and it is what an operator needs first.
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(serviceName !== undefined && { serviceName }) },
  };
}
