/**
 * Runs a compiled query plan over plain JSON: sequences in order, parallel
 * branches together, each fetch given the operation's variables it uses and,
 * for entity fetches, the representations of the entities under its flatten
 * path; what a subgraph answers is merged into those same objects. A fetch
 * that fails records its error (the path naming where in the response, the
 * extensions naming the subgraph) and the rest of the plan still runs: the
 * fields it would have filled stay empty and shaping nulls them.
 */
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { GraphQLFormattedError } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { CompiledFetch, CompiledNode } from './compiled-plan.js';
import { deepMerge } from './deep-merge.js';

// Errors of Apollo's graphql-js instance, which Apollo Server recognises (and keeps their paths).
const { GraphQLError } = graphqlRuntime;
type GraphQLError = InstanceType<typeof GraphQLError>;

type Json = Record<string, unknown>;
type Path = readonly (string | number)[];

export interface SubgraphAnswer {
  data?: Json | null;
  errors?: readonly GraphQLFormattedError[];
}

export interface PlanRun {
  variables: Record<string, unknown>;
  /** The values of @skip/@include's variables (Condition nodes), defaults applied. */
  conditions?: Readonly<Record<string, boolean>>;
  errors: GraphQLError[];
  /** The root of the merged data. */
  data: Json;
  send: (fetch: CompiledFetch, variables: Json) => Promise<SubgraphAnswer>;
}

/** The objects at `path` below `value` ('@' crossing a list), nulls left out; with `paths`, where each one is. */
function collect(value: unknown, path: Path, index: number, into: Json[], paths?: (string | number)[][], at?: (string | number)[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    // A list is crossed by '@', or (as @apollo/gateway tolerates) by a field name applying to each item.
    const next = path[index] === '@' ? index + 1 : index;
    for (let item = 0; item < value.length; item++) {
      at?.push(item);
      collect(value[item], path, next, into, paths, at);
      at?.pop();
    }
    return;
  }
  if (index === path.length) {
    into.push(value as Json);
    paths?.push([...at!]);
    return;
  }
  const key = path[index]!;
  if (key === '@') return; // '@' on an object: nothing there
  const child = Object.hasOwn(value, key) ? (value as Json)[key as string] : undefined;
  at?.push(key);
  collect(child, path, index + 1, into, paths, at);
  at?.pop();
}

function downstreamError(error: GraphQLFormattedError, serviceName: string, path: Path | undefined): GraphQLError {
  const message = error.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = { originalError: error as Error, path, extensions: { ...error.extensions, serviceName } };
  const known = errorCodeDef(error);
  if (!known && error.extensions?.code) return new GraphQLError(message, options);
  return (known ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

function asGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const cause = error instanceof Error ? error : new Error(String(error));
  return new GraphQLError(cause.message, { originalError: cause });
}

async function executeFetch(fetch: CompiledFetch, cursorPath: Path, entities: Json[], run: PlanRun): Promise<void> {
  const variables: Json = {};
  for (const name of fetch.variableUsages) {
    const value = run.variables[name];
    if (value !== undefined && Object.hasOwn(run.variables, name)) variables[name] = value;
  }
  if (!fetch.requires) {
    const answer = await run.send(fetch, variables);
    for (const error of answer.errors ?? []) {
      run.errors.push(downstreamError(error, fetch.serviceName, error.path ? [...cursorPath, ...error.path] : undefined));
    }
    if (answer.data) {
      fetch.outputRewrite?.(answer.data);
      for (const entity of entities) deepMerge(entity, answer.data);
    }
    return;
  }

  const representations: Json[] = [];
  const owners: number[] = [];
  for (let index = 0; index < entities.length; index++) {
    const representation = fetch.requires(entities[index]!);
    if (representation && representation.__typename) {
      fetch.inputRewrite?.(representation);
      representations.push(representation);
      owners.push(index);
    }
  }
  if (representations.length === 0) return;
  if (Object.hasOwn(variables, 'representations')) throw new Error('Variables cannot contain key "representations"');
  variables.representations = representations;
  const answer = await run.send(fetch, variables);
  if (answer.errors?.length) {
    // An entity's error path starts ["_entities", i, ...]: say instead where that entity is in the response.
    let entityPaths: (string | number)[][] | undefined;
    for (const error of answer.errors) {
      let path: Path | undefined = error.path ? [...cursorPath, ...error.path] : undefined;
      const position = error.path?.[1];
      if (typeof position === 'number') {
        if (!entityPaths) {
          entityPaths = [];
          collect(run.data, cursorPath, 0, [], entityPaths, []);
        }
        path = [...(entityPaths[owners[position] ?? -1] ?? []), ...error.path!.slice(2)];
      }
      run.errors.push(downstreamError(error, fetch.serviceName, path));
    }
  }
  const data = answer.data;
  if (!data) return;
  const received = data._entities;
  if (!Array.isArray(received)) throw new Error('Expected "data._entities" in response to be an array');
  if (received.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  for (let index = 0; index < received.length; index++) {
    const entity = received[index] as Json | null;
    if (!entity) continue;
    const target = entities[owners[index]!]!;
    if (!entity.__typename) entity.__typename = target.__typename;
    fetch.outputRewrite?.(entity);
    deepMerge(target, entity);
  }
}

async function executeNode(node: CompiledNode, path: Path, entities: Json[], run: PlanRun): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(child, path, entities, run);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(child, path, entities, run)));
      return;
    case 'Condition': {
      const branch = run.conditions?.[node.variable] ? node.ifClause : node.elseClause;
      if (branch) await executeNode(branch, path, entities, run);
      return;
    }
    case 'Defer':
      // All in one answer (a client that does not read incremental delivery): the primary part, then the deferred ones.
      if (node.primary.node) await executeNode(node.primary.node, path, entities, run);
      await Promise.all(node.deferred.map((part) => part.node && executeNode(part.node, path, entities, run)));
      return;
    case 'Flatten': {
      const below: Json[] = [];
      for (const entity of entities) collect(entity, node.path, 0, below);
      if (below.length > 0) await executeNode(node.node, [...path, ...node.path], below, run);
      return;
    }
    case 'Fetch':
      if (entities.length === 0) return;
      try {
        await executeFetch(node, path, entities, run);
      } catch (error) {
        run.errors.push(asGraphQLError(error));
      }
  }
}

/** Runs the plan; fills `run.data` and `run.errors`. */
export async function executePlan(root: CompiledNode, run: PlanRun): Promise<void> {
  await executeNode(root, [], [run.data], run);
}

/** Runs part of a plan that starts at the root (a Defer's parts: their Flatten paths are from the root). */
export const executeFromRoot = executePlan;
