/**
 * Fields the authorization filter removed (planning/authorization-filter.ts)
 * in an incremental answer. Each part's shape is built from the selection
 * the planner prints for it, which lacks them; so each removed field is put
 * back into the part it was asked in, where the data has nothing for it: it
 * answers null (null propagating as GraphQL does), as in a complete answer,
 * and its error goes with that part. The part it was asked in is the
 * innermost @defer fragment around it that the plan run has as a part
 * (a fragment off by `if`, or left with nothing, is none: the one around
 * it, or the primary part, asks the field). A fragment refused inside a
 * deferred one only sends its error with that part.
 */
import type { FieldNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { DeferredFragment, RemovedField } from '../planning/authorization-filter.js';
import type { CompiledDefer, CompiledNode } from './compiled-plan.js';

const { Kind } = graphqlRuntime;

/** A deferred part: the path of its objects (response names, `... on T` elements) and its label, or the filter's. */
export interface DeferredPartName {
  queryPath: readonly string[];
  ref?: string;
}

const responseName = (field: FieldNode) => field.alias?.value ?? field.name.value;

const partKey = (names: readonly string[], ref: string | undefined) => `${names.join('\n')}\n\n${ref ?? ''}`;

/** A part's key, its path by the client's response names. */
function keyOf(part: DeferredPartName, clientNames: ReadonlyMap<string, string> | undefined): string {
  const names = part.queryPath.filter((element) => !element.startsWith('... on ')).map((element) => clientNames?.get(element) ?? element);
  return partKey(names, part.ref);
}

/** The deferred parts of a Defer node as it runs, nested ones included: what a removal may belong to. */
export function deferredParts(defer: CompiledDefer | undefined, clientNames?: ReadonlyMap<string, string>): ReadonlySet<string> {
  const keys = new Set<string>();
  const add = (node: CompiledDefer) => {
    for (const part of node.deferred) {
      keys.add(keyOf({ queryPath: part.queryPath, ref: part.ref ?? part.label }, clientNames));
      if (part.node?.kind === 'Defer') add(part.node);
    }
  };
  if (defer) add(defer);
  return keys;
}

/** The key of the part a removal belongs to; undefined: the primary part. */
function ownerOf({ chain, deferred }: RemovedField, parts: ReadonlySet<string>): string | undefined {
  for (let fragment: DeferredFragment | undefined = deferred; fragment; fragment = fragment.outer) {
    const key = partKey(
      chain.slice(0, fragment.depth).map(({ field }) => responseName(field)),
      fragment.ref,
    );
    if (parts.has(key)) return key;
  }
  return undefined;
}

/**
 * The removals that belong to a part (`part` undefined: the primary), among `parts` (deferredParts). `clientNames`
 * maps the aliases planning gave client fields (client-argument-aliases.ts) back to the client's names, which the
 * removals hold.
 */
export function removedIn(
  removed: readonly RemovedField[],
  part: DeferredPartName | undefined,
  parts: ReadonlySet<string>,
  clientNames?: ReadonlyMap<string, string>,
): RemovedField[] {
  const key = part && keyOf(part, clientNames);
  return removed.filter((field) => ownerOf(field, parts) === key);
}

/** For each removed field (not fragment), a selection set asking it at its place below its part's objects, each field on the type it was asked on. */
export function removedSelections(removed: readonly RemovedField[], part: DeferredPartName | undefined): SelectionSetNode[] {
  const depth = part ? part.queryPath.filter((element) => !element.startsWith('... on ')).length : 0;
  return removed
    .filter((field) => !field.fragment)
    .map(({ chain }) => {
      let set: SelectionSetNode | undefined;
      for (let index = chain.length - 1; index >= depth; index--) {
        const { field, parentType } = chain[index]!;
        const node: FieldNode = set ? { ...field, selectionSet: set } : field;
        const typeCondition = { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: parentType } } as const;
        set = { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.INLINE_FRAGMENT, typeCondition, selectionSet: { kind: Kind.SELECTION_SET, selections: [node] } }] };
      }
      return set!;
    });
}

/** The plan with the labels the filter gave unlabelled @defer fragments (`given`) moved to `ref`: the client never sees them. */
export function withClientLabels(node: CompiledNode, given: ReadonlySet<string>): CompiledNode {
  if (given.size === 0) return node;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return { ...node, nodes: node.nodes.map((child) => withClientLabels(child, given)) };
    case 'Flatten':
      return { ...node, node: withClientLabels(node.node, given) };
    case 'Condition':
      return {
        ...node,
        ifClause: node.ifClause && withClientLabels(node.ifClause, given),
        elseClause: node.elseClause && withClientLabels(node.elseClause, given),
      };
    case 'Defer':
      return {
        ...node,
        primary: { ...node.primary, node: node.primary.node && withClientLabels(node.primary.node, given) },
        deferred: node.deferred.map((part) => {
          const inner = part.node && withClientLabels(part.node, given);
          return part.label !== undefined && given.has(part.label) ? { ...part, label: undefined, ref: part.label, node: inner } : { ...part, node: inner };
        }),
      };
    default:
      return node;
  }
}
