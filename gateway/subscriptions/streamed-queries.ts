/**
 * Queries and mutations over the streaming transports, so that @defer
 * reaches their clients: graphql-ws (queries only: mutations stay on HTTP)
 * and SSE (a POST may carry a mutation, as on /graphql; a GET may not). The
 * operation is parsed, validated against the API schema (no introspection
 * where the gateway turns it off) and planned by the supergraph serving now
 * (PlanExecutor.prepareOutside), then run by our executor with incremental
 * delivery: its parts (incremental-parts.ts, the producer multipart/mixed
 * uses too) are the data outside deferred fragments, then one per deferred
 * part as it finishes, each a `next` of the transport, then `complete`.
 * Subscriptions go to the subscription engine as before.
 */
import type { GraphQLError, GraphQLFormattedError, ValidationRule } from 'graphql';
import type { Viewer } from '../../platform/auth/viewer.js';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { PreparedOperation } from '../execution/plan-executor.js';
import { Cancellation, type CancelSignal } from '../cancellation.js';
import type { GatewayContext } from '../gateway-context.js';
import { countRefusal } from '../gateway-metrics.js';
import { answerParts, type AnswerPart } from '../incremental-parts.js';
import { RESPONSE_TOO_LARGE } from '../pipeline/response-bound.js';
import type { ServingSupergraph } from '../supergraph/serving-supergraph.js';
import type { SubscribeRequest } from './subscription-engine.js';

const { getOperationAST, parse, specifiedRules, NoSchemaIntrospectionCustomRule, GraphQLError: GraphQLErrorClass } = graphqlRuntime;

/** Runs the operation; `signal` (the client left, the request's time is up) cancels its fetches. */
export type RunQuery = (viewer: Viewer, requestId: string, signal?: CancelSignal) => AsyncGenerator<AnswerPart>;

export type StreamedQuery = { ok: true; run: RunQuery } | { ok: false; status?: number; errors: GraphQLError[] };

export interface StreamedQueries {
  /** Undefined for a subscription (the engine's), else the operation checked and ready to run, or why not. */
  check(request: SubscribeRequest, options?: { mutations?: boolean }): StreamedQuery | undefined;
}

export interface StreamedQueriesOptions {
  serving: () => ServingSupergraph;
  introspection: boolean;
  /** Errors as Apollo Server formats them on /graphql (formatError, masking in production). */
  formatErrors: (errors: readonly GraphQLError[]) => GraphQLFormattedError[];
  /** GATEWAY_MAX_RESPONSE_BYTES, over all the parts of an answer. */
  maxResponseBytes: number;
  /** Told of a failure of ours that ended an answer early (the log). */
  onFailed?: (error: unknown) => void;
}

export function streamedQueries(options: StreamedQueriesOptions): StreamedQueries {
  const rules: readonly ValidationRule[] = options.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  return {
    check(request, { mutations = false } = {}) {
      let kind: string | undefined;
      try {
        kind = getOperationAST(parse(request.query), request.operationName ?? undefined)?.operation;
      } catch {
        kind = undefined; // a parse error: prepareOutside reports it
      }
      if (kind === 'subscription') return undefined;
      if (kind === 'mutation' && !mutations) {
        return { ok: false, status: 405, errors: [new GraphQLErrorClass('Mutations are served over HTTP POST', { extensions: { code: 'BAD_REQUEST' } })] };
      }
      const current = options.serving();
      const prepared = current.executor.prepareOutside(request.query, request.operationName ?? undefined, current.loaded.apiGraphQLSchema, rules);
      if ('errors' in prepared) return { ok: false, errors: [...prepared.errors] };
      const variables = request.variables ?? undefined;
      const invalid = current.executor.coerce(prepared, variables);
      if (invalid) return { ok: false, errors: [...invalid] };
      return { ok: true, run: (viewer, requestId, signal) => runQuery(options, current, prepared, variables, { viewer, requestId, signal }) };
    },
  };
}

async function* runQuery(
  options: StreamedQueriesOptions,
  serving: ServingSupergraph,
  prepared: PreparedOperation,
  variables: Record<string, unknown> | undefined,
  caller: { viewer: Viewer; requestId: string; signal?: CancelSignal },
): AsyncGenerator<AnswerPart> {
  // Cancelled when the client completes the operation or leaves (the transport returns the generator), or by its signal.
  const cancel = new Cancellation(caller.signal);
  const context: GatewayContext = { viewer: caller.viewer, requestId: caller.requestId, signal: cancel, incremental: {} };
  try {
    const result = await serving.executor.run(prepared, variables, context);
    const errors = result.errors?.length ? options.formatErrors(result.errors) : undefined;
    const initial = { ...(errors && { errors }), data: result.data, ...(result.extensions && { extensions: result.extensions }) };
    yield* answerParts(initial, context.incremental!.rest, {
      formatErrors: options.formatErrors,
      maxBytes: options.maxResponseBytes,
      onTooLarge: () => countRefusal(RESPONSE_TOO_LARGE),
      onFailed: options.onFailed,
    });
  } finally {
    cancel.abort(Object.assign(new Error('the client completed the operation or left'), { code: 'REQUEST_CANCELLED' }));
  }
}
