/**
 * Which fields of a plan's entity fetches the client's answer may take as
 * the subgraph wrote them (entity-answer-reader.ts): a field of the
 * fetched entity whose selection is only leaves, and that nothing else in
 * the plan writes or reads. Decided by response name over the whole plan,
 * so conservatively: the name appears in no other fetch's operation, in no
 * `requires`, in no Flatten path; the fetch rewrites nothing of its answer,
 * and the plan has no @defer (whose parts merge into the same objects
 * later). Batches of several entity fetches (merge-entity-fetches.ts) are
 * left out.
 */
import type { FieldNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { CompiledFetch, CompiledNode } from './compiled-plan.js';

const { Kind, parse } = graphqlRuntime;

/** Every name of a selection set (fields and aliases), at any depth. */
function namesIn(selectionSet: SelectionSetNode | undefined, into: Set<string>): void {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      into.add(selection.name.value);
      if (selection.alias) into.add(selection.alias.value);
    }
    if (selection.kind !== Kind.FRAGMENT_SPREAD) namesIn(selection.selectionSet, into);
  }
}

/** The entity fields of an `_entities` fetch whose selection is leaves only, without directives; with every name it uses. */
function entityFields(fetch: CompiledFetch): { candidates: string[]; names: Set<string> } {
  const names = new Set<string>();
  const candidates: string[] = [];
  const document = parse(fetch.operation);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    namesIn(definition.selectionSet, names);
    const root = definition.selectionSet.selections;
    const entities = root.length === 1 && root[0]!.kind === Kind.FIELD && root[0]!.name.value === '_entities' ? root[0]! : undefined;
    for (const fragment of entities?.selectionSet?.selections ?? []) {
      if (fragment.kind !== Kind.INLINE_FRAGMENT || fragment.directives?.length) continue;
      for (const selection of fragment.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD || !selection.selectionSet || selection.directives?.length) continue;
        const leaves = selection.selectionSet.selections.every((inner) => inner.kind === Kind.FIELD && !(inner as FieldNode).selectionSet && !inner.directives?.length);
        if (leaves) candidates.push(selection.alias?.value ?? selection.name.value);
      }
    }
  }
  return { candidates, names };
}

function walk(node: CompiledNode, fetches: CompiledFetch[], paths: Set<string>): boolean {
  switch (node.kind) {
    case 'Fetch':
      fetches.push(node);
      return true;
    case 'Batch':
      for (const part of node.parts) {
        fetches.push(part.fetch);
        for (const segment of part.path) paths.add(String(segment));
      }
      return true;
    case 'Flatten':
      for (const segment of node.path) paths.add(String(segment));
      return walk(node.node, fetches, paths);
    case 'Condition':
      return (!node.ifClause || walk(node.ifClause, fetches, paths)) && (!node.elseClause || walk(node.elseClause, fetches, paths));
    case 'Defer':
      return false;
    default:
      return node.nodes.every((child) => walk(child, fetches, paths));
  }
}

/**
 * The name as V8's string table holds it (a property key is internalized: Object.keys gives the table's copy).
 * The names parse() cuts from the operation text are fresh strings, slices of it from 13 characters on: the
 * entity reader compares and stores them per entity (entity-answer-reader.ts), where two equal strings that are
 * not the same one, one of them sliced, are compared character by character in V8's runtime (String::SlowEquals,
 * bench/README-results.md, session 28). Internalized, equal names are the same string.
 */
function internalized(name: string): string {
  return Object.keys({ [name]: true })[0]!;
}

/** Per entity fetch, the response names of its fields that may stay text; empty when none may. */
export function passThroughFields(plan: CompiledNode): Map<CompiledFetch, readonly string[]> {
  const result = new Map<CompiledFetch, readonly string[]>();
  const fetches: CompiledFetch[] = [];
  const paths = new Set<string>();
  if (!walk(plan, fetches, paths)) return result;
  const used = fetches.map((fetch) => entityFields(fetch));
  fetches.forEach((fetch, index) => {
    if (!fetch.requires || fetch.outputRewrite || fetch.isMutation) return;
    const kept = used[index]!.candidates.filter(
      (name) =>
        !paths.has(name) &&
        fetches.every((other, otherIndex) => otherIndex === index || (!used[otherIndex]!.names.has(name) && !other.requiredNames?.includes(name))) &&
        !fetch.requiredNames?.includes(name),
    );
    if (kept.length > 0) result.set(fetch, kept.map(internalized));
  });
  return result;
}
