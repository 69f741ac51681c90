/**
 * The shapes of an operation's @defer parts: each Defer plan node names its
 * part by a selection (`{ seen author { name } }`) of the objects at a path
 * of response names; the objects' type is found by following that path
 * through the operation (aliases included). Built once per part and per
 * combination of @skip/@include values, on first use. The planner prints
 * the fields planning aliased (client-argument-aliases.ts) under our alias:
 * they are read there and answered under the client's response name. Fields
 * the authorization filter removed are put back in the part they were asked
 * in, to answer null there (removed-fields.ts): which part that is
 * depends on the parts the plan runs, so on the @defer(if:) values.
 */
import type { FieldNode, FragmentDefinitionNode, GraphQLCompositeType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { conditionsKey, type Conditions } from './conditions.js';
import type { RemovedField } from '../planning/authorization-filter.js';
import type { DeferShapes } from './incremental.js';
import { removedIn, removedSelections } from './removed-fields.js';
import { SelectionShape } from './response-shape.js';

const { parse, getNamedType, isCompositeType, isObjectType, isInterfaceType, Kind, visit } = graphqlRuntime;

/** The fields of response name `name` in these selection sets (fragments opened), each with the type it is asked on. */
function fieldsNamed(
  sets: readonly { set: SelectionSetNode; type: GraphQLCompositeType }[],
  name: string,
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
) {
  const found: { field: FieldNode; type: GraphQLCompositeType }[] = [];
  const visit = (set: SelectionSetNode, type: GraphQLCompositeType) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if ((selection.alias?.value ?? selection.name.value) === name) found.push({ field: selection, type });
      } else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        if (condition && isCompositeType(condition)) visit(fragment.selectionSet, condition);
      }
    }
  };
  for (const { set, type } of sets) visit(set, type);
  return found;
}

/** The type of the objects at `queryPath` in the operation, and the selection sets that ask for them. */
function walk(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, queryPath: readonly string[]) {
  let type: GraphQLCompositeType = schema.getRootType(operation.operation)!;
  let sets: { set: SelectionSetNode; type: GraphQLCompositeType }[] = [{ set: operation.selectionSet, type }];
  for (const element of queryPath) {
    if (element.startsWith('... on ')) {
      const condition = schema.getType(element.slice('... on '.length));
      if (condition && isCompositeType(condition)) type = condition;
      sets = sets.map(({ set }) => ({ set, type }));
      continue;
    }
    const fields = fieldsNamed(sets, element, schema, fragments);
    const first = fields[0];
    const parent = first?.type;
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[first.field.name.value] : undefined;
    const named = definition && getNamedType(definition.type);
    if (!named || !isCompositeType(named)) throw new Error(`No object type at ${queryPath.join('.')} of the operation`);
    type = named;
    sets = fields.flatMap(({ field }) => (field.selectionSet ? [{ set: field.selectionSet, type }] : []));
  }
  return { type, sets };
}

const EMPTY_SELECTION: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: [] };

/**
 * The fields from the objects at `from` down to those at `from` + `steps`, as the operation asks for them (alias,
 * arguments, @skip/@include), with nothing selected at the end: a part holds the objects its deferred parts complete,
 * even when it asks nothing of them itself (`{ me { ... @defer { id } } }` answers `{ me: {} }` first).
 */
function pathTo(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  from: readonly string[],
  steps: readonly string[],
): SelectionSetNode {
  const [step, ...rest] = steps;
  if (step === undefined) return EMPTY_SELECTION;
  const inner = pathTo(schema, operation, fragments, [...from, step], rest);
  if (step.startsWith('... on ')) {
    const typeCondition = { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: step.slice('... on '.length) } } as const;
    return { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.INLINE_FRAGMENT, typeCondition, selectionSet: inner }] };
  }
  const field = fieldsNamed(walk(schema, operation, fragments, from).sets, step, schema, fragments)[0]?.field;
  return field ? { kind: Kind.SELECTION_SET, selections: [{ ...field, selectionSet: inner }] } : EMPTY_SELECTION;
}

/** A planner's selection with our aliases given back the client's response names, and where each such field is read. */
function clientNamed(selectionSet: SelectionSetNode, clientNames: ReadonlyMap<string, string>) {
  const readFrom = new Map<FieldNode, string>();
  const renamed: SelectionSetNode = visit(selectionSet, {
    // On leave: the node returned is the one the finished tree holds.
    leave(node) {
      if (node.kind !== Kind.FIELD || !node.alias) return undefined;
      const clientName = clientNames.get(node.alias.value);
      if (clientName === undefined) return undefined;
      const field: FieldNode = { ...node, alias: { kind: Kind.NAME, value: clientName } };
      readFrom.set(field, node.alias.value);
      return field;
    },
  });
  return { selectionSet: renamed, readFrom };
}

/**
 * A Defer's subselection as a selection set. A part the planner gives no selection (every field of its level
 * deferred: `{ ... @defer { posts { id } } }`, or only `__typename` asked there) is an empty one, which GraphQL's
 * syntax cannot write: `query {}` does not parse.
 */
function selectionSetOf(subselection: string): SelectionSetNode {
  if (/^\{\s*\}$/.test(subselection.trim())) return { kind: Kind.SELECTION_SET, selections: [] };
  return (parse(`query ${subselection}`, { noLocation: true }).definitions[0] as OperationDefinitionNode).selectionSet;
}

/**
 * The operation's meta fields at its root (`__typename`, `__schema`, `__type`), outside any fragment: the planner
 * leaves them out of the primary part's selection (the gateway answers them, no subgraph), so that part's shape adds
 * them back, or the answer would lack them.
 */
function rootMetaFields(operation: OperationDefinitionNode): SelectionSetNode[] {
  const selections = operation.selectionSet.selections.filter((selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'));
  return selections.length > 0 ? [{ kind: Kind.SELECTION_SET, selections }] : [];
}

export function deferShapes(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  clientNames?: ReadonlyMap<string, string>,
  removed?: readonly RemovedField[],
  /** The deferred parts the plan runs for these condition values (removed-fields.ts deferredParts). */
  partsFor?: (conditions: Conditions | undefined) => ReadonlySet<string>,
): (conditions: Conditions | undefined) => DeferShapes {
  const shapes = new Map<string, SelectionShape>();
  const clientPath = (queryPath: readonly string[]) => (clientNames ? queryPath.map((element) => clientNames.get(element) ?? element) : queryPath);
  return (conditions) => (subselection, queryPath, deferred, within) => {
    const part = deferred ? `deferred ${deferred.ref ?? ''}` : 'primary';
    const held = (within ?? []).map((inner) => inner.join('\t')).join('\n');
    const key = `${conditions ? conditionsKey(conditions) : ''}\n${part}\n${queryPath.join('\n')}\n${subselection}\n${held}`;
    let shape = shapes.get(key);
    if (!shape) {
      const printed = selectionSetOf(subselection);
      const { selectionSet, readFrom } = clientNames ? clientNamed(printed, clientNames) : { selectionSet: printed, readFrom: undefined };
      const path = clientPath(queryPath);
      const named = deferred && { queryPath, ref: deferred.ref };
      const asked = removed && partsFor ? removedSelections(removedIn(removed, named, partsFor(conditions), clientNames), named) : [];
      const metaFields = !deferred && queryPath.length === 0 ? rootMetaFields(operation) : [];
      const holds = (within ?? []).map((inner) => pathTo(schema, operation, fragments, path, clientPath(inner).slice(path.length)));
      shape = new SelectionShape(walk(schema, operation, fragments, path).type, [selectionSet, ...metaFields, ...holds, ...asked], { schema, fragments, conditions, readFrom });
      shapes.set(key, shape);
    }
    return shape;
  };
}
