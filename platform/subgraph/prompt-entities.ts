/**
 * `Query._entities` answering an entity whose reference resolves at once
 * (most `__resolveReference`s return the reference or a model in hand) as a
 * value rather than a promise. @apollo/subgraph's resolver wraps every entity
 * in an async function that awaits the reference's result and then marks its
 * `__typename`: a promise, a microtask and the executor's promise handling per
 * entity, for the hundred courses of a course-list fetch in each subgraph.
 *
 * The answers are Apollo's: the same type checks and errors (anything but an
 * object type of the schema is handed to Apollo's resolver), the same
 * `__typename` marking, an awaited result for a promise, and a failure while
 * marking is that entity's error, as it is in Apollo's async function. With a
 * cache-control hint on `info` (Apollo's plugin, which the subgraphs switch
 * off) the whole field is Apollo's.
 */
import type { GraphQLFieldResolver, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { graphqlRuntime } from './subscriptions/graphql-runtime.js';

// Apollo's instance of graphql-js, whose types the schema's are (graphql-runtime.ts).
const { isObjectType } = graphqlRuntime;

type Reference = { __typename: string } & Record<string, unknown>;
type ResolveReference = (reference: Reference, context: unknown, info: unknown) => unknown;

const isThenable = (value: unknown): value is PromiseLike<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * What Apollo's `maybeAddTypeNameToPossibleReturn` does with a resolved value, without its await. A value with its
 * own `__typename` already the type's (a reference handed back as it came, as most are) is left alone: Apollo's
 * defineProperty would change nothing there, and it is a call into the runtime per entity.
 */
function withTypename(value: unknown, typename: string): unknown {
  if (value !== null && typeof value === 'object') {
    if ('__typename' in value && (value as Reference).__typename !== typename) return { ...value, __typename: typename };
    // Here any `__typename` it has is the type's: only one of its own needs no defining.
    if (!Object.hasOwn(value, '__typename')) Object.defineProperty(value, '__typename', { value: typename });
  }
  return value;
}

function resolveReferenceOf(type: GraphQLObjectType): ResolveReference | undefined {
  return (type.extensions as { apollo?: { subgraph?: { resolveReference?: ResolveReference } } }).apollo?.subgraph?.resolveReference;
}

/** Replaces the schema's `_entities` resolver (from buildSubgraphSchema) by the prompt one; a schema without it is left as it is. */
export function resolveEntitiesPromptly(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const apollo = field?.resolve as GraphQLFieldResolver<unknown, unknown, { representations: Reference[] }> | undefined;
  if (!field || !apollo) return;
  field.resolve = (source, args: { representations: Reference[] }, context, info) => {
    if ((info as { cacheControl?: { cacheHint?: { restrict?: unknown } } }).cacheControl?.cacheHint?.restrict) return apollo(source, args, context, info);
    return args.representations.map((reference) => {
      const type = info.schema.getType(reference.__typename);
      // Interfaces, unknown types and their errors: Apollo's own handling of this one reference.
      if (!isObjectType(type)) return (apollo(source, { representations: [reference] }, context, info) as unknown[])[0];
      const resolveReference = resolveReferenceOf(type);
      const result = resolveReference ? resolveReference(reference, context, info) : reference;
      if (isThenable(result)) return Promise.resolve(result).then((value) => withTypename(value, type.name));
      try {
        return withTypename(result, type.name);
      } catch (error) {
        return Promise.reject(error);
      }
    });
  };
}
