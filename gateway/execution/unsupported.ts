/**
 * What our executor does not run, refused with a stable code rather than
 * handed to another executor (there is none behind it any more). Each
 * refusal counts in bheem_gateway_executor_fallbacks_total (the name it had
 * when @apollo/gateway's executor took these), which the conformance suite
 * asserts stays at zero.
 *
 * - @stream: not in the API schema, so validation refuses it first; kept
 *   should a schema ever carry it before the executor does. (@defer is
 *   served: Defer plan nodes, incremental.ts.)
 * - `__proto__` as a response name: plain JSON objects cannot hold it safely.
 * - a plan the executor does not compile: a node kind a newer planner adds
 *   (plan-shapes.test.ts catches those first).
 */
import type { DocumentNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { visit, BREAK, GraphQLError } = graphqlRuntime;

const WHAT: Record<string, string> = {
  stream: '@stream',
  __proto__: '"__proto__" as a field or alias name',
  plan: "this operation's query plan (it needs a feature this gateway does not execute)",
};

/** Why the document cannot run here, if it cannot. */
export function unsupportedReason(document: DocumentNode): string | undefined {
  let reason: string | undefined;
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'stream') return undefined;
      reason = node.name.value;
      return BREAK;
    },
    Field(node) {
      if (node.alias?.value !== '__proto__' && node.name.value !== '__proto__') return undefined;
      reason = '__proto__';
      return BREAK;
    },
  });
  return reason;
}

export function unsupported(reason: string) {
  const error = new GraphQLError(`This gateway does not execute ${WHAT[reason] ?? reason}`, { extensions: { code: 'OPERATION_NOT_SUPPORTED' } });
  return { errors: [error], unsupported: reason };
}
