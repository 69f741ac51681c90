/**
 * Entity fetches that a plan sends apart but that could share one request:
 * in the branches of a Parallel node, fetches to one subgraph whose
 * operations are the same text but for their names (the same selection on
 * the same entity type, such as the users behind two different fields), each
 * the last step of its branch. They become one Batch run right after the
 * Parallel: one `_entities` request with their representations one after the
 * other, the answer split back (execute-plan.ts).
 *
 * Why this is safe: nothing in a branch follows a fetch that ends it, and
 * branches of a Parallel do not depend on each other, so running such a
 * fetch once the whole Parallel is done changes no input it reads; whatever
 * came after the Parallel still comes after it. The price: such a fetch
 * waits for the slowest branch instead of only its own (at most about one
 * fetch's time more), for one request fewer.
 *
 * Given the supergraph's object types, such fetches to one subgraph whose
 * texts differ merge too when their entities are of different types: one
 * operation holding each one's fragments (merged-entity-operation.ts). Where
 * the texts cannot merge, those of one text still do.
 */
import type { CompiledBatch, CompiledFetch, CompiledNode } from './compiled-plan.js';
import { mergedEntityOperation } from './merged-entity-operation.js';

/** Whether a type of the supergraph is an object type (not an interface or union): merging across texts is refused without it. */
export type ObjectTypeTest = (name: string) => boolean;

type EntityFlatten = { kind: 'Flatten'; path: readonly (string | number)[]; node: CompiledFetch };
type Mergeable = EntityFlatten | CompiledBatch;

/**
 * Fetches with the same key may share a request: one subgraph, one operation text (names aside), entities only;
 * not @fromContext's, whose variables depend on their entities.
 */
function batchKey(fetch: CompiledFetch): string | undefined {
  if (!fetch.requires || fetch.isMutation || fetch.context) return undefined;
  const head = fetch.operationName ? `query ${fetch.operationName}` : 'query';
  if (!fetch.operation.startsWith(head)) return undefined;
  return `${fetch.serviceName}\n${fetch.operation.slice(head.length)}`;
}

function partsOf(node: Mergeable): CompiledBatch['parts'] {
  return node.kind === 'Batch' ? node.parts : [{ path: node.path, fetch: node.node }];
}

/** The entity fetches (or batches) a node ends with: the last step of a Sequence, every branch of a Parallel. */
function trailing(node: CompiledNode, into: Mergeable[]): void {
  switch (node.kind) {
    case 'Sequence':
      if (node.nodes.length > 0) trailing(node.nodes[node.nodes.length - 1]!, into);
      return;
    case 'Parallel':
      for (const child of node.nodes) trailing(child, into);
      return;
    case 'Flatten':
      if (node.node.kind === 'Fetch' && batchKey(node.node)) into.push(node as EntityFlatten);
      return;
    case 'Batch':
      // One of texts already merged stays as it is (its request asks for its parts alone).
      if (!node.request) into.push(node);
  }
}

/** `node` without the trailing steps in `removed`; undefined when nothing is left. */
function without(node: CompiledNode, removed: ReadonlySet<CompiledNode>): CompiledNode | undefined {
  if (removed.has(node)) return undefined;
  if (node.kind === 'Sequence') {
    if (node.nodes.length === 0) return node;
    const last = without(node.nodes[node.nodes.length - 1]!, removed);
    const nodes = last ? [...node.nodes.slice(0, -1), last] : node.nodes.slice(0, -1);
    return nodes.length === 0 ? undefined : nodes.length === 1 ? nodes[0] : { kind: 'Sequence', nodes };
  }
  if (node.kind === 'Parallel') return together(node.nodes.map((child) => without(child, removed)).filter((child) => child !== undefined));
  return node;
}

function together(nodes: CompiledNode[]): CompiledNode | undefined {
  return nodes.length === 0 ? undefined : nodes.length === 1 ? nodes[0] : { kind: 'Parallel', nodes };
}

function mergeParallel(nodes: CompiledNode[], isObjectType: ObjectTypeTest | undefined): CompiledNode {
  const groups = new Map<string, { service: string; branches: Set<number>; members: Mergeable[] }>();
  nodes.forEach((child, branch) => {
    const ends: Mergeable[] = [];
    trailing(child, ends);
    for (const end of ends) {
      const fetch = partsOf(end)[0]!.fetch;
      const key = batchKey(fetch)!;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { service: fetch.serviceName, branches: new Set(), members: [] }));
      group.branches.add(branch);
      group.members.push(end);
    }
  });
  const removed = new Set<CompiledNode>();
  const batches: CompiledBatch[] = [];
  const texts = [...groups.values()];
  const merged = new Set<(typeof texts)[number]>();
  // Different texts to one subgraph, from two branches or more: one request if their operations merge.
  for (const service of new Set(texts.map((group) => group.service))) {
    const ofService = texts.filter((group) => group.service === service);
    const branches = new Set(ofService.flatMap((group) => [...group.branches]));
    if (!isObjectType || ofService.length < 2 || branches.size < 2) continue;
    const request = mergedEntityOperation(
      ofService.map((group) => partsOf(group.members[0]!)[0]!.fetch),
      isObjectType,
    );
    if (!request) continue;
    const members = ofService.flatMap((group) => group.members);
    for (const member of members) removed.add(member);
    for (const group of ofService) merged.add(group);
    batches.push({ kind: 'Batch', serviceName: service, parts: members.flatMap(partsOf), request });
  }
  for (const group of texts) {
    if (merged.has(group) || group.branches.size < 2) continue;
    for (const member of group.members) removed.add(member);
    const parts = group.members.flatMap(partsOf);
    batches.push({ kind: 'Batch', serviceName: parts[0]!.fetch.serviceName, parts });
  }
  if (batches.length === 0) return { kind: 'Parallel', nodes };
  const before = together(nodes.map((child) => without(child, removed)).filter((child) => child !== undefined));
  const after = together(batches)!;
  return before ? { kind: 'Sequence', nodes: [before, after] } : after;
}

/** The plan with such fetches merged (bottom-up: a Batch made inside a branch can join one of a sibling). */
export function mergeEntityFetches(node: CompiledNode, isObjectType?: ObjectTypeTest): CompiledNode {
  const merge = (child: CompiledNode) => mergeEntityFetches(child, isObjectType);
  switch (node.kind) {
    case 'Sequence':
      return { kind: 'Sequence', nodes: node.nodes.map(merge) };
    case 'Parallel':
      return mergeParallel(node.nodes.map(merge), isObjectType);
    case 'Flatten':
      return { kind: 'Flatten', path: node.path, node: merge(node.node) };
    case 'Condition':
      return {
        kind: 'Condition',
        variable: node.variable,
        ifClause: node.ifClause && merge(node.ifClause),
        elseClause: node.elseClause && merge(node.elseClause),
      };
    case 'Defer':
      return {
        kind: 'Defer',
        primary: { subselection: node.primary.subselection, node: node.primary.node && merge(node.primary.node) },
        deferred: node.deferred.map((part) => ({ ...part, node: part.node && merge(part.node) })),
      };
    default:
      return node;
  }
}
