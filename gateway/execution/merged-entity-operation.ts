/**
 * One `_entities` operation asking what several entity fetches of one
 * subgraph ask about entities of different types (the course page's
 * calendar events of a course and calendar event of each live class): their
 * inline fragments side by side in one selection, their variables declared
 * once. Each representation is of one object type, and the subgraph answers
 * it with the fields of that type's fragment alone, so each fetch's entities
 * get what their own operation would have given them.
 *
 * Only where that holds for certain: each operation a single `_entities`
 * field over `$representations` whose selections are inline fragments on
 * object types of the supergraph, no two operations naming the same type, no
 * directives or named fragments, a variable of one name declared alike in
 * each. Anything else is undefined, and the fetches stay apart.
 */
import type { DocumentNode, InlineFragmentNode, OperationDefinitionNode, VariableDefinitionNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { CompiledFetch } from './compiled-plan.js';
import { oneByte } from '../supergraph/one-byte-names.js';

const { Kind, parse, print, stripIgnoredCharacters } = graphqlRuntime;

interface EntityOperation {
  operation: OperationDefinitionNode;
  fragments: InlineFragmentNode[];
}

function entityOperation(text: string, isObjectType: (name: string) => boolean): EntityOperation | undefined {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch {
    return undefined;
  }
  const [operation, ...others] = document.definitions;
  if (others.length > 0 || operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query' || operation.directives?.length) return undefined;
  const [root, ...rest] = operation.selectionSet.selections;
  if (rest.length > 0 || root?.kind !== Kind.FIELD || root.name.value !== '_entities' || root.alias || root.directives?.length) return undefined;
  const [argument, ...moreArguments] = root.arguments ?? [];
  const overRepresentations =
    moreArguments.length === 0 && argument?.name.value === 'representations' && argument.value.kind === Kind.VARIABLE && argument.value.name.value === 'representations';
  if (!overRepresentations) return undefined;
  const fragments: InlineFragmentNode[] = [];
  for (const selection of root.selectionSet?.selections ?? []) {
    if (selection.kind !== Kind.INLINE_FRAGMENT || !selection.typeCondition || selection.directives?.length) return undefined;
    if (!isObjectType(selection.typeCondition.name.value)) return undefined;
    fragments.push(selection);
  }
  return fragments.length > 0 ? { operation, fragments } : undefined;
}

/** The request for `fetches` (entity fetches of one subgraph, each of its own operation text), or undefined. */
export function mergedEntityOperation(fetches: readonly CompiledFetch[], isObjectType: (name: string) => boolean): CompiledFetch | undefined {
  const first = fetches[0]!;
  const types = new Set<string>();
  const variables = new Map<string, { definition: VariableDefinitionNode; printed: string }>();
  const fragments: InlineFragmentNode[] = [];
  for (const fetch of fetches) {
    if (fetch.serviceName !== first.serviceName || !fetch.requires || fetch.isMutation || fetch.context) return undefined;
    const parsed = entityOperation(fetch.operation, isObjectType);
    if (!parsed) return undefined;
    // Types of one operation may repeat (its own fragments); across operations they must not.
    const own = new Set(parsed.fragments.map((fragment) => fragment.typeCondition!.name.value));
    for (const type of own) {
      if (types.has(type)) return undefined;
    }
    for (const type of own) types.add(type);
    for (const definition of parsed.operation.variableDefinitions ?? []) {
      const printed = print(definition);
      const known = variables.get(definition.variable.name.value);
      if (known && known.printed !== printed) return undefined;
      if (!known) variables.set(definition.variable.name.value, { definition, printed });
    }
    fragments.push(...parsed.fragments);
  }
  const template = entityOperation(first.operation, isObjectType)!.operation;
  const root = template.selectionSet.selections[0]!;
  if (root.kind !== Kind.FIELD) return undefined;
  const operation: OperationDefinitionNode = {
    ...template,
    variableDefinitions: [...variables.values()].map(({ definition }) => definition),
    selectionSet: { kind: Kind.SELECTION_SET, selections: [{ ...root, selectionSet: { kind: Kind.SELECTION_SET, selections: fragments } }] },
  };
  const usages = new Set<string>();
  for (const fetch of fetches) for (const name of fetch.variableUsages) usages.add(name);
  return {
    kind: 'Fetch',
    serviceName: first.serviceName,
    // One-byte, as compiled-plan.ts's texts: a two-byte text makes the whole request body two-byte.
    operation: oneByte(stripIgnoredCharacters(print({ kind: Kind.DOCUMENT, definitions: [operation] }))),
    operationName: first.operationName,
    variableUsages: [...usages],
    isMutation: false,
  };
}
