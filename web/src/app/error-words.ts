/**
 * What a failed request means for the user, in words, from the API's stable
 * `extensions.code`: what happened and what to do. The API's own message is
 * written for developers (field names, internals); it is shown only where it
 * speaks to the user's input (BAD_USER_INPUT), and never when it looks like
 * JSON or a stack. Codes the gateway and subgraphs use are in README's
 * Errors section; the client's own (OFFLINE, TIMEOUT, HTTP_5xx…) in api.ts.
 */

const TRY_AGAIN = 'Try again in a moment; if it keeps happening, tell your administrator.';
const CLIENT_FAULT = 'The app sent a request the server does not accept. Reload the page (the app may have been updated) and try again.';

const WORDS: Record<string, string> = {
  UNAUTHENTICATED: 'Your session has ended. Sign in again to continue.',
  FORBIDDEN: 'You are not allowed to do this. If you think you should be, ask a teacher of the course or your administrator.',
  NOT_FOUND: 'This no longer exists, or it is not yours to see. Reload the page to see what is there now.',
  CONFLICT: 'Someone changed this at the same time. Reload the page to see the change, then try again.',
  LEAVE_ENDED: 'This leave is over: leave already taken cannot be cancelled.',
  TOO_MANY_SUBSCRIPTIONS: 'Too many pages of this site are following live updates. Close some of its tabs, then reload this one.',
  SERVER_BUSY: `The server is busy. ${TRY_AGAIN}`,
  UNAVAILABLE: `Part of the service is not answering. ${TRY_AGAIN}`,
  SUBGRAPH_UNAVAILABLE: `Part of the service is not answering. ${TRY_AGAIN}`,
  GATEWAY_TIMEOUT: `The service took too long to answer. ${TRY_AGAIN}`,
  INTERNAL_SERVER_ERROR: `Something went wrong on the server. ${TRY_AGAIN}`,
  PAYLOAD_TOO_LARGE: 'That is too large to send. Send less at once.',
  RESPONSE_TOO_LARGE: 'The answer would be too large to show. Reload the page; if it keeps happening, tell your administrator.',
  BAD_REQUEST: CLIENT_FAULT,
  GRAPHQL_PARSE_FAILED: CLIENT_FAULT,
  GRAPHQL_VALIDATION_FAILED: CLIENT_FAULT,
  OPERATION_NOT_SUPPORTED: CLIENT_FAULT,
  QUERY_TOO_LARGE: CLIENT_FAULT,
  MAX_DEPTH_EXCEEDED: CLIENT_FAULT,
  MAX_ALIASES_EXCEEDED: CLIENT_FAULT,
  MAX_ROOT_FIELDS_EXCEEDED: CLIENT_FAULT,
  LIST_TOO_LONG: CLIENT_FAULT,
};

/** Codes after which the same request may well succeed: a page offers "Try again" for these. */
const TRANSIENT = new Set([
  'OFFLINE',
  'TIMEOUT',
  'NETWORK_ERROR',
  'RATE_LIMITED',
  'SERVER_BUSY',
  'UNAVAILABLE',
  'SUBGRAPH_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
  'INTERNAL_SERVER_ERROR',
]);

export const isTransient = (code: string) => TRANSIENT.has(code) || /^HTTP_5\d\d$/.test(code);

/** A message meant for people: one line, no braces, brackets or stack frames. */
const readable = (message: string) => message.length > 0 && message.length <= 300 && !/[{}[\]<>\n]|\bat \S+ \(|Error:/.test(message);

/** The sentence a user reads for an API error; `retryAfterSeconds` from the answer's retry-after header. */
export function errorInWords(code: string, apiMessage: string, retryAfterSeconds?: number): string {
  if (code === 'RATE_LIMITED') {
    const wait = retryAfterSeconds && retryAfterSeconds > 0 ? `${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}` : 'a minute';
    return `Too many requests in a short time. Wait ${wait}, then try again.`;
  }
  if (code === 'BAD_USER_INPUT') {
    const detail = readable(apiMessage) ? ` ${apiMessage.replace(/\.?$/, '.')}` : '';
    return `Check what you entered:${detail || ' the server did not accept it.'}`;
  }
  return WORDS[code] ?? `Something went wrong. ${TRY_AGAIN}`;
}
