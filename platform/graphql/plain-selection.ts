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

/** What a field's selection asks of one of its fields (`childSelection`). */
export interface ChildSelection {
  /** Whether the field is asked among the selection's own fields (not in a fragment). */
  asked: boolean;
  /** Its plain selection, when it is asked once and its selection is plain. */
  plain: readonly PlainField[] | null;
}

const NOT_ASKED: ChildSelection = { asked: false, plain: null };
const children = new WeakMap<readonly FieldNode[], Map<string, ChildSelection>>();

/**
 * What the field of `info` (asked once) asks of its field `name`: for a resolver reading ahead what its object's
 * fields will ask (a course page's statement writing the course's teachers). Kept per field nodes, as plainSelection.
 */
export function childSelection(info: Pick<GraphQLResolveInfo, 'fieldNodes'>, name: string): ChildSelection {
  let byName = children.get(info.fieldNodes);
  if (!byName) children.set(info.fieldNodes, (byName = new Map()));
  let child = byName.get(name);
  if (child === undefined) {
    child = readChild(info.fieldNodes, name);
    byName.set(name, child);
  }
  return child;
}

function readChild(nodes: readonly FieldNode[], name: string): ChildSelection {
  if (nodes.length !== 1) return NOT_ASKED;
  const found = (nodes[0]!.selectionSet?.selections ?? []).filter((selection): selection is FieldNode => selection.kind === Kind.FIELD && selection.name.value === name);
  if (found.length === 0) return NOT_ASKED;
  return { asked: true, plain: found.length === 1 ? read(found) : null };
}
