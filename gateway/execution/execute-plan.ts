/**
 * Runs a compiled query plan over plain JSON: sequences in order, parallel
 * branches together, each fetch given the operation's variables it uses and,
 * for entity fetches, the representations of the entities under its flatten
 * path; what a subgraph answers is merged into those same objects. A fetch
 * that fails records its error (the path naming where in the response, the
 * extensions naming the subgraph) and the rest of the plan still runs: the
 * fields it would have filled stay empty and shaping nulls them. A fetch
 * with @fromContext variables sends one request per set of values its
 * entities' ancestors give (context-rewrites.ts).
 */
import { ERRORS, errorCodeDef } from '@apollo/federation-internals';
import type { GraphQLFormattedError } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { CompiledBatch, CompiledFetch, CompiledNode } from './compiled-plan.js';
import { ancestries } from './context-rewrites.js';
import { deepMerge } from './deep-merge.js';
import { readEntityAnswer, type PassThroughShape } from './entity-answer-reader.js';
import { copyOfAnswer, referencedFromListItems, SeenRepresentations } from './repeated-representations.js';
import { shapeAt, type SelectionShape } from './response-shape.js';
import { mayShare, noteMerge, sharedPart } from './shared-representations.js';

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
  /** `read`, when given, may read the answer's text in place of JSON.parse (undefined: it does not qualify). */
  send: (fetch: CompiledFetch, variables: Json, read?: AnswerReader) => Promise<SubgraphAnswer>;
  /** Aliases planning gave the client's fields (client-argument-aliases.ts), to the client's response names. */
  clientNames?: ReadonlyMap<string, string>;
  /** Entity fields the answer may take as their subgraph wrote them (pass-through-fields.ts), checked against `shape`. */
  splice?: { shape: SelectionShape; fields: ReadonlyMap<CompiledFetch, readonly string[]> };
}

/**
 * Reads a subgraph's answer text in place of JSON.parse, or returns undefined for the caller to parse it.
 * `ascii`: whether the answer's bytes were ASCII, `text` their Latin-1 decoding (kept text is then written as
 * Latin-1); `controlFree`: whether the text is known to hold no control character (subgraph-answer-text.ts).
 */
export type AnswerReader = (text: string, ascii?: boolean, controlFree?: boolean) => SubgraphAnswer | undefined;

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

function downstreamError(error: GraphQLFormattedError, serviceName: string, at: Path | undefined, run: PlanRun): GraphQLError {
  // A field planned under an alias of ours is named in the path as the client named it.
  const names = run.clientNames;
  const path = names && at ? at.map((key) => (typeof key === 'string' ? (names.get(key) ?? key) : key)) : at;
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

/** The operation's variables a fetch uses. */
function variablesOf(fetch: CompiledFetch, run: PlanRun): Json {
  const variables: Json = {};
  for (const name of fetch.variableUsages) {
    const value = run.variables[name];
    if (value !== undefined && Object.hasOwn(run.variables, name)) variables[name] = value;
  }
  return variables;
}

async function executeFetch(fetch: CompiledFetch, cursorPath: Path, entities: Json[], run: PlanRun): Promise<void> {
  if (!fetch.requires) {
    const answer = await run.send(fetch, variablesOf(fetch, run));
    for (const error of answer.errors ?? []) {
      run.errors.push(downstreamError(error, fetch.serviceName, error.path ? [...cursorPath, ...error.path] : undefined, run));
    }
    if (answer.data) {
      noteMerge(run.data);
      fetch.outputRewrite?.(answer.data);
      for (const entity of entities) deepMerge(entity, answer.data);
    }
    return;
  }
  if (fetch.context) return fetchInContexts(fetch, cursorPath, entities, run);
  const part = mayShare(fetch) ? sameEntityPart(fetch, cursorPath, entities, run) : entityPart(fetch, cursorPath, entities);
  if (part) await fetchEntities([part], run);
}

/**
 * entityPart, its representations shared with an earlier fetch of the run that asked the same of the same
 * entities (shared-representations.ts): the same list, with this fetch's own entities (the same objects, in the
 * same order: collected at the same path with nothing merged since).
 */
function sameEntityPart(fetch: CompiledFetch, cursorPath: Path, entities: Json[], run: PlanRun): EntityPart | undefined {
  const key = `${fetch.requiresKey!}\n${cursorPath.join('\u0000')}`;
  const part = sharedPart(
    run.data,
    key,
    () => entityPart(fetch, cursorPath, entities),
    (built) => built.representations,
  );
  if (!part || part.fetch === fetch) return part;
  return { fetch, cursorPath, entities, representations: part.representations, owners: part.owners, repeats: part.repeats };
}

/** @fromContext: the entities grouped by the values their ancestors give, one request per group, all at once. */
async function fetchInContexts(fetch: CompiledFetch, cursorPath: Path, entities: Json[], run: PlanRun): Promise<void> {
  const context = fetch.context!;
  const found = ancestries(run.data, cursorPath);
  const groups = new Map<string, { values: Json; members: number[] }>();
  entities.forEach((entity, index) => {
    const ancestry = found.get(entity);
    const values = ancestry ? context.values(ancestry) : {};
    // Absent and null differ: a variable left out lets the subgraph's default apply.
    const key = JSON.stringify(context.names.map((name) => (Object.hasOwn(values, name) ? [values[name]] : [])));
    const group = groups.get(key);
    if (group) group.members.push(index);
    else groups.set(key, { values, members: [index] });
  });
  const parts: EntityPart[] = [];
  for (const { values, members } of groups.values()) {
    const part = entityPart(fetch, cursorPath, members.length === entities.length ? entities : members.map((index) => entities[index]!), false);
    if (!part) continue;
    // Owners as indexes of all the entities under the path, as error paths count them.
    if (part.entities !== entities) part.owners = part.owners.map((owner) => members[owner]!);
    parts.push({ ...part, entities, contextValues: values });
  }
  await Promise.all(parts.map((part) => fetchEntities([part], run)));
}

/** An entity fetch's share of a request: the entities under its path and their representations. */
interface EntityPart {
  fetch: CompiledFetch;
  cursorPath: Path;
  entities: Json[];
  representations: Json[];
  /** For each representation, the index of its entity. */
  owners: number[];
  /** Representations given by more entities than their owner (repeated-representations.ts): their index, to those entities' indexes. */
  repeats?: Map<number, number[]>;
  /** @fromContext: the values of its contextual variables. */
  contextValues?: Json;
}

/** `once`: each distinct representation sent once, where repeats are to be expected (repeated-representations.ts). */
function entityPart(fetch: CompiledFetch, cursorPath: Path, entities: Json[], once = referencedFromListItems(cursorPath)): EntityPart | undefined {
  const representations: Json[] = [];
  const owners: number[] = [];
  const seen = once ? new SeenRepresentations() : undefined;
  let repeats: Map<number, number[]> | undefined;
  for (let index = 0; index < entities.length; index++) {
    const representation = fetch.requires!(entities[index]!);
    if (representation && representation.__typename) {
      fetch.inputRewrite?.(representation);
      const same = seen?.indexOf(representation, representations.length, representations);
      if (same !== undefined) {
        repeats ??= new Map();
        const others = repeats.get(same);
        if (others) others.push(index);
        else repeats.set(same, [index]);
        continue;
      }
      representations.push(representation);
      owners.push(index);
    }
  }
  return representations.length === 0 ? undefined : { fetch, cursorPath, entities, representations, owners, repeats };
}

/**
 * One `_entities` request for the parts (one, or several of one operation text merged by
 * merge-entity-fetches.ts): their representations one after the other, the answer split back. `request`: the
 * operation sent for parts of different texts (merged-entity-operation.ts).
 */
async function fetchEntities(parts: readonly EntityPart[], run: PlanRun, request?: CompiledFetch): Promise<void> {
  const fetch = request ?? parts[0]!.fetch;
  const variables = variablesOf(fetch, run);
  if (Object.hasOwn(variables, 'representations')) throw new Error('Variables cannot contain key "representations"');
  if (parts[0]!.contextValues) Object.assign(variables, parts[0]!.contextValues);
  const representations = parts.length === 1 ? parts[0]!.representations : parts.flatMap((part) => part.representations);
  variables.representations = representations;
  const answer = await run.send(fetch, variables, parts.length === 1 ? spliceReader(parts[0]!, run) : undefined);
  // Where each part's representations start.
  const offsets: number[] = [];
  let total = 0;
  for (const part of parts) {
    offsets.push(total);
    total += part.representations.length;
  }
  const partAt = (position: number) => {
    let index = parts.length - 1;
    while (index > 0 && offsets[index]! > position) index--;
    return index;
  };
  if (answer.errors?.length) {
    // An entity's error path starts ["_entities", i, ...]: say instead where that entity is in the response.
    const entityPaths = new Map<EntityPart, (string | number)[][]>();
    for (const error of answer.errors) {
      const position = error.path?.[1];
      if (typeof position !== 'number') {
        // Not about one entity: each part's fetch failed with it, as when they were sent apart.
        for (const part of parts) run.errors.push(downstreamError(error, fetch.serviceName, error.path ? [...part.cursorPath, ...error.path] : undefined, run));
        continue;
      }
      const partIndex = partAt(position);
      const part = parts[partIndex]!;
      let paths = entityPaths.get(part);
      if (!paths) {
        paths = [];
        collect(run.data, part.cursorPath, 0, [], paths, []);
        entityPaths.set(part, paths);
      }
      const index = position - offsets[partIndex]!;
      // At each entity that gave this representation, as if each had been sent.
      for (const owner of [part.owners[index] ?? -1, ...(part.repeats?.get(index) ?? [])]) {
        run.errors.push(downstreamError(error, fetch.serviceName, [...(paths[owner] ?? []), ...error.path!.slice(2)], run));
      }
    }
  }
  const data = answer.data;
  if (!data) return;
  noteMerge(run.data);
  const received = data._entities;
  if (!Array.isArray(received)) throw new Error('Expected "data._entities" in response to be an array');
  if (received.length !== total) throw new Error(`Expected "data._entities" to contain ${total} elements`);
  parts.forEach((part, partIndex) => {
    const offset = offsets[partIndex]!;
    for (let index = 0; index < part.representations.length; index++) {
      const entity = received[offset + index] as Json | null;
      if (!entity) continue;
      const target = part.entities[part.owners[index]!]!;
      const others = part.repeats?.get(index);
      if (!entity.__typename || (target.__typename !== undefined && part.fetch.interfaceTypenames?.has(entity.__typename as string))) {
        // The target's own __typename, set on the answer and merged back: the target's as it was. With nothing
        // else to read the answer (no rewrite, no other entity), left out of the merge instead of set: a store
        // into each answer and one back into each target fewer (~0.1 M instructions a course list).
        if (!part.fetch.outputRewrite && !others) {
          deepMerge(target, entity, '__typename');
          continue;
        }
        entity.__typename = target.__typename;
      }
      part.fetch.outputRewrite?.(entity);
      // Each other entity a copy: nothing merged later into one of them shows in another.
      if (others) for (const other of others) deepMerge(part.entities[other]!, copyOfAnswer(entity));
      deepMerge(target, entity);
    }
  });
}

/** For one entity fetch whose fields may stay text (pass-through-fields.ts): a reader of its answer checking them. */
function spliceReader(part: EntityPart, run: PlanRun): AnswerReader | undefined {
  const names = run.splice?.fields.get(part.fetch);
  const objects = names && shapeAt(run.splice!.shape, part.cursorPath);
  if (!objects) return undefined;
  const passThrough: PassThroughShape = (index, name) => {
    if (!names!.includes(name)) return undefined;
    const target = part.entities[part.owners[index] ?? -1];
    if (target === undefined) return undefined;
    const typename = target.__typename;
    return objects.fieldsFor(typeof typename === 'string' ? typename : undefined)?.fields.find((field) => field.source === name)?.value;
  };
  return (text, ascii, controlFree) => readEntityAnswer(text, passThrough, ascii, controlFree, names);
}

/** Entity fetches of one operation text at one point of the plan, sent as one request (merge-entity-fetches.ts). */
async function executeBatch(node: CompiledBatch, path: Path, entities: Json[], run: PlanRun): Promise<void> {
  const parts: EntityPart[] = [];
  for (const { path: below, fetch } of node.parts) {
    const found: Json[] = [];
    for (const entity of entities) collect(entity, below, 0, found);
    const part = found.length > 0 ? entityPart(fetch, [...path, ...below], found) : undefined;
    if (part) parts.push(part);
  }
  if (parts.length === 0) return;
  try {
    await fetchEntities(parts, run, node.request);
  } catch (error) {
    // Each part's fetch fails with it, as when they were sent apart.
    for (const _part of parts) run.errors.push(asGraphQLError(error));
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
    case 'Batch':
      await executeBatch(node, path, entities, run);
      return;
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
