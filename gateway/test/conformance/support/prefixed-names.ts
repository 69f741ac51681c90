/**
 * An operation with every response name prefixed (each field under an
 * alias), and an answer to it with the prefix taken off again. No client
 * name is then one @apollo/query-planner uses for a key, a @requires or a
 * context field, so @apollo/gateway answers it without the defects such
 * clashes cause: the random check compares our answer to the original with
 * Apollo's to this one (known-apollo-defects.ts).
 */
import { graphqlRuntime as g } from '../../../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { RandomOperation } from './random-operations.js';
import type { Answer } from './suite-gateways.js';

const PREFIX = 'zzFuzz_';

export function withPrefixedNames({ query, variables }: RandomOperation): RandomOperation {
  const document = g.visit(g.parse(query), {
    Field: (node) => ({ ...node, alias: { kind: g.Kind.NAME, value: `${PREFIX}${node.alias?.value ?? node.name.value}` } }),
  });
  return { query: g.print(document), variables };
}

const unprefixed = (name: string | number) => (typeof name === 'string' && name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name);

function dataUnprefixed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dataUnprefixed);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [unprefixed(key), dataUnprefixed(inner)]));
}

export function answerUnprefixed(answer: Answer): Answer {
  return {
    ...(answer.data !== undefined && { data: dataUnprefixed(answer.data) }),
    ...(answer.errors && { errors: answer.errors.map((error) => ({ ...error, ...(error.path && { path: error.path.map(unprefixed) }) })) }),
  };
}
