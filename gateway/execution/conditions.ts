/**
 * @skip and @include, and @defer's `if`, decided per request from the
 * operation's Boolean variables (the planner makes a Condition node of a
 * @defer(if: $d): the plan with the fragment deferred, and the plan with it
 * inline). The planner turns those on what one fetch cannot decide into
 * Condition nodes and leaves the others in the subgraph operations, so the
 * data a subgraph sends already follows them; shaping the answer must
 * follow them too (a skipped non-null field is absent, not null). Shapes are
 * therefore compiled per combination of the condition variables' values,
 * which the operation's few conditions keep small.
 */
import type { DirectiveNode, DocumentNode, OperationDefinitionNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { Kind, visit } = graphqlRuntime;

export type Conditions = Readonly<Record<string, boolean>>;

interface ConditionVariable {
  name: string;
  /** Its default when the request gives none; without one, @defer's `if` is true, @skip/@include's false. */
  fallback: boolean;
}

const isCondition = (directive: DirectiveNode) => directive.name.value === 'skip' || directive.name.value === 'include';

/** The variables @skip/@include and @defer's `if` read in the document, with their defaults; empty when none does. */
export function conditionVariables(document: DocumentNode, operation: OperationDefinitionNode): ConditionVariable[] {
  /** Each variable, and whether only @defer reads it. */
  const names = new Map<string, boolean>();
  visit(document, {
    Directive(node) {
      const defer = node.name.value === 'defer';
      if (!defer && !isCondition(node)) return;
      const value = node.arguments?.find((argument) => argument.name.value === 'if')?.value;
      if (value?.kind === Kind.VARIABLE) names.set(value.name.value, defer && names.get(value.name.value) !== false);
    },
  });
  return [...names].map(([name, deferOnly]) => {
    const definition = operation.variableDefinitions?.find((candidate) => candidate.variable.name.value === name);
    const value = definition?.defaultValue;
    return { name, fallback: value?.kind === Kind.BOOLEAN ? value.value : deferOnly };
  });
}

/** The condition variables' values for one request (its variables already coerce). */
export function conditionValues(variables: readonly ConditionVariable[], given: Record<string, unknown>): Conditions {
  const values: Record<string, boolean> = {};
  for (const { name, fallback } of variables) {
    const value = given[name];
    values[name] = value === undefined || value === null ? fallback : value === true;
  }
  return values;
}

/** A cache key of one combination of values. */
export const conditionsKey = (conditions: Conditions) =>
  Object.values(conditions)
    .map((value) => (value ? '1' : '0'))
    .join('');

/** Whether a field or fragment with these directives is part of the answer. */
export function included(directives: readonly DirectiveNode[] | undefined, conditions: Conditions | undefined): boolean {
  if (!directives?.length) return true;
  for (const directive of directives) {
    if (!isCondition(directive)) continue;
    const value = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    let condition = false;
    if (value?.kind === Kind.BOOLEAN) condition = value.value;
    else if (value?.kind === Kind.VARIABLE) condition = conditions?.[value.name.value] ?? false;
    if (directive.name.value === 'skip' ? condition : !condition) return false;
  }
  return true;
}
