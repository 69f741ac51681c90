/**
 * The app's only way to the API: operations typed by codegen (src/gql/),
 * queries and mutations over HTTP to /graphql, subscriptions over graphql-ws
 * on the same URL with the token in connection_init. Errors are thrown as
 * ApiError with the API's own `extensions.code`, for the page to show.
 */
import { createClient, type Client } from 'graphql-ws';
import { watch } from 'vue';
import type { TypedDocumentString } from '../gql/graphql';
import { signOut, token } from './session';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly path?: readonly (string | number)[],
  ) {
    super(message);
  }
}

interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string };
}

const endpoint = new URL('/graphql', location.href).toString();

function firstError(errors: GraphQLErrorShape[]): ApiError {
  const [error] = errors;
  return new ApiError(error?.extensions?.code ?? 'UNKNOWN', error?.message ?? 'Unknown error', error?.path);
}

export async function request<TResult, TVariables>(
  operation: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
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
    });
  } catch (error) {
    throw new ApiError('NETWORK_ERROR', `The API cannot be reached: ${(error as Error).message}`);
  }
  let body: { data?: TResult | null; errors?: GraphQLErrorShape[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(`HTTP_${response.status}`, `The API answered ${response.status} ${response.statusText} without GraphQL`);
  }
  if (body.errors?.length) {
    const error = firstError(body.errors);
    if (error.code === 'UNAUTHENTICATED') signOut();
    throw error;
  }
  if (!body.data) throw new ApiError(`HTTP_${response.status}`, 'The API answered without data');
  return body.data;
}

let client: Client | null = null;
// A new token means a new connection: the server reads the token once, in connection_init.
watch(token, () => {
  void client?.dispose();
  client = null;
});

function wsClient(): Client {
  client ??= createClient({
    url: endpoint.replace(/^http/, 'ws'),
    connectionParams: () => (token.value ? { authorization: `Bearer ${token.value}` } : {}),
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
  });
  return client;
}

/** Runs a subscription until the returned function is called. */
export function subscribe<TResult, TVariables>(
  operation: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  onData: (data: TResult) => void,
  onError: (error: ApiError) => void,
): () => void {
  return wsClient().subscribe<TResult>(
    { query: operation.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) onError(firstError(result.errors as GraphQLErrorShape[]));
        else if (result.data) onData(result.data);
      },
      error: (error) => onError(error instanceof Error ? new ApiError('SUBSCRIPTION_ERROR', error.message) : new ApiError('SUBSCRIPTION_CLOSED', closeReason(error))),
      complete: () => {},
    },
  );
}

function closeReason(event: unknown): string {
  const close = event as { code?: number; reason?: string };
  return close.code ? `Live updates stopped (${close.code}${close.reason ? `: ${close.reason}` : ''})` : 'Live updates stopped';
}

/** Human text for any thrown value, keeping the API's code. */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError('CLIENT_ERROR', (error as Error)?.message ?? String(error));
}
