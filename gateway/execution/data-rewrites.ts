/**
 * The plan's data rewrites, compiled once: `inputRewrites` change each
 * representation before an entity fetch, `outputRewrites` each answer before
 * it is merged. The planner emits them where the supergraph and a subgraph
 * disagree on the data's shape: @interfaceObject (the subgraph knows the
 * interface as an object type: `__typename` is set to it on the way in, and
 * back on the way out) and fields fetched under an alias because their type
 * differs between subgraphs (renamed back on the way out). A path is field
 * names and `... on T` type conditions, its last element the field to set or
 * rename; lists are crossed item by item. As @apollo/gateway's dataRewrites.
 */
import type { FetchDataRewrite } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { isAbstractType, isInterfaceType, isObjectType } = graphqlRuntime;

type Json = Record<string, unknown>;
export type Rewrite = (value: unknown) => void;

const FRAGMENT_PREFIX = '... on ';

/** Whether an object is of a type condition; one without __typename is taken to be. */
function ofType(schema: GraphQLSchema, object: Json, condition: string): boolean {
  const typename = object.__typename;
  if (typeof typename !== 'string') return true;
  if (typename === condition) return true;
  const type = schema.getType(typename);
  const conditionType = schema.getType(condition);
  if (!type || !conditionType || !isAbstractType(conditionType)) return false;
  return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(conditionType, type);
}

function compileOne(schema: GraphQLSchema, rewrite: FetchDataRewrite): Rewrite {
  const path = rewrite.path;
  const field = path[path.length - 1];
  if (field === undefined || field.startsWith(FRAGMENT_PREFIX)) return () => {};
  const change =
    rewrite.kind === 'ValueSetter'
      ? (object: Json) => void (object[field] = rewrite.setValueTo)
      : (object: Json) => {
          // null, 0 and false are renamed too (a required `price` of 0 is still the price).
          if (!Object.hasOwn(object, field)) return;
          object[rewrite.renameKeyTo] = object[field];
          delete object[field];
        };
  const apply = (value: unknown, index: number): void => {
    if (Array.isArray(value)) {
      for (const item of value) apply(item, index);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const object = value as Json;
    if (index === path.length - 1) return change(object);
    const element = path[index]!;
    if (element.startsWith(FRAGMENT_PREFIX)) {
      if (ofType(schema, object, element.slice(FRAGMENT_PREFIX.length))) apply(object, index + 1);
    } else if (Object.hasOwn(object, element)) {
      apply(object[element], index + 1);
    }
  };
  return (value) => apply(value, 0);
}

/** All of a fetch's rewrites of one direction as one function; undefined when it has none. */
export function compileRewrites(schema: GraphQLSchema, rewrites: readonly FetchDataRewrite[] | undefined): Rewrite | undefined {
  if (!rewrites?.length) return undefined;
  const compiled = rewrites.map((rewrite) => compileOne(schema, rewrite));
  return (value) => {
    for (const rewrite of compiled) rewrite(value);
  };
}
