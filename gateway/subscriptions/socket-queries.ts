/**
 * Queries over graphql-ws, so that @defer reaches WebSocket clients: the
 * operation is parsed, validated against the API schema (no introspection
 * where the gateway turns it off) and planned by the supergraph serving now
 * (PlanExecutor.prepareOutside), then run by our executor with incremental
 * delivery: one `next` for the data outside deferred fragments, one per
 * deferred part as it finishes, then `complete`. Errors are formatted as
 * subscription events' are (message, path, stable code). Subscriptions go
 * to the subscription engine as before; mutations stay on HTTP.
 */
import type { ExecutionResult, GraphQLError, ValidationRule } from 'graphql';
import type { Viewer } from '../../platform/auth/viewer.js';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { PreparedOperation } from '../execution/plan-executor.js';
import type { GatewayContext } from '../gateway-context.js';
import type { ServingSupergraph } from '../supergraph/serving-supergraph.js';
import { formatErrors } from './execute-event.js';
import type { SubscribeRequest } from './subscription-engine.js';

const { getOperationAST, parse, specifiedRules, NoSchemaIntrospectionCustomRule, GraphQLError: GraphQLErrorClass } = graphqlRuntime;

export type SocketQuery = { ok: true; run: (viewer: Viewer, requestId: string) => AsyncGenerator<ExecutionResult> } | { ok: false; errors: GraphQLError[] };

export interface SocketQueries {
  /** Undefined for a subscription (the engine's), else the query checked and ready to run, or why not. */
  check(request: SubscribeRequest): SocketQuery | undefined;
}

const format = (errors: readonly GraphQLError[]) => formatErrors(errors) as unknown as GraphQLError[];

export function socketQueries(serving: () => ServingSupergraph, introspection: boolean): SocketQueries {
  const rules: readonly ValidationRule[] = introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  return {
    check(request) {
      let kind: string | undefined;
      try {
        kind = getOperationAST(parse(request.query), request.operationName ?? undefined)?.operation;
      } catch {
        kind = undefined; // a parse error: prepareOutside reports it
      }
      if (kind === 'subscription') return undefined;
      if (kind === 'mutation') return { ok: false, errors: [new GraphQLErrorClass('Mutations are served over HTTP', { extensions: { code: 'BAD_REQUEST' } })] };
      const current = serving();
      const prepared = current.executor.prepareOutside(request.query, request.operationName ?? undefined, current.loaded.apiGraphQLSchema, rules);
      if ('errors' in prepared) return { ok: false, errors: [...prepared.errors] };
      const variables = request.variables ?? undefined;
      const invalid = current.executor.coerce(prepared, variables);
      if (invalid) return { ok: false, errors: [...invalid] };
      return { ok: true, run: (viewer, requestId) => runQuery(current, prepared, variables, viewer, requestId) };
    },
  };
}

async function* runQuery(
  serving: ServingSupergraph,
  prepared: PreparedOperation,
  variables: Record<string, unknown> | undefined,
  viewer: Viewer,
  requestId: string,
): AsyncGenerator<ExecutionResult> {
  // Cancelled when the client completes the operation or leaves (graphql-ws returns the generator).
  const cancel = new AbortController();
  const context: GatewayContext = { viewer, requestId, signal: cancel.signal, incremental: {} };
  try {
    const result = await serving.executor.run(prepared, variables, context);
    const rest = context.incremental!.rest;
    yield { data: result.data as ExecutionResult['data'], ...(result.errors?.length && { errors: format(result.errors) }), ...(rest && { hasNext: true }) };
    if (!rest) return;
    for await (const payload of rest) {
      const incremental = payload.incremental?.map(({ errors, ...item }) => (errors?.length ? { ...item, errors: format(errors) } : item));
      yield { hasNext: payload.hasNext, ...(incremental && { incremental }) } as ExecutionResult;
    }
  } finally {
    cancel.abort(Object.assign(new Error('the client completed the operation or left'), { code: 'REQUEST_CANCELLED' }));
  }
}
