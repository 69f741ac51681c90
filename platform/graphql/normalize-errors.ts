/**
 * Apollo Server's normalisation of an answer's errors (its errorNormalize.ts),
 * for the two paths that answer past its pipeline and must answer as it
 * would: the gateway's fast lane (gateway/fast-lane.ts) and the subgraphs'
 * fast path (platform/subgraph/fast-path.ts). Per error: a GraphQLError of
 * Apollo's graphql-js instance (anything else wrapped), a code on every one
 * (INTERNAL_SERVER_ERROR by default), `extensions.http` taken out as the
 * answer's status and headers, a stack trace outside production, then the
 * configured formatError; a formatError that throws gives an internal error.
 */
import type { GraphQLFormattedError } from 'graphql';
import { graphqlRuntime } from '../subgraph/subscriptions/graphql-runtime.js';

// Errors of Apollo's graphql-js instance, which Apollo Server recognises (and keeps their paths).
const { GraphQLError } = graphqlRuntime;
type GraphQLError = InstanceType<typeof GraphQLError>;

export interface ErrorFormatting {
  /** Apollo Server's formatError, as configured for the server. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  includeStacktrace: boolean;
}

/** What `extensions.http` of the errors asks of the answer (Apollo merges them, the last status winning). */
export interface ErrorsHead {
  status: number | undefined;
  headers: Record<string, string>;
}

/** As Apollo's isPartialHTTPGraphQLHead. */
function isHead(value: unknown): value is { status?: number; headers?: Map<string, string> } {
  if (typeof value !== 'object' || value === null) return false;
  const head = value as { status?: unknown; headers?: unknown };
  return (!('status' in head) || typeof head.status === 'number') && (!('headers' in head) || head.headers instanceof Map);
}

/** One error, formatted; with `head`, its `extensions.http` goes there instead of into the answer. */
function formatOne(raw: unknown, options: ErrorFormatting, head: ErrorsHead | undefined): GraphQLFormattedError {
  const error = raw instanceof GraphQLError ? raw : new GraphQLError((raw as Error).message, { originalError: raw as Error });
  // graphql-js gives every error an extensions object; other executions may not.
  const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions?.code ?? 'INTERNAL_SERVER_ERROR' };
  if (head && isHead(extensions.http)) {
    const { status, headers } = extensions.http;
    if (status) head.status = status; // as Apollo's mergeHTTPGraphQLHead
    if (headers) for (const [name, value] of headers) head.headers[name] = String(value);
    delete extensions.http;
  }
  if (options.includeStacktrace) extensions.stacktrace = error.stack?.split('\n');
  try {
    return options.formatError({ ...error.toJSON(), extensions }, error);
  } catch {
    return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}

/** The errors as Apollo Server answers them, and the status and headers they ask for (the subgraphs' fast path). */
export function normalizeErrors(errors: readonly unknown[], options: ErrorFormatting): { formatted: GraphQLFormattedError[] } & ErrorsHead {
  const head: ErrorsHead = { status: undefined, headers: {} };
  const formatted = errors.map((raw) => formatOne(raw, options, head));
  return { formatted, ...head };
}

/**
 * The errors formatted, `extensions.http` left in them (the gateway's fast lane, whose answer's status comes from
 * gateway/pipeline/answer-status.ts): unlike Apollo, which takes it out, so the lane's busy refusal (SERVER_BUSY,
 * `http: { status: 503 }`) carries it in its body where Apollo's answer does not.
 */
export function formatErrors(errors: readonly GraphQLError[], options: ErrorFormatting): GraphQLFormattedError[] {
  return errors.map((raw) => formatOne(raw, options, undefined));
}
