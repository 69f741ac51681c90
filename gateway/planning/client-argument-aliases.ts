/**
 * Apollo's query planner merges a client's field with the one a @requires
 * adds when they share a response name, and keeps the @requires' arguments:
 * a client asking `tracks(first: 1)` next to a field that requires
 * `tracks(first: 3) { artist }` would get three tracks. Before planning,
 * such a client field is given an alias of ours, which the planner keeps
 * apart; shaping the answer reads the field there and writes the client's
 * response name (response-shape.ts, by `readFrom`). Done once per planned
 * operation; operations asking no such field are planned unchanged.
 *
 * The same for a client alias named like a field a @fromContext reads on an
 * ancestor (`currency: id` where a context is `$store { currency }`): the
 * planner would ask the context field alone under that name. And for one
 * named like a field of a @key or a @requires (`id: name` where the key is
 * `id`): the planner keeps the key field under that name and drops the
 * client's.
 */
import { isFederationDirectiveDefinedInSchema, parseContext, type Supergraph } from '@apollo/federation-internals';
import type { ArgumentNode, DocumentNode, FieldNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { parseFieldSet } from './entity-metadata.js';

const { Kind, print, visit } = graphqlRuntime;

/** Names no client is expected to use (the planner's own aliases have another form). */
const ALIAS_PREFIX = '_bheemAsked_';

/** Field name to the argument lists (as printed) the supergraph's @requires ask it with, at any depth. */
export type RequiredArguments = ReadonlyMap<string, ReadonlySet<string>>;

function argumentsText(argumentNodes: readonly ArgumentNode[] | undefined): string {
  if (!argumentNodes?.length) return '';
  return argumentNodes
    .map((argument) => `${argument.name.value}: ${print(argument.value)}`)
    .sort()
    .join(', ');
}

export function requiredArguments(supergraph: Supergraph): RequiredArguments {
  const found = new Map<string, Set<string>>();
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const text = argumentsText(selection.arguments);
      if (text) {
        let texts = found.get(selection.name.value);
        if (!texts) found.set(selection.name.value, (texts = new Set()));
        texts.add(text);
      }
      if (selection.selectionSet) collect(selection.selectionSet);
    }
  };
  for (const subgraph of supergraph.subgraphs()) {
    for (const application of subgraph.metadata().requiresDirective().applications()) {
      collect(parseFieldSet(String(application.arguments().fields)));
    }
  }
  return found;
}

/** Every field name of a field set, at any depth (inline fragments included), into `names`. */
function addFieldNames(set: SelectionSetNode, names: Set<string>): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) names.add(selection.name.value);
    if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) addFieldNames(selection.selectionSet, names);
  }
}

/** Field names of the supergraph's @key and @requires field sets, at any depth: fields the planner adds to fetches. */
export function keyAndRequiredFieldNames(supergraph: Supergraph): ReadonlySet<string> {
  const names = new Set<string>();
  const collect = (set: SelectionSetNode) => addFieldNames(set, names);
  for (const subgraph of supergraph.subgraphs()) {
    const metadata = subgraph.metadata();
    for (const directive of [metadata.keyDirective(), metadata.requiresDirective()]) {
      for (const application of directive.applications()) collect(parseFieldSet(String(application.arguments().fields)));
    }
  }
  return names;
}

/** Field names the supergraph's @fromContext selections read on ancestors. */
export function contextFieldNames(supergraph: Supergraph): ReadonlySet<string> {
  const names = new Set<string>();
  const collect = (set: SelectionSetNode) => addFieldNames(set, names);
  for (const subgraph of supergraph.subgraphs()) {
    const directive = subgraph.metadata().fromContextDirective();
    if (!isFederationDirectiveDefinedInSchema(directive)) continue;
    for (const application of directive.applications()) {
      // `$store { currency }` gives ` { currency }`; `$listing ... on Gallery { city }`, the fragment alone.
      const selection = parseContext(String(application.arguments().field)).selection?.trim();
      if (selection) collect(parseFieldSet(selection.startsWith('{') ? selection.slice(1, selection.lastIndexOf('}')) : selection));
    }
  }
  return names;
}

export interface AliasedOperation {
  /** The operation the planner is given. */
  document: DocumentNode;
  /** The client's fields (nodes of its own document) that the plan answers under an alias: where to read them. */
  readFrom: ReadonlyMap<FieldNode, string>;
}

/**
 * The client's fields a @requires asks by the same name with other arguments, and its aliases named like a field the
 * planner adds (`plannerFields`: context, key and @requires fields), aliased; undefined when there are none. Decided by field name and arguments alone, whatever the type: an alias too many costs nothing but the
 * fetch's own field. Left out: subscriptions, whose events @apollo/gateway's executor shapes by the client's document.
 */
export function aliasClientArguments(document: DocumentNode, required: RequiredArguments, plannerFields: ReadonlySet<string>): AliasedOperation | undefined {
  if (required.size === 0 && plannerFields.size === 0) return undefined;
  const readFrom = new Map<FieldNode, string>();
  let excluded = false;
  const aliasOf = (node: FieldNode, responseName: string): FieldNode => {
    const alias = `${ALIAS_PREFIX}${responseName}`;
    readFrom.set(node, alias);
    return { ...node, alias: { kind: Kind.NAME, value: alias } };
  };
  const aliased = visit(document, {
    OperationDefinition(node) {
      if (node.operation === 'subscription') excluded = true;
    },
    Field(node) {
      const alias = node.alias?.value;
      if (alias !== undefined && alias !== node.name.value && plannerFields.has(alias)) return aliasOf(node, alias);
      const asked = required.get(node.name.value);
      if (!asked || (node.alias && node.alias.value !== node.name.value)) return undefined;
      const text = argumentsText(node.arguments);
      if (asked.size === 1 && asked.has(text)) return undefined;
      return aliasOf(node, node.name.value);
    },
  });
  return excluded || readFrom.size === 0 ? undefined : { document: aliased, readFrom };
}
