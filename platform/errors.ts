/**
 * The platform's error vocabulary. Every error a client can see carries a
 * stable `extensions.code` and, over HTTP, the status that goes with it.
 */
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  UNAVAILABLE: 'UNAVAILABLE',
  /** The outbound-connection policy refused a user-given address (platform/http/egress-policy.ts). */
  OUTBOUND_REFUSED: 'OUTBOUND_REFUSED',
  /** A user-given server could not be used; one wording whatever the reason, so answers cannot map a network. */
  REMOTE_UNREACHABLE: 'REMOTE_UNREACHABLE',
  /** A live class action needs the user connected to the class's room (LiveKit does not list them there). */
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  /**
   * A change recorded and enforced, whose outside side (LiveKit) did not confirm it: its answer was lost, so it may
   * or may not have been carried out yet; the platform carries it out later (HTTP 202).
   */
  UNCONFIRMED: 'UNCONFIRMED',
  /** Approved leave whose last day is over: taken, a record of what happened, not cancellable. */
  LEAVE_ENDED: 'LEAVE_ENDED',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  OUTBOUND_REFUSED: 400,
  REMOTE_UNREACHABLE: 400,
  NOT_IN_ROOM: 409,
  UNCONFIRMED: 202,
  LEAVE_ENDED: 409,
  INTERNAL_SERVER_ERROR: 500,
};

export function platformError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra, http: { status: HTTP_STATUS[code] } } });
}

export const unauthenticated = (message = 'Authentication required: send a valid Bearer token') => platformError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You are not allowed to do this') => platformError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string, id: string) => platformError(ErrorCode.NOT_FOUND, `${what} ${id} was not found`);
export const badInput = (message: string, field?: string) => platformError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const conflict = (message: string) => platformError(ErrorCode.CONFLICT, message);
export const unavailable = (message: string, extra: Record<string, unknown> = {}) => platformError(ErrorCode.UNAVAILABLE, message, extra);

export function httpStatusOf(code: string | undefined): number {
  return (code && HTTP_STATUS[code as ErrorCode]) || 500;
}
