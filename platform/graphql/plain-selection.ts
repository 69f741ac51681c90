/**
 * The selection of a list's items when it is plain: one field node, whose
 * sub-fields are fields only, each without arguments, directives or a
 * selection of its own, each response key once. Such a selection is answered
 * by writing each item as `{"key":value,...}` in this order, which is what
 * graphql's completion writes; anything else (fragments, aliases asked twice,
 * @include/@skip, nested objects) is null, for the usual path. Kept per field
 * nodes, which graphql hands every item (and every entity) alike.
 */
import { Kind, type FieldNode, type GraphQLResolveInfo } from 'graphql';

export interface PlainField {
  /** The response key: the alias, or the field's name. */
  key: string;
  field: string;
}

const cache = new WeakMap<readonly FieldNode[], readonly PlainField[] | null>();

export function plainSelection(info: Pick<GraphQLResolveInfo, 'fieldNodes'>): readonly PlainField[] | null {
  let plain = cache.get(info.fieldNodes);
  if (plain === undefined) {
    plain = read(info.fieldNodes);
    cache.set(info.fieldNodes, plain);
  }
  return plain;
}

function read(nodes: readonly FieldNode[]): readonly PlainField[] | null {
  if (nodes.length !== 1) return null;
  const fields: PlainField[] = [];
  const keys = new Set<string>();
  for (const selection of nodes[0]!.selectionSet?.selections ?? []) {
    if (selection.kind !== Kind.FIELD || selection.selectionSet || selection.arguments?.length || selection.directives?.length) return null;
    const key = selection.alias?.value ?? selection.name.value;
    if (keys.has(key)) return null;
    keys.add(key);
    fields.push({ key, field: selection.name.value });
  }
  return fields.length > 0 ? fields : null;
}
