/**
 * @fromContext's context rewrites (Federation 2.8), compiled once: a fetch
 * whose fields take an argument from an ancestor's @context has, per
 * contextual variable (`$contextualArgument_2_0`), KeyRenamers whose path
 * says where its value is from the fetched entity: each leading `..` one
 * field up (lists crossed: an item of `stores[1].products` is one field below
 * its store), then `... on T` conditions and field names into that ancestor.
 * Several renamers of one variable are alternatives (an interface's or a
 * union's members): the first that finds a value gives it.
 *
 * A value found is sent even when null; none found (the ancestor is of no
 * listed type) leaves the variable out, so the subgraph sees the argument
 * absent, as Apollo Router does. Entities whose values differ go in
 * separate requests (execute-plan.ts).
 */
import type { FetchDataKeyRenamer } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { isAbstractType } = graphqlRuntime;

type Json = Record<string, unknown>;

const UP = '..';
const FRAGMENT_PREFIX = '... on ';
const NOT_FOUND = Symbol('not found');

/** The objects from the data's root to an entity, one per field crossed (list items, not lists); the entity last. */
export type Ancestry = readonly Json[];

export interface ContextInputs {
  /** The contextual variables, in the plan's order. */
  names: readonly string[];
  /** Field names the rewrites read on ancestors (kept parsed: pass-through-fields.ts). */
  fields: readonly string[];
  /** The values found for one entity, by variable name; a variable without a value is left out. */
  values: (ancestry: Ancestry) => Json;
}

function isOfType(schema: GraphQLSchema, condition: string): (typename: unknown) => boolean {
  const type = schema.getType(condition);
  if (!type || !isAbstractType(type)) return (typename) => typename === condition;
  const possible = new Set([condition, ...schema.getPossibleTypes(type).map((candidate) => candidate.name)]);
  return (typename) => typeof typename === 'string' && possible.has(typename);
}

/** One renamer as a reader of its value from an entity's ancestry (NOT_FOUND when its path leads nowhere). */
function compileReader(schema: GraphQLSchema, path: readonly string[]): (ancestry: Ancestry) => unknown {
  let ups = 0;
  while (path[ups] === UP) ups++;
  const steps = path.slice(ups).map((element): ((value: Json) => unknown) => {
    if (!element.startsWith(FRAGMENT_PREFIX)) return (value) => (Object.hasOwn(value, element) ? value[element] : NOT_FOUND);
    const applies = isOfType(schema, element.slice(FRAGMENT_PREFIX.length));
    return (value) => (applies(value.__typename) ? value : NOT_FOUND);
  });
  return (ancestry) => {
    let value: unknown = ancestry[ancestry.length - 1 - ups];
    for (const step of steps) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_FOUND;
      value = step(value as Json);
      if (value === NOT_FOUND) return NOT_FOUND;
    }
    return value === undefined ? NOT_FOUND : value;
  };
}

export function compileContextRewrites(schema: GraphQLSchema, rewrites: readonly FetchDataKeyRenamer[] | undefined): ContextInputs | undefined {
  if (!rewrites?.length) return undefined;
  const readers = new Map<string, ((ancestry: Ancestry) => unknown)[]>();
  const fields = new Set<string>();
  for (const rewrite of rewrites) {
    let list = readers.get(rewrite.renameKeyTo);
    if (!list) readers.set(rewrite.renameKeyTo, (list = []));
    list.push(compileReader(schema, rewrite.path));
    for (const element of rewrite.path) if (element !== UP && !element.startsWith(FRAGMENT_PREFIX)) fields.add(element);
  }
  const entries = [...readers];
  return {
    names: entries.map(([name]) => name),
    fields: [...fields],
    values: (ancestry) => {
      const values: Json = {};
      for (const [name, alternatives] of entries) {
        for (const read of alternatives) {
          const value = read(ancestry);
          if (value === NOT_FOUND) continue;
          values[name] = value;
          break;
        }
      }
      return values;
    },
  };
}

/** For each object at `path` below the root ('@' crossing a list, as execute-plan.ts's collect), its ancestry. */
export function ancestries(root: Json, path: readonly (string | number)[]): Map<Json, Ancestry> {
  const found = new Map<Json, Ancestry>();
  const walk = (value: unknown, index: number, above: Json[]): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      const next = path[index] === '@' ? index + 1 : index;
      for (const item of value) walk(item, next, above);
      return;
    }
    if (typeof value !== 'object') return;
    const ancestry = [...above, value as Json];
    if (index === path.length) {
      found.set(value as Json, ancestry);
      return;
    }
    const key = path[index]!;
    if (key === '@' || !Object.hasOwn(value, key)) return;
    walk((value as Json)[key as string], index + 1, ancestry);
  };
  walk(root, 0, []);
  return found;
}
