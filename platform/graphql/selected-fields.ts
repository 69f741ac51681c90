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

const within = new WeakMap<ReadonlySet<string>, WeakMap<ReadonlySet<string>, boolean>>();

/**
 * Whether every name of `fields` (selectedFields' answer) is one of `allowed`: whether a lean read, of the
 * columns behind `allowed` only, answers them. Kept per pair of sets, as every item of a list asks alike.
 */
export function asksOnly(fields: ReadonlySet<string>, allowed: ReadonlySet<string>): boolean {
  let answers = within.get(allowed);
  if (!answers) within.set(allowed, (answers = new WeakMap()));
  let only = answers.get(fields);
  if (only === undefined) {
    only = [...fields].every((field) => allowed.has(field));
    answers.set(fields, only);
  }
  return only;
}
