/**
 * Fields the authorization filter removed (planning/authorization-filter.ts)
 * in an incremental answer. Each part's shape is built from the selection
 * the planner prints for it, which lacks them; so each removed field is put
 * back into the part it was asked in (the primary part, or the @defer
 * fragment at its path with its label), where the data has nothing for it:
 * it answers null (null propagating as GraphQL does), as in a complete
 * answer, and its error goes with that part.
 */
import type { FieldNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { RemovedField } from '../planning/authorization-filter.js';

const { Kind } = graphqlRuntime;

/** A deferred part: the path of its objects (response names, `... on T` elements) and its label. */
export interface DeferredPartName {
  queryPath: readonly string[];
  label?: string;
}

const responseName = (field: FieldNode) => field.alias?.value ?? field.name.value;

/**
 * The removed fields asked in a part: `part` undefined is the primary. `clientNames` maps the aliases planning gave
 * client fields (client-argument-aliases.ts) back to the client's names, which the removals hold.
 */
export function removedIn(removed: readonly RemovedField[], part: DeferredPartName | undefined, clientNames?: ReadonlyMap<string, string>): RemovedField[] {
  if (!part) return removed.filter((field) => field.deferred === undefined);
  const names = part.queryPath.filter((element) => !element.startsWith('... on ')).map((element) => clientNames?.get(element) ?? element);
  return removed.filter(
    ({ chain, deferred }) =>
      deferred !== undefined && deferred.label === part.label && deferred.depth === names.length && names.every((name, index) => responseName(chain[index]!.field) === name),
  );
}

/** For each removed field, a selection set asking it at its place below its part's objects, each field on the type it was asked on. */
export function removedSelections(removed: readonly RemovedField[]): SelectionSetNode[] {
  return removed.map(({ chain, deferred }) => {
    let set: SelectionSetNode | undefined;
    for (let index = chain.length - 1; index >= (deferred?.depth ?? 0); index--) {
      const { field, parentType } = chain[index]!;
      const node: FieldNode = set ? { ...field, selectionSet: set } : field;
      const typeCondition = { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: parentType } } as const;
      set = { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.INLINE_FRAGMENT, typeCondition, selectionSet: { kind: Kind.SELECTION_SET, selections: [node] } }] };
    }
    return set!;
  });
}
