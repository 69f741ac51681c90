/**
 * A query plan made ready to run many times: each fetch's `requires` turned
 * into a function building one representation from an entity, its data
 * rewrites into functions (data-rewrites.ts), its @fromContext context
 * rewrites into a reader of each entity's ancestors (context-rewrites.ts).
 * Plans that use what this executor does not run (subscriptions, a node
 * kind it does not know) compile to `undefined`, and the operation is
 * refused (unsupported.ts).
 */
import type { FetchNode, PlanNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';
import { compileContextRewrites, type ContextInputs } from './context-rewrites.js';
import { compileRewrites, type Rewrite } from './data-rewrites.js';
import { deepMerge } from './deep-merge.js';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { oneByte } from '../supergraph/one-byte-names.js';
import { propertyNameLiteral } from './property-name-literal.js';

const { isAbstractType } = graphqlRuntime;

type Json = Record<string, unknown>;

export type Representation = (entity: Json) => Json | null;

export interface CompiledFetch {
  kind: 'Fetch';
  serviceName: string;
  operation: string;
  operationName: string | undefined;
  variableUsages: readonly string[];
  isMutation: boolean;
  requires?: Representation;
  /** `requires` as text: two fetches with the same build the same representations (shared-representations.ts). */
  requiresKey?: string;
  /** Every response name `requires` reads (pass-through-fields.ts keeps such fields parsed). */
  requiredNames?: readonly string[];
  /** Applied to each representation (@interfaceObject). */
  inputRewrite?: Rewrite;
  /** Applied to each answer before it is merged (@interfaceObject, aliased fields of differing types). */
  outputRewrite?: Rewrite;
  /**
   * @interfaceObject: the interface names this fetch's representations say for __typename, which its subgraph
   * answers back. Not a type learnt: an entity whose type is known keeps it (else fragments on it stop applying).
   */
  interfaceTypenames?: ReadonlySet<string>;
  /** @fromContext: variables whose values are read from each entity's ancestors (not in `variableUsages`). */
  context?: ContextInputs;
}

/** @skip/@include on what a fetch cannot decide: the branch to run by a Boolean variable. */
export interface CompiledCondition {
  kind: 'Condition';
  variable: string;
  ifClause?: CompiledNode;
  elseClause?: CompiledNode;
}

/** One part of an operation @defer puts off: its plan, and what of the data it answers (a selection at `queryPath`). */
export interface CompiledDeferred {
  /** The client's label. */
  label?: string;
  /** The label it was planned under when the client gave none (authorization-filter.ts names such parts apart). */
  ref?: string;
  /** Response names (and `... on T`) from the root to the objects the part completes; lists crossed implicitly. */
  queryPath: readonly string[];
  /** Its selection, as the planner prints it (`{ seen author { name } }`); absent when `node` is a Defer (its primary's). */
  subselection?: string;
  node?: CompiledNode;
}

/** @defer: the primary part (answered first), then the deferred parts, each delivered once its plan has run. */
export interface CompiledDefer {
  kind: 'Defer';
  primary: { subselection?: string; node?: CompiledNode };
  deferred: CompiledDeferred[];
}

/** Entity fetches of one operation text (each under its Flatten path) sent as one request: merge-entity-fetches.ts. */
export interface CompiledBatch {
  kind: 'Batch';
  serviceName: string;
  parts: { path: readonly (string | number)[]; fetch: CompiledFetch }[];
  /** The request, when the parts' operation texts differ (merged-entity-operation.ts); else the first part's. */
  request?: CompiledFetch;
}

export type CompiledNode =
  | CompiledFetch
  | CompiledBatch
  | CompiledCondition
  | CompiledDefer
  | { kind: 'Sequence' | 'Parallel'; nodes: CompiledNode[] }
  | { kind: 'Flatten'; path: readonly (string | number)[]; node: CompiledNode };

/** Fetches a plan makes (at most: a Flatten over an empty list makes none; a condition, its larger branch). */
export function fetchCount(node: CompiledNode): number {
  if (node.kind === 'Fetch' || node.kind === 'Batch') return 1;
  if (node.kind === 'Flatten') return fetchCount(node.node);
  if (node.kind === 'Condition') return Math.max(node.ifClause ? fetchCount(node.ifClause) : 0, node.elseClause ? fetchCount(node.elseClause) : 0);
  if (node.kind === 'Defer') return [node.primary.node, ...node.deferred.map((part) => part.node)].reduce((sum, child) => sum + (child ? fetchCount(child) : 0), 0);
  return node.nodes.reduce((sum, child) => sum + fetchCount(child), 0);
}

/** Whether a plan has Defer nodes (@defer). */
export function hasDefer(node: CompiledNode): boolean {
  if (node.kind === 'Defer') return true;
  if (node.kind === 'Fetch' || node.kind === 'Batch') return false;
  if (node.kind === 'Flatten') return hasDefer(node.node);
  if (node.kind === 'Condition') return (node.ifClause !== undefined && hasDefer(node.ifClause)) || (node.elseClause !== undefined && hasDefer(node.elseClause));
  return node.nodes.some(hasDefer);
}

/** Whether an object of the data is of a type condition (its __typename, or an implementation of it), as Apollo decides. */
function typeTest(schema: GraphQLSchema, condition: string): (typename: unknown) => boolean {
  const type = schema.getType(condition);
  if (!type || !isAbstractType(type)) return (typename) => typename === condition;
  // The abstract type's own name too: what an @interfaceObject subgraph answers for __typename.
  const possible = new Set([condition, ...schema.getPossibleTypes(type).map((candidate) => candidate.name)]);
  return (typename) => typeof typename === 'string' && possible.has(typename);
}

/** The representation of an entity per `requires`; null when one of the inputs is missing (its fetch failed). */
function compileSelections(schema: GraphQLSchema, selections: readonly QueryPlanSelectionNode[]): Representation {
  const only = selections.length === 1 ? selections[0]! : undefined;
  if (
    only?.kind === 'InlineFragment' &&
    only.typeCondition &&
    only.selections.every((selection) => selection.kind !== 'Field' || (selection.alias ?? selection.name) !== '__proto__')
  ) {
    // An entity's usual `... on T { __typename id }`: what merging its fresh object into an empty one would copy
    // (no undefined value, no __proto__ key), without the merge (~200 a course list, bench/README-results.md).
    const inner = compileSelections(schema, only.selections);
    const applies = typeTest(schema, only.typeCondition);
    return (source) => (applies(source.__typename) ? (inner(source) ?? {}) : {});
  }
  const leaves = leafRepresentation(selections);
  if (leaves) return leaves;
  const steps = selections.map((selection): ((source: Json, result: Json) => boolean) => {
    if (selection.kind === 'InlineFragment') {
      const inner = compileSelections(schema, selection.selections);
      const applies = selection.typeCondition ? typeTest(schema, selection.typeCondition) : undefined;
      return (source, result) => {
        if (applies && applies(source.__typename)) deepMerge(result, inner(source));
        return true;
      };
    }
    const responseName = selection.alias ?? selection.name;
    const inner = selection.selections ? compileSelections(schema, selection.selections) : undefined;
    return (source, result) => {
      const value = source[responseName];
      if (value === undefined || !Object.hasOwn(source, responseName)) return false;
      if (Array.isArray(value)) result[responseName] = inner ? value.map((item: Json | null) => (item === null ? null : inner(item))) : value;
      else result[responseName] = inner && value !== null ? inner(value as Json) : value;
      return true;
    };
  });
  return (source) => {
    const result: Json = {};
    for (const step of steps) if (!step(source, result)) return null;
    return result;
  };
}

/**
 * The steps' representation for fields that are all leaves (`__typename id viewerRole`, the usual key), as one
 * function made for these names: each read by name, the object made as one literal. The steps' `result[name] =`
 * and `source[name]` were megamorphic (~0.25 k instructions a store: the course list's 300 a request,
 * bench/README-results.md, session 27); here each site sees the few kinds of entity of its fetch, and every
 * representation of a fetch has one shape. The same values, keys and order as the steps; undefined when a
 * selection has a sub-selection or a fragment, or names repeat or include `__proto__`.
 */
function leafRepresentation(selections: readonly QueryPlanSelectionNode[]): Representation | undefined {
  const keys: string[] = [];
  for (const selection of selections) {
    if (selection.kind !== 'Field' || selection.selections) return undefined;
    const key = propertyNameLiteral(selection.alias ?? selection.name);
    if (key === undefined || keys.includes(key)) return undefined;
    keys.push(key);
  }
  if (keys.length === 0) return undefined;
  const reads = keys.map((key, index) => `const v${index} = source[${key}]; if (v${index} === undefined || !hasOwn(source, ${key})) return null;`);
  const made = `{ ${keys.map((key, index) => `${key}: v${index}`).join(', ')} }`;
  const make = new Function('hasOwn', `return (source) => { ${reads.join(' ')} return ${made}; };`) as (hasOwn: typeof Object.hasOwn) => Representation;
  return make(Object.hasOwn);
}

function responseNames(selections: readonly QueryPlanSelectionNode[], into: string[] = []): string[] {
  for (const selection of selections) {
    if (selection.kind === 'Field') into.push(selection.alias ?? selection.name);
    if (selection.selections) responseNames(selection.selections, into);
  }
  return into;
}

/** Compiles a plan's root node, or undefined when part of it must run on @apollo/gateway's executor. */
export function compilePlan(node: PlanNode, supergraphSchema: GraphQLSchema, isMutation: boolean): CompiledNode | undefined {
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel': {
      const nodes = node.nodes.map((child) => compilePlan(child, supergraphSchema, isMutation));
      return nodes.every((child) => child !== undefined) ? { kind: node.kind, nodes: nodes as CompiledNode[] } : undefined;
    }
    case 'Flatten': {
      const inner = compilePlan(node.node, supergraphSchema, isMutation);
      return inner && { kind: 'Flatten', path: node.path, node: inner };
    }
    case 'Fetch':
      return compileFetch(node, supergraphSchema, isMutation);
    case 'Condition': {
      const ifClause = node.ifClause && compilePlan(node.ifClause, supergraphSchema, isMutation);
      const elseClause = node.elseClause && compilePlan(node.elseClause, supergraphSchema, isMutation);
      if ((node.ifClause && !ifClause) || (node.elseClause && !elseClause)) return undefined;
      return { kind: 'Condition', variable: node.condition, ifClause, elseClause };
    }
    case 'Defer': {
      const primary = node.primary.node && compilePlan(node.primary.node, supergraphSchema, isMutation);
      if (node.primary.node && !primary) return undefined;
      const deferred: CompiledDeferred[] = [];
      for (const part of node.deferred) {
        const inner = part.node && compilePlan(part.node, supergraphSchema, isMutation);
        if (part.node && !inner) return undefined;
        deferred.push({ label: part.label, queryPath: part.queryPath, subselection: part.subselection, node: inner });
      }
      return { kind: 'Defer', primary: { subselection: node.primary.subselection, node: primary }, deferred };
    }
    default:
      return undefined; // Subscription
  }
}

function interfaceTypenames(node: FetchNode): ReadonlySet<string> | undefined {
  const names = (node.inputRewrites ?? []).flatMap((rewrite) =>
    rewrite.kind === 'ValueSetter' && rewrite.path.at(-1) === '__typename' && typeof rewrite.setValueTo === 'string' ? [rewrite.setValueTo] : [],
  );
  return names.length > 0 ? new Set(names) : undefined;
}

function compileFetch(node: FetchNode, supergraphSchema: GraphQLSchema, isMutation: boolean): CompiledFetch {
  const context = compileContextRewrites(supergraphSchema, node.contextRewrites);
  const requiredNames = node.requires ? responseNames(node.requires) : undefined;
  return {
    kind: 'Fetch',
    serviceName: node.serviceName,
    // One-byte copies: Apollo's planner prints the text from names cut out of the supergraph's two-byte source, and
    // one two-byte piece makes every request body JSON.stringify writes two-byte, which Buffer.from then measures and
    // encodes character by character (~0.25 M instructions a course list, bench/README-results.md, session 22).
    operation: oneByte(node.operation),
    operationName: node.operationName === undefined ? undefined : oneByte(node.operationName),
    // A contextual variable is never the client's (one of that name in its request is not sent).
    variableUsages: context ? (node.variableUsages ?? []).filter((name) => !context.names.includes(name)) : (node.variableUsages ?? []),
    // Only a root fetch of a mutation operation runs the mutation; entity fetches after it are queries.
    isMutation: isMutation && !node.requires,
    requires: node.requires ? compileSelections(supergraphSchema, node.requires) : undefined,
    requiresKey: node.requires ? JSON.stringify(node.requires) : undefined,
    requiredNames: context ? [...(requiredNames ?? []), ...context.fields] : requiredNames,
    inputRewrite: compileRewrites(supergraphSchema, node.inputRewrites),
    outputRewrite: compileRewrites(supergraphSchema, node.outputRewrites),
    interfaceTypenames: interfaceTypenames(node),
    context,
  };
}
