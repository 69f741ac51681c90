/**
 * Cuts an operation down to what its caller may ask, before it is planned
 * (Apollo Router's filtering): each field whose requirement the caller fails
 * (authorization-rules.ts) is removed, and so is each fragment on a type it
 * may not see; a field left with no selection goes too. Each removal is one
 * UNAUTHORIZED_FIELD_OR_TYPE error at its path, list items written `@` (the
 * path is the operation's, not an answer's). The executor shapes the answer
 * from the original operation, so a removed field answers null (null
 * propagating as GraphQL does); each removed field is kept with the fields
 * above it and the @defer fragments it lies in, so that an incremental
 * answer nulls it in its own part (execution/removed-fields.ts), and so is
 * each fragment refused inside a deferred one (its error goes with that
 * part). A field removed at several places (two fragments asking it) has
 * one error. Each @defer the client left unlabelled is planned under a
 * label of ours (`labels`), so that each part is known by its path and
 * label: two unlabelled fragments at one path are two parts. The same
 * walk lists the requirements an operation meets, so that a plan is cached
 * per set of requirements failed.
 */
import type {
  DirectiveNode,
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
  /** The fields removed, and the fragments refused inside deferred ones, each with its error (one per path, shared). */
  removed: readonly RemovedField[];
  /** The labels given to @defer fragments the client left unlabelled: never shown to the client. */
  labels: ReadonlySet<string>;
}

/** A field of the original operation asked on type `parentType`. */
export interface AskedField {
  field: FieldNode;
  parentType: string;
}

/** A @defer fragment: how many fields of a chain are above it, the label it is planned under, and the @defer fragment it lies in. */
export interface DeferredFragment {
  depth: number;
  /** The client's label, or ours when it gave none. */
  ref: string;
  outer?: DeferredFragment;
}

/** A field removed: its error, the fields from the root down to it, and the innermost @defer fragment it lies in. */
export interface RemovedField {
  error: GraphQLError;
  chain: readonly AskedField[];
  deferred?: DeferredFragment;
  /** Not a field: a fragment on a type refused, below the last of `chain`. Nothing of it answers; only its error. */
  fragment?: true;
}

type Path = readonly string[];

/** Where a walk is: the fields above, and the innermost @defer fragment. */
interface Place {
  chain: readonly AskedField[];
  deferred?: DeferredFragment;
  fragment?: true;
}

const deferDirective = (selection: SelectionNode) => selection.directives?.find((directive) => directive.name.value === 'defer');
const labelOf = (defer: DirectiveNode) => {
  const label = defer.arguments?.find((candidate) => candidate.name.value === 'label')?.value;
  return label?.kind === Kind.STRING ? label.value : undefined;
};

/** The @defer of a fragment, unless `if: false`. */
function deferOf(selection: SelectionNode): DirectiveNode | undefined {
  const defer = deferDirective(selection);
  const condition = defer?.arguments?.find((candidate) => candidate.name.value === 'if')?.value;
  return condition?.kind === Kind.BOOLEAN && !condition.value ? undefined : defer;
}

/** The labels the client gave its @defer fragments. */
function clientLabels(document: DocumentNode): Set<string> {
  const labels = new Set<string>();
  graphqlRuntime.visit(document, {
    Directive(node) {
      const label = node.name.value === 'defer' ? labelOf(node) : undefined;
      if (label !== undefined) labels.add(label);
    },
  });
  return labels;
}

function listDepth(type: GraphQLOutputType): number {
  let depth = 0;
  for (let current: GraphQLOutputType = type; isWrappingType(current); current = current.ofType) if (isListType(current)) depth++;
  return depth;
}

/** One walk of an operation; `refuse` is asked of every requirement met and says whether it is failed. */
class Cut {
  /** Each removal by its path, with each place it was asked at (none for the root type). */
  readonly paths = new Map<string, { path: Path; places: Place[] }>();
  readonly origins = new Map<FieldNode, FieldNode>();
  /** The labels given to unlabelled @defer fragments. */
  readonly labels = new Set<string>();
  private taken: Set<string> | undefined;

  constructor(
    private readonly rules: AuthorizationRules,
    private readonly schema: GraphQLSchema,
    private readonly document: DocumentNode,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly refuse: (requirement: Requirement) => boolean,
  ) {}

  refused(requirement: Requirement | undefined, path: Path, place?: Place): boolean {
    if (!requirement || !this.refuse(requirement)) return false;
    const key = path.join('\u0000');
    let removal = this.paths.get(key);
    if (!removal) this.paths.set(key, (removal = { path, places: [] }));
    if (place) removal.places.push(place);
    return true;
  }

  /** A label for an unlabelled @defer fragment, unlike any of the client's. */
  private label(): string {
    this.taken ??= clientLabels(this.document);
    let label: string;
    for (let n = this.labels.size; ; n++) if (!this.taken.has((label = `bheem:defer:${n}`))) break;
    this.labels.add(label);
    return label;
  }

  /** A fragment's directives with its @defer labelled `ref`. */
  private labelled(directives: readonly DirectiveNode[], defer: DirectiveNode, ref: string): DirectiveNode[] {
    if (labelOf(defer) !== undefined) return [...directives];
    const label = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'label' }, value: { kind: Kind.STRING, value: ref } } as const;
    return directives.map((directive) => (directive === defer ? { ...defer, arguments: [...(defer.arguments ?? []), label] } : directive));
  }

  /** The selection set less what is refused; undefined when nothing is left. */
  selections(set: SelectionSetNode, type: GraphQLCompositeType, path: Path, place: Place): SelectionSetNode | undefined {
    const kept: SelectionNode[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = this.field(selection, type, path, place);
        if (field) kept.push(field);
        continue;
      }
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : this.fragments[selection.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition ? this.schema.getType(fragment.typeCondition.name.value) : type;
      if (!condition || !isCompositeType(condition)) continue;
      if (this.refused(this.rules.type(condition.name), path, { ...place, fragment: true })) continue;
      const defer = deferOf(selection);
      const deferred = defer && { depth: place.chain.length, ref: labelOf(defer) ?? this.label(), outer: place.deferred };
      // A deferred fragment left with nothing is planned as no part: what was removed from it answers in the part it lies in.
      const inner = this.selections(fragment.selectionSet, condition, path, deferred ? { chain: place.chain, deferred } : place);
      // A spread becomes an inline fragment with the spread's directives (@defer, labelled, @skip, @include).
      const directives = defer && deferred ? this.labelled(selection.directives!, defer, deferred.ref) : selection.directives;
      if (inner) kept.push({ kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives, selectionSet: inner });
    }
    return kept.length > 0 ? { kind: Kind.SELECTION_SET, selections: kept } : undefined;
  }

  private field(field: FieldNode, type: GraphQLCompositeType, path: Path, place: Place): FieldNode | undefined {
    const name = field.name.value;
    if (name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) return field;
    const definition = type.getFields()[name];
    if (!definition) return field;
    const key = field.alias?.value ?? name;
    const here = [...path, key];
    const chain = [...place.chain, { field, parentType: type.name }];
    if (this.refused(this.rules.field(type.name, name, getNamedType(definition.type).name), here, { chain, deferred: place.deferred })) return undefined;
    if (!field.selectionSet) return field;
    const below = [...here, ...Array<string>(listDepth(definition.type)).fill('@')];
    const inner = this.selections(field.selectionSet, getNamedType(definition.type) as GraphQLCompositeType, below, { chain, deferred: place.deferred });
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
  const cut = new Cut(rules, schema, document, fragmentsOf(document), refuse);
  const root = schema.getRootType(operation.operation)!;
  const set = cut.refused(rules.type(root.name), []) ? undefined : cut.selections(operation.selectionSet, root, [], { chain: [] });
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
  const errors: GraphQLError[] = [];
  const removed: RemovedField[] = [];
  for (const { path, places } of cut.paths.values()) {
    const error = new graphqlRuntime.GraphQLError('Unauthorized field or type', { path: path.length > 0 ? path : undefined, extensions: { code: UNAUTHORIZED } });
    errors.push(error);
    for (const place of places) removed.push({ error, ...place });
  }
  const filtered: OperationDefinitionNode | undefined = set && { ...operation, selectionSet: set };
  return { document: filtered && { kind: Kind.DOCUMENT, definitions: [filtered] }, errors, origins: cut.origins, removed, labels: cut.labels };
}
