/**
 * Cuts an operation down to what its caller may ask, before it is planned
 * (Apollo Router's filtering): each field whose requirement the caller fails
 * (authorization-rules.ts) is removed, and so is each fragment on a type it
 * may not see; a field left with no selection goes too. Each removal is one
 * UNAUTHORIZED_FIELD_OR_TYPE error at its path, list items written `@` (the
 * path is the operation's, not an answer's). The executor shapes the answer
 * from the original operation, so a removed field answers null (null
 * propagating as GraphQL does). The same walk lists the requirements an
 * operation meets, so that a plan is cached per set of requirements failed.
 */
import type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLError,
  GraphQLOutputType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { AuthorizationRules, Requirement } from './authorization-rules.js';

const { getNamedType, isCompositeType, isListType, isWrappingType, isObjectType, isInterfaceType, Kind } = graphqlRuntime;

export const UNAUTHORIZED = 'UNAUTHORIZED_FIELD_OR_TYPE';

export interface FilteredOperation {
  /** The operation less what was removed, its fragments inlined; undefined when nothing is left of it. */
  document: DocumentNode | undefined;
  errors: readonly GraphQLError[];
  /** Each field of `document` to the field of the original operation it was rebuilt from. */
  origins: ReadonlyMap<FieldNode, FieldNode>;
}

type Path = readonly string[];

function listDepth(type: GraphQLOutputType): number {
  let depth = 0;
  for (let current: GraphQLOutputType = type; isWrappingType(current); current = current.ofType) if (isListType(current)) depth++;
  return depth;
}

/** One walk of an operation; `refuse` is asked of every requirement met and says whether it is failed. */
class Cut {
  readonly paths = new Map<string, Path>();
  readonly origins = new Map<FieldNode, FieldNode>();

  constructor(
    private readonly rules: AuthorizationRules,
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly refuse: (requirement: Requirement) => boolean,
  ) {}

  refused(requirement: Requirement | undefined, path: Path): boolean {
    if (!requirement || !this.refuse(requirement)) return false;
    this.paths.set(path.join('\u0000'), path);
    return true;
  }

  /** The selection set less what is refused; undefined when nothing is left. */
  selections(set: SelectionSetNode, type: GraphQLCompositeType, path: Path): SelectionSetNode | undefined {
    const kept: SelectionNode[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = this.field(selection, type, path);
        if (field) kept.push(field);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : this.fragments[selection.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition ? this.schema.getType(fragment.typeCondition.name.value) : type;
      if (!condition || !isCompositeType(condition) || this.refused(this.rules.type(condition.name), path)) continue;
      const inner = this.selections(fragment.selectionSet, condition, path);
      // A spread becomes an inline fragment with the spread's directives (@defer, @skip, @include).
      if (inner) kept.push({ kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: selection.directives, selectionSet: inner });
    }
    return kept.length > 0 ? { kind: Kind.SELECTION_SET, selections: kept } : undefined;
  }

  private field(field: FieldNode, type: GraphQLCompositeType, path: Path): FieldNode | undefined {
    const name = field.name.value;
    if (name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) return field;
    const definition = type.getFields()[name];
    if (!definition) return field;
    const key = field.alias?.value ?? name;
    const here = [...path, key];
    if (this.refused(this.rules.field(type.name, name, getNamedType(definition.type).name), here)) return undefined;
    if (!field.selectionSet) return field;
    const inner = this.selections(field.selectionSet, getNamedType(definition.type) as GraphQLCompositeType, [...here, ...Array<string>(listDepth(definition.type)).fill('@')]);
    if (!inner) return undefined;
    const rebuilt: FieldNode = { ...field, selectionSet: inner };
    this.origins.set(rebuilt, field);
    return rebuilt;
  }
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return fragments;
}

function walk(rules: AuthorizationRules, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, refuse: (requirement: Requirement) => boolean) {
  const cut = new Cut(rules, schema, fragmentsOf(document), refuse);
  const root = schema.getRootType(operation.operation)!;
  const set = cut.refused(rules.type(root.name), []) ? undefined : cut.selections(operation.selectionSet, root, []);
  return { cut, set };
}

/** The distinct requirements an operation meets (none for most): what a caller is checked against. */
export function requirementsOf(rules: AuthorizationRules, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): readonly Requirement[] {
  const met = new Set<Requirement>();
  walk(rules, schema, document, operation, (requirement) => {
    met.add(requirement);
    return false;
  });
  return [...met];
}

/** The operation without what `denied` forbids. */
export function filterOperation(
  rules: AuthorizationRules,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  denied: ReadonlySet<Requirement>,
): FilteredOperation {
  const { cut, set } = walk(rules, schema, document, operation, (requirement) => denied.has(requirement));
  const errors = [...cut.paths.values()].map(
    (path) => new graphqlRuntime.GraphQLError('Unauthorized field or type', { path: path.length > 0 ? path : undefined, extensions: { code: UNAUTHORIZED } }),
  );
  const filtered: OperationDefinitionNode | undefined = set && { ...operation, selectionSet: set };
  return { document: filtered && { kind: Kind.DOCUMENT, definitions: [filtered] }, errors, origins: cut.origins };
}
