/**
 * A fetch's operation text as an AST the plan corrections can read and add
 * to: where the objects at a response path are selected (through inline
 * fragments and named fragments), which fields a selection set asks, and
 * selections added next to them. Printed back once changed.
 */
import type { DocumentNode, FieldNode, FragmentDefinitionNode, OperationDefinitionNode, SelectionNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { parse, print, Kind } = graphqlRuntime;

export class FetchOperation {
  readonly document: DocumentNode;
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  changed = false;

  constructor(
    text: string,
    /** An entity fetch: its paths start at the objects under `_entities`. */
    private readonly isEntityFetch: boolean,
  ) {
    this.document = parse(text, { noLocation: true });
    for (const definition of this.document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  get operation(): OperationDefinitionNode {
    return this.document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  }

  /** The selection sets of the objects this fetch answers for: the operation's root, or each entity's. */
  roots(): SelectionSetNode[] {
    const root = this.operation.selectionSet;
    if (!this.isEntityFetch) return [root];
    return this.fieldsNamed([root], '_entities').flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }

  /** The selection sets of the objects at `path` below the roots ('@' crosses a list). */
  selectionSetsAt(path: readonly (string | number)[]): SelectionSetNode[] {
    let sets = this.roots();
    for (const element of path) {
      if (element === '@' || typeof element === 'number') continue;
      sets = this.fieldsNamed(sets, element).flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
    }
    return sets;
  }

  /** The fields of these sets (inline fragments and spreads opened) whose response name is `responseName`. */
  fieldsNamed(sets: readonly SelectionSetNode[], responseName: string): FieldNode[] {
    const found: FieldNode[] = [];
    for (const { field } of this.fieldsWithin(sets)) if ((field.alias?.value ?? field.name.value) === responseName) found.push(field);
    return found;
  }

  /** Every field of these sets, fragments opened, each with the selection set that holds it. */
  fieldsWithin(sets: readonly SelectionSetNode[]): { field: FieldNode; holder: SelectionSetNode }[] {
    const found: { field: FieldNode; holder: SelectionSetNode }[] = [];
    const seen = new Set<string>();
    const visit = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) found.push({ field: selection, holder: set });
        else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
        else if (!seen.has(selection.name.value)) {
          seen.add(selection.name.value);
          const fragment = this.fragments.get(selection.name.value);
          if (fragment) visit(fragment.selectionSet);
        }
      }
    };
    for (const set of sets) visit(set);
    return found;
  }

  /** Adds selections at the end of a selection set of this operation (GraphQL merges fields of one response name). */
  add(set: SelectionSetNode, selections: readonly SelectionNode[]): void {
    (set.selections as SelectionNode[]).push(...selections);
    this.changed = true;
  }

  print(): string {
    return print(this.document);
  }
}
