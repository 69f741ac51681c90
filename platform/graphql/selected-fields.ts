/**
 * The names of the fields asked of a resolver's result, one level down,
 * through fragments and inline fragments alike and whatever their
 * @include/@skip: a superset, so that a repository may leave out the
 * columns no asked field needs. graphql-js hands every item of a list the
 * same field nodes, so the answer is kept per those nodes.
 */
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

const cache = new WeakMap<readonly FieldNode[], ReadonlySet<string>>();

export function selectedFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): ReadonlySet<string> {
  let names = cache.get(info.fieldNodes);
  if (names) return names;
  const found = new Set<string>();
  const spread = new Set<string>();
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) found.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  names = found;
  cache.set(info.fieldNodes, names);
  return names;
}
