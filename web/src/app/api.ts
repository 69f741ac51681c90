/**
 * The app's only way to the API: operations typed by codegen (src/gql/),
 * queries and mutations over HTTP to /graphql, subscriptions over graphql-ws
 * on the same URL with the token in connection_init. Errors are thrown as
 * ApiError with the API's own `extensions.code` and a message in words, for
 * the page to show: a failing network (offline, no answer within
 * REQUEST_TIMEOUT_MS, a gateway or proxy answering without GraphQL) included.
 *
 * A dropped WebSocket is retried without end (at most 30 s apart), and the
 * subscriptions resubscribe; what changed while it was down was never sent,
 * so `liveUpdatesInterrupted` lets pages say so and a subscription's
 * `onResumed` lets them read their data again. A token refused over the
 * socket (4440 expired, 4403 refused) ends the session as a 401 does; any
 * other close (4401 included: the protocol's "subscribed before
 * connection_ack", a client fault) only stops the live updates.
 */
import { createClient, type Client } from 'graphql-ws';
import { computed, ref, watch } from 'vue';
import type { TypedDocumentString } from '../gql/graphql';
import { errorInWords } from './error-words';
import { signOut, token } from './session';

/** `message` is for the user to read (error-words.ts); `code` is the API's `extensions.code` (or the client's own). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: readonly (string | number)[],
  ) {
    super(message);
  }
}

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; serviceName?: string };
}

const endpoint = new URL('/graphql', location.href).toString();

function firstError(errors: GraphQLErrorShape[], retryAfterSeconds?: number): ApiError {
  const [error] = errors;
  const code = error?.extensions?.code ?? 'UNKNOWN';
  return new ApiError(code, errorInWords(code, error?.message ?? '', retryAfterSeconds), error?.path);
}

/** A request without an answer by then is given up: a hung connection must not leave a button waiting forever. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Why fetch threw, in words: the browser's own text ("Failed to fetch") tells a user nothing. */
function unreachable(error: unknown): ApiError {
  if ((error as Error)?.name === 'TimeoutError') return new ApiError('TIMEOUT', `The server did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds. Try again in a moment.`);
  if (!navigator.onLine) return new ApiError('OFFLINE', 'You are offline. Check your connection, then try again.');
  return new ApiError('NETWORK_ERROR', 'The server could not be reached. Check your connection, then try again.');
}

/** An answer that is not GraphQL: from the gateway's host or a proxy in front of it, not from the API. */
function notGraphQL(response: Response): ApiError {
  const code = `HTTP_${response.status}`;
  if (response.status === 429) return new ApiError('RATE_LIMITED', errorInWords('RATE_LIMITED', '', retryAfter(response)));
  if (response.status >= 500) return new ApiError(code, `The server had a problem (HTTP ${response.status}). Try again in a moment.`);
  return new ApiError(code, `The server refused the request (HTTP ${response.status}). Reload the page and try again.`);
}

const retryAfter = (response: Response) => Number(response.headers.get('retry-after')) || undefined;

export async function request<TResult, TVariables>(
  operation: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  return (await requestAllowing(operation, variables as TVariables, () => false)).data;
}

/**
 * As `request`, but errors `allowed` accepts leave the rest of the answer standing (they are returned): for fields
 * the page can do without (names another service gives) when that service is down.
 */
export async function requestAllowing<TResult, TVariables>(
  operation: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  allowed: (error: GraphQLErrorShape) => boolean,
): Promise<{ data: TResult; allowedErrors: GraphQLErrorShape[] }> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token.value && { authorization: `Bearer ${token.value}` }),
      },
      body: JSON.stringify({ query: operation.toString(), variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachable(error);
  }
  let body: { data?: TResult | null; errors?: GraphQLErrorShape[] };
  try {
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw (error as Error)?.name === 'TimeoutError' ? unreachable(error) : notGraphQL(response);
  }
  const refused = (body.errors ?? []).filter((error) => !allowed(error));
  if (refused.length) {
    const error = firstError(refused, retryAfter(response));
    if (error.code === 'UNAUTHENTICATED') signOut();
    throw error;
  }
  if (!body.data) throw notGraphQL(response);
  return { data: body.data, allowedErrors: body.errors ?? [] };
}

/** The gateway's close codes for a token it no longer takes (gateway/subscriptions/close-codes.ts): not retried. */
const SESSION_ENDED_CODES = [4440, 4403];
const sessionEnded = (event: unknown) => SESSION_ENDED_CODES.includes((event as { code?: number })?.code ?? 0);
const MAX_RETRY_WAIT_MS = 30_000;

let client: Client | null = null;
const running = ref(0);
const socketDown = ref(false);
const resumedListeners = new Set<() => void>();
/** The socket dropped while subscriptions run: they are being retried, and what is on screen may be stale. */
export const liveUpdatesInterrupted = computed(() => socketDown.value && running.value > 0);

// A new token means a new connection: the server reads the token once, in connection_init.
watch(token, () => {
  // dispose() waits for a socket still connecting, and rejects when that socket closes before its ack (a 4401,
  // a network error): the old connection is being dropped anyway, so that is no error of the page's.
  Promise.resolve(client?.dispose()).catch(() => {});
  client = null;
  socketDown.value = false;
});

/** Exponential from 1 s with jitter, as graphql-ws's own, but capped: a long outage is noticed within 30 s of its end. */
function retryWait(retries: number): Promise<void> {
  const wait = Math.min(1000 * 2 ** retries, MAX_RETRY_WAIT_MS) + 300 + Math.random() * 2700;
  return new Promise((resolve) => setTimeout(resolve, wait));
}

function wsClient(): Client {
  client ??= createClient({
    url: endpoint.replace(/^http/, 'ws'),
    connectionParams: () => (token.value ? { authorization: `Bearer ${token.value}` } : {}),
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait,
    // Everything but an ended session (graphql-ws itself never retries its fatal codes, 4401 among them).
    shouldRetry: (event) => !sessionEnded(event),
    on: {
      closed: (event) => {
        if ((event as { code?: number }).code !== 1000 && !sessionEnded(event)) socketDown.value = true;
      },
      connected: (_socket, _payload, wasRetry) => {
        socketDown.value = false;
        if (wasRetry) for (const listener of resumedListeners) listener();
      },
    },
  });
  return client;
}

/**
 * Runs a subscription until the returned function is called. `onResumed`:
 * the connection came back after a drop (the subscription runs again), for
 * the page to read again what it may have missed.
 */
export function subscribe<TResult, TVariables>(
  operation: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  onData: (data: TResult) => void,
  onError: (error: ApiError) => void,
  onResumed?: () => void,
): () => void {
  let ended = false;
  const resumed = () => onResumed?.();
  const end = () => {
    if (ended) return;
    ended = true;
    running.value--;
    resumedListeners.delete(resumed);
  };
  running.value++;
  resumedListeners.add(resumed);
  const unsubscribe = wsClient().subscribe<TResult>(
    { query: operation.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) onError(firstError(result.errors as GraphQLErrorShape[]));
        else if (result.data) onData(result.data);
      },
      error: (error) => {
        end();
        if (sessionEnded(error)) return signOut();
        onError(new ApiError(error instanceof Error ? 'SUBSCRIPTION_ERROR' : `SUBSCRIPTION_CLOSED_${(error as { code?: number })?.code ?? ''}`, LIVE_UPDATES_STOPPED));
      },
      complete: end,
    },
  );
  return () => {
    end();
    unsubscribe();
  };
}

/** The close code stays in the ApiError's code (the banner's data-code), not in what the user reads. */
const LIVE_UPDATES_STOPPED = 'Live updates stopped: changes others make no longer show here by themselves. Reload the page to follow them again.';

/** Human text for any thrown value, keeping the API's code. */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('CLIENT_ERROR', (error as Error)?.message ?? String(error));
}
