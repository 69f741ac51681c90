/**
 * Corrections of @apollo/query-planner's entity fetches, where its plans
 * give wrong answers:
 *
 * - Fields behind @requires with arguments (`comments(limit: 1) { id }`):
 *   the planner's `requires` has no arguments, and it fetches the field once
 *   for everyone (the client's `comments`, another @requires'
 *   `price(currency: "EUR")`), so the representation carries the wrong
 *   value. Here each required field that takes arguments is fetched under
 *   an alias of its own, with the arguments of the @requires, next to where
 *   the planner fetched it; the representation reads the alias and renames
 *   it back (a KeyRenamer input rewrite). Where the planner already fetches
 *   it under its own name with exactly those arguments, it is read there:
 *   a copy would miss the fields later fetches add to its objects (a
 *   sub-selection another subgraph resolves). Fields of one fetch that need the
 *   same field with different arguments go to separate fetches, run in
 *   parallel.
 * - Fields with a @requires that the fetch asks under @skip/@include,
 *   beside others: the planner builds one representation for all, and
 *   fetches the conditional field's requirements under that condition
 *   only, so when it is false every entity is dropped. Such fields get a
 *   representation of their own (key and their requirements), built or
 *   dropped apart from the others'.
 * - A representation built on a key the target subgraph cannot resolve
 *   (`@key(..., resolvable: false)` there, another subgraph's key): the
 *   planner's key is replaced by one the subgraph resolves, and its fields
 *   are fetched where the entity came from.
 *
 * A fetch whose fields come from where this cannot find (no earlier fetch
 * selects them at that path) is left as the planner made it.
 */
import type { FetchDataRewrite, FetchNode, QueryPlanInlineFragmentNode, QueryPlanSelectionNode } from '@apollo/query-planner';
import type { FieldNode, InlineFragmentNode, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { EntityMetadata } from './entity-metadata.js';
import { FetchOperation } from './fetch-operation.js';
import { operationOf, type FetchSite } from './plan-fetches.js';

const { Kind, print } = graphqlRuntime;

type Path = readonly (string | number)[];

/** A required field that takes arguments: fetched under `alias`, renamed back to `name` in the representation. */
interface AliasedField {
  typeName: string;
  /** Fields between the entity and this one. */
  parentPath: string[];
  name: string;
  alias: string;
  /** The field as the @requires writes it (arguments, sub-selection), aliased. */
  selection: FieldNode;
  /**
   * The planner already fetches it under its own name with these arguments: read where it is,
   * neither copied nor renamed (the fetches that complete its objects go on working on it).
   */
  inPlace?: boolean;
}

/** One field the fetch asks of an entity type, and what its @requires needs. */
interface AskedField {
  typeName: string;
  responseName: string;
  /** Its @skip/@include (and those of the fragments around it in the fetch) as text; '' when it has none. */
  condition: string;
  required?: QueryPlanSelectionNode[];
  /** The top-level fields of its @requires, as the planner's representation names them. */
  requiredNames: string[];
  aliased: AliasedField[];
}

/** Aliases shared by a whole plan: one per required field and arguments. */
export class RequiredAliases {
  private readonly byText = new Map<string, string>();
  aliasFor(text: string): string {
    let alias = this.byText.get(text);
    if (!alias) this.byText.set(text, (alias = `_bheemRequired${this.byText.size}`));
    return alias;
  }
}

class NotCorrectable extends Error {}

/** A selection set as the plan's `requires` writes one; fields that take arguments become their aliases. */
function toPlanSelections(
  set: SelectionSetNode,
  typeName: string,
  parentPath: string[],
  context: { metadata: EntityMetadata; aliases: RequiredAliases; aliased: AliasedField[] } | undefined,
): QueryPlanSelectionNode[] {
  return set.selections.map((selection): QueryPlanSelectionNode => {
    if (selection.kind !== Kind.FIELD) throw new NotCorrectable('fragments in a field set');
    const name = selection.name.value;
    if (context && context.metadata.takesArguments(typeName, name)) {
      const withoutAlias: FieldNode = { ...selection, alias: undefined };
      const alias = context.aliases.aliasFor(print({ ...withoutAlias, selectionSet: undefined }));
      context.aliased.push({ typeName, parentPath, name, alias, selection: { ...withoutAlias, alias: { kind: Kind.NAME, value: alias } } });
      return { kind: 'Field', name: alias, selections: selection.selectionSet && toPlanSelections(selection.selectionSet, '', [], undefined) };
    }
    const fieldType = context?.metadata.fieldType(typeName, name) ?? '';
    return { kind: 'Field', name, selections: selection.selectionSet && toPlanSelections(selection.selectionSet, fieldType, [...parentPath, name], context) };
  });
}

/** A field's name and arguments as text (no alias, no sub-selection): two fields alike fetch the same value. */
function fieldCall(field: FieldNode): string {
  return print({ ...field, alias: undefined, selectionSet: undefined });
}

/** `selections` with the aliases of fields read in place (see AliasedField.inPlace) back to their names. */
function unaliased(selections: QueryPlanSelectionNode[], aliased: readonly AliasedField[]): QueryPlanSelectionNode[] {
  const names = new Map(aliased.filter((alias) => alias.inPlace).map((alias) => [alias.alias, alias.name]));
  if (names.size === 0) return selections;
  const rename = (nodes: QueryPlanSelectionNode[]): QueryPlanSelectionNode[] =>
    nodes.map((node) =>
      node.kind === 'Field'
        ? { ...node, name: names.get(node.name) ?? node.name, selections: node.selections && rename(node.selections) }
        : { ...node, selections: rename(node.selections) },
    );
  return rename(selections);
}

/** `selections` with fields of one response name (and fragments of one type) merged. */
function mergeSelections(selections: readonly QueryPlanSelectionNode[]): QueryPlanSelectionNode[] {
  const merged = new Map<string, QueryPlanSelectionNode>();
  for (const selection of selections) {
    const key = selection.kind === 'Field' ? (selection.alias ?? selection.name) : `... on ${selection.typeCondition ?? ''}`;
    const known = merged.get(key);
    if (!known) merged.set(key, selection);
    else if (known.selections || selection.selections) {
      merged.set(key, { ...known, selections: mergeSelections([...(known.selections ?? []), ...(selection.selections ?? [])]) } as QueryPlanSelectionNode);
    }
  }
  return [...merged.values()];
}

/** Whether `selections` hold every field of `key` (sub-selections too). */
function holdsKey(selections: readonly QueryPlanSelectionNode[], key: SelectionSetNode): boolean {
  return key.selections.every((selection) => {
    if (selection.kind !== Kind.FIELD) return false;
    const held = selections.find((candidate) => candidate.kind === 'Field' && candidate.name === selection.name.value);
    if (!held) return false;
    return !selection.selectionSet || holdsKey(held.selections ?? [], selection.selectionSet);
  });
}

function samePrefix(prefix: Path, path: Path): boolean {
  return prefix.length <= path.length && prefix.every((element, index) => element === path[index]);
}

/** Where, in the latest fetch before this one, the objects at `path` are given a field `found` picks: the selection set to add to. */
function findHolder(earlier: readonly FetchSite[], path: Path, found: (field: FieldNode) => boolean): { site: FetchSite; holder: SelectionSetNode } | undefined {
  for (let index = earlier.length - 1; index >= 0; index--) {
    const site = earlier[index]!;
    if (site.replaced || !samePrefix(site.path, path)) continue;
    const operation = operationOf(site);
    const sets = operation.selectionSetsAt(path.slice(site.path.length));
    const hit = operation.fieldsWithin(sets).find(({ field }) => found(field));
    if (hit) return { site, holder: hit.holder };
  }
  return undefined;
}

interface TypeCorrection {
  fragment: QueryPlanInlineFragmentNode;
  /** The key the representation is built on (the planner's, or one the subgraph resolves). */
  key: QueryPlanSelectionNode[];
  keyFixed?: SelectionSetNode;
  /** Fields of the type with a @requires are asked under different conditions: a representation per condition. */
  byCondition: boolean;
}

/** Corrects one entity fetch (see the file's comment); leaves it alone when it needs nothing or cannot be corrected. */
export function correctEntityFetch(site: FetchSite, earlier: readonly FetchSite[], metadata: EntityMetadata, aliases: RequiredAliases): void {
  try {
    correct(site, earlier, metadata, aliases);
  } catch (error) {
    if (!(error instanceof NotCorrectable)) throw error;
  }
}

function correct(site: FetchSite, earlier: readonly FetchSite[], metadata: EntityMetadata, aliases: RequiredAliases): void {
  const { fetch } = site;
  const service = fetch.serviceName;
  const asked: AskedField[] = [];
  for (const fragment of entityFragments(operationOf(site))) {
    const typeName = fragment.typeCondition!.name.value;
    for (const { field: selection, condition } of sameTypeFields(fragment.selectionSet.selections, typeName, conditionText(fragment))) {
      const required = metadata.requiredBy(service, typeName, selection.name.value);
      const aliased: AliasedField[] = [];
      asked.push({
        typeName,
        responseName: selection.alias?.value ?? selection.name.value,
        condition,
        required: required && toPlanSelections(required, typeName, [], { metadata, aliases, aliased }),
        requiredNames: required ? required.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : [])) : [],
        aliased,
      });
    }
  }

  const byType = new Map<string, TypeCorrection>();
  for (const fragment of fetch.requires ?? []) {
    if (fragment.kind !== 'InlineFragment' || !fragment.typeCondition) continue;
    const typeName = fragment.typeCondition;
    const ofType = asked.filter((field) => field.typeName === typeName);
    const requiredNames = new Set(ofType.flatMap((field) => field.requiredNames));
    const hasAliases = ofType.some((field) => field.aliased.length > 0);
    const byCondition = new Set(ofType.map((field) => field.condition)).size > 1 && ofType.some((field) => field.condition !== '' && field.requiredNames.length > 0);
    // The planner's key: its representation minus __typename and the fields @requires asks.
    const key = samePlanTypeFields(fragment.selections, typeName).filter((selection) => selection.name !== '__typename' && !requiredNames.has(selection.name));
    const resolvable = metadata.resolvableKeys(service, typeName);
    const keyFixed = resolvable.length > 0 && !resolvable.some((candidate) => holdsKey(key, candidate)) ? resolvable[0] : undefined;
    if (hasAliases || keyFixed || byCondition) byType.set(typeName, { fragment, key: keyFixed ? toPlanSelections(keyFixed, typeName, [], undefined) : key, keyFixed, byCondition });
  }
  if (byType.size === 0) return;

  // Where each aliased field and each fixed key is fetched from: all found, or nothing changes.
  const additions: { site: FetchSite; holder: SelectionSetNode; selections: readonly (FieldNode | SelectionSetNode['selections'][number])[] }[] = [];
  const added = new Map<string, boolean>();
  for (const field of asked) {
    if (!byType.has(field.typeName)) continue;
    for (const alias of field.aliased) {
      const text = `${field.typeName}\n${alias.parentPath.join('.')}\n${print(alias.selection)}`;
      const known = added.get(text);
      if (known !== undefined) {
        alias.inPlace = known;
        continue;
      }
      const at = [...site.path, ...alias.parentPath];
      alias.inPlace = findHolder(earlier, at, (candidate) => !candidate.alias && fieldCall(candidate) === fieldCall(alias.selection)) !== undefined;
      added.set(text, alias.inPlace);
      if (alias.inPlace) continue;
      const found = findHolder(earlier, at, (candidate) => candidate.name.value === alias.name);
      if (!found) return;
      additions.push({ ...found, selections: [alias.selection] });
    }
    if (field.required) field.required = unaliased(field.required, field.aliased);
  }
  for (const correction of byType.values()) {
    if (!correction.keyFixed) continue;
    const names = new Set(['__typename', ...samePlanTypeFields(correction.fragment.selections, correction.fragment.typeCondition!).map((selection) => selection.name)]);
    const found = findHolder(earlier, site.path, (candidate) => names.has(candidate.name.value));
    if (!found) return;
    additions.push({ ...found, selections: correction.keyFixed.selections });
  }
  for (const { site: provider, holder, selections } of additions) operationOf(provider).add(holder, selections as FieldNode[]);

  const groups = separateConflicts(asked);
  const fetches = groups.map((group) => correctedFetch(fetch, group, byType, groups.length > 1));
  if (fetches.length === 1) {
    site.fetch = Object.assign(fetch, fetches[0]);
    site.parsed = undefined;
    return;
  }
  site.replaced = true;
  site.replace({ kind: 'Parallel', nodes: fetches });
}

/** A selection's @skip/@include as text ('' without). */
function conditionText(selection: FieldNode | InlineFragmentNode): string {
  return (selection.directives ?? [])
    .filter((directive) => directive.name.value === 'skip' || directive.name.value === 'include')
    .map((directive) => print(directive))
    .join(' ');
}

/**
 * The fields of a selection on `typeName`, with those of fragments on that same type inside it (the planner nests some:
 * `... on User { ... on User { email } }`), each with the conditions it is asked under (`outer`'s, then its own).
 */
function sameTypeFields(selections: SelectionSetNode['selections'], typeName: string, outer: string): { field: FieldNode; condition: string }[] {
  const within = (inner: string) => [outer, inner].filter((text) => text !== '').join(' ');
  return selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [{ field: selection, condition: within(conditionText(selection)) }];
    if (selection.kind !== Kind.INLINE_FRAGMENT || (selection.typeCondition && selection.typeCondition.name.value !== typeName)) return [];
    return sameTypeFields(selection.selectionSet.selections, typeName, within(conditionText(selection)));
  });
}

/** The same, of a plan's `requires`. */
function samePlanTypeFields(selections: readonly QueryPlanSelectionNode[], typeName: string): Extract<QueryPlanSelectionNode, { kind: 'Field' }>[] {
  return selections.flatMap((selection) => {
    if (selection.kind === 'Field') return [selection];
    if (selection.typeCondition && selection.typeCondition !== typeName) return [];
    return samePlanTypeFields(selection.selections, typeName);
  });
}

/** The inline fragments under `_entities` (one per entity type the fetch asks fields of). */
function entityFragments(operation: FetchOperation): InlineFragmentNode[] {
  return operation
    .roots()
    .flatMap((set) => set.selections.filter((selection): selection is InlineFragmentNode => selection.kind === Kind.INLINE_FRAGMENT && selection.typeCondition !== undefined));
}

/** The asked fields in groups whose representations agree: no group needs one field with two sets of arguments. */
function separateConflicts(asked: readonly AskedField[]): AskedField[][] {
  const groups: { fields: AskedField[]; aliasAt: Map<string, string> }[] = [];
  for (const field of asked) {
    const places = field.aliased.map((alias) => [`${field.typeName}\n${[...alias.parentPath, alias.name].join('.')}`, alias.alias] as const);
    let group = groups.find((candidate) => places.every(([place, alias]) => (candidate.aliasAt.get(place) ?? alias) === alias));
    if (!group) groups.push((group = { fields: [], aliasAt: new Map() }));
    group.fields.push(field);
    for (const [place, alias] of places) group.aliasAt.set(place, alias);
  }
  return groups.map((group) => group.fields);
}

/**
 * Whether `fragment`, one of the planner's representations of its type, is the one for `field`'s @requires: the
 * one holding every field it requires (each such representation is built or dropped as a whole, so one field's
 * missing requirement, skipped or failed, must not hold back another's). A type's only representation serves all.
 */
function serves(fragment: QueryPlanInlineFragmentNode, field: AskedField, ofType: readonly QueryPlanInlineFragmentNode[]): boolean {
  if (ofType.length === 1) return true;
  const holds = (candidate: QueryPlanInlineFragmentNode) =>
    field.requiredNames.every((name) => samePlanTypeFields(candidate.selections, candidate.typeCondition!).some((selection) => selection.name === name));
  return holds(fragment) || !ofType.some(holds);
}

/** The fetch for one group: its fields only (when split), representations of the corrected key and aliased fields, renamed back. */
function correctedFetch(fetch: FetchNode, group: readonly AskedField[], byType: ReadonlyMap<string, TypeCorrection>, split: boolean): FetchNode {
  const requires = (fetch.requires ?? []).flatMap((fragment) => {
    if (fragment.kind !== 'InlineFragment' || !fragment.typeCondition) return [fragment];
    const correction = byType.get(fragment.typeCondition);
    if (!correction) return [fragment];
    const ofType = (fetch.requires ?? []).filter((other) => other.kind === 'InlineFragment' && other.typeCondition === fragment.typeCondition);
    const served = group.filter((field) => field.typeName === fragment.typeCondition && serves(fragment, field, ofType as QueryPlanInlineFragmentNode[]));
    const representation = (fields: readonly AskedField[]) => ({
      ...fragment,
      selections: mergeSelections([{ kind: 'Field', name: '__typename' }, ...correction.key, ...fields.flatMap((field) => field.required ?? [])]),
    });
    if (!correction.byCondition) return [representation(served)];
    // The unconditional fields' representation first, then one per condition: each built or dropped as a whole.
    const conditions = [...new Set(['', ...served.map((field) => field.condition)])];
    return conditions.map((condition) => representation(served.filter((field) => field.condition === condition)));
  });
  const renames: FetchDataRewrite[] = [];
  const renamed = new Set<string>();
  for (const field of group) {
    for (const alias of field.aliased) {
      if (alias.inPlace) continue;
      const path = [`... on ${field.typeName}`, ...alias.parentPath, alias.alias];
      if (renamed.has(path.join('\n'))) continue;
      renamed.add(path.join('\n'));
      renames.push({ kind: 'KeyRenamer', path, renameKeyTo: alias.name });
    }
  }
  const inputRewrites = [...renames, ...(fetch.inputRewrites ?? [])];
  let operation = fetch.operation;
  if (split) {
    const own = new FetchOperation(fetch.operation, true);
    const kept = new Set(group.map((field) => `${field.typeName}\n${field.responseName}`));
    for (const entity of own.roots()) {
      const fragments = entity.selections.flatMap((selection) => {
        if (selection.kind !== Kind.INLINE_FRAGMENT || !selection.typeCondition) return [selection];
        const typeName = selection.typeCondition.name.value;
        const selections = selection.selectionSet.selections.filter((inner) => inner.kind !== Kind.FIELD || kept.has(`${typeName}\n${inner.alias?.value ?? inner.name.value}`));
        // A type none of whose fields this group asks is left out (an empty selection set is no GraphQL).
        return selections.some((inner) => inner.kind !== Kind.FIELD || inner.name.value !== '__typename')
          ? [{ ...selection, selectionSet: { ...selection.selectionSet, selections } }]
          : [];
      });
      (entity as { selections: unknown }).selections = fragments;
    }
    operation = own.print();
  }
  return { ...fetch, operation, operationDocumentNode: undefined, requires, inputRewrites: inputRewrites.length > 0 ? inputRewrites : undefined };
}
