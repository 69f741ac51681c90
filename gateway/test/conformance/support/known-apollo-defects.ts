/**
 * Whether a failing random operation shows a defect of @apollo/gateway that
 * the hand-written cases already pin down (we are right there, and asserted
 * so), rather than a new finding:
 * - it selects nothing outside an `apolloWrong` case's fields, the root
 *   fields aside;
 * - our planner plans it under aliases of ours (planning/client-argument-aliases.ts):
 *   a client alias named like a key or @requires field, or a field a @requires
 *   asks with other arguments, where @apollo/query-planner answers the
 *   client with the planner's data (edge-shapes, requires-client-arguments,
 *   requires-local-arguments, requires-provides).
 * Both only where each null of ours that Apollo has a value for comes
 * with an error of ours at or below it: Apollo's defects there give wrong
 * values or errors, while a bug of ours in the same plans that silently
 * drops data (an entity dropped, data: null without an error) must still
 * fail the check.
 * In the second case, also where our answer is Apollo's own to the same
 * operation with every response name prefixed (prefixed-names.ts: no clash
 * left), field order aside: a null of ours there is one Apollo gives too
 * (`id: seat` where the seat is null, and Apollo answered the key's id).
 * Returns why, or undefined.
 */
import { errorsText, unordered } from './answer-comparison.js';
import type { ConformanceSuite } from './conformance-case.js';
import { answerUnprefixed, withPrefixedNames } from './prefixed-names.js';
import type { RandomOperation } from './random-operations.js';
import type { Answer } from './suite-gateways.js';
import { aliasClientArguments, contextFieldNames, keyAndRequiredFieldNames, requiredArguments } from '../../../planning/client-argument-aliases.js';
import type { LoadedSupergraph } from '../../../supergraph/load-supergraph.js';
import { graphqlRuntime as g } from '../../../../platform/subgraph/subscriptions/graphql-runtime.js';
import { selectsOnlyFrom } from './field-coordinates.js';

type Path = readonly (string | number)[];

/** Where `ours` is null (or absent) and `theirs` has a value (list items as far as both go: their lengths may rightly differ). */
function nullsWhereTheirs(ours: unknown, theirs: unknown, at: Path = [], into: Path[] = []): Path[] {
  if (theirs === null || theirs === undefined) return into;
  if (ours === null || ours === undefined) into.push(at);
  else if (Array.isArray(theirs) && Array.isArray(ours)) {
    for (let index = 0; index < Math.min(ours.length, theirs.length); index++) nullsWhereTheirs(ours[index], theirs[index], [...at, index], into);
  } else if (typeof theirs === 'object' && typeof ours === 'object' && !Array.isArray(theirs)) {
    for (const [key, value] of Object.entries(theirs)) nullsWhereTheirs((ours as Record<string, unknown>)[key], value, [...at, key], into);
  }
  return into;
}

/** Whether each of our nulls where Apollo has a value comes with an error of ours at or below it (as null propagation does). */
function nullsExplained(ours: Answer, theirs: Answer): boolean {
  return nullsWhereTheirs(ours.data, theirs.data).every((at) =>
    (ours.errors ?? []).some((error) => at.length === 0 || at.every((element, index) => error.path?.[index] === element)),
  );
}

/** `askApollo`: @apollo/gateway's answer to an operation. */
export function knownApolloDefect(
  suite: ConformanceSuite,
  loaded: LoadedSupergraph,
  askApollo: (operation: RandomOperation) => Promise<Answer>,
): (operation: RandomOperation, ours: Answer, theirs: Answer) => Promise<string | undefined> {
  const required = requiredArguments(loaded.supergraph);
  const plannerFields = new Set([...contextFieldNames(loaded.supergraph), ...keyAndRequiredFieldNames(loaded.supergraph)]);
  return async (operation, ours, theirs) => {
    const { query } = operation;
    const clash = aliasClientArguments(g.parse(query), required, plannerFields) !== undefined;
    if (nullsExplained(ours, theirs)) {
      const written = suite.operations.find((known) => known.apolloWrong && selectsOnlyFrom(loaded.apiGraphQLSchema, query, known.query));
      if (written) return `as the case "${written.name}"`;
      if (clash) return 'a client field planned under an alias of ours';
    }
    if (!clash) return undefined;
    const renamed = answerUnprefixed(await askApollo(withPrefixedNames(operation)));
    if (errorsText(renamed) === errorsText(ours) && unordered(renamed.data) === unordered(ours.data))
      return "a client name clashing with a planner's: Apollo's answer once none clashes";
    return undefined;
  };
}
