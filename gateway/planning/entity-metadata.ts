/**
 * What the plan corrections need to know of each subgraph's entities, read
 * once from the supergraph: the keys a subgraph can resolve an entity by
 * (`@key` without `resolvable: false`), the field set each field
 * `@requires`, and which fields take arguments (so that a required
 * `price(currency: "EUR")` is told apart from `price`).
 */
import type { Subgraph, Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema, SelectionSetNode } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';

const { parse, isObjectType, isInterfaceType, getNamedType } = graphqlRuntime;

/** A field set of @key or @requires as graphql-js parses a selection set. */
export function parseFieldSet(fields: string): SelectionSetNode {
  const document = parse(`{${fields}}`, { noLocation: true });
  return (document.definitions[0] as { selectionSet: SelectionSetNode }).selectionSet;
}

export class EntityMetadata {
  private readonly subgraphs = new Map<string, Subgraph>();
  private readonly keys = new Map<string, SelectionSetNode[]>();
  private readonly requires = new Map<string, SelectionSetNode | null>();

  constructor(
    supergraph: Supergraph,
    /** The supergraph as graphql-js (field arguments, field types). */
    readonly schema: GraphQLSchema,
  ) {
    for (const subgraph of supergraph.subgraphs()) this.subgraphs.set(subgraph.name, subgraph);
  }

  /** The keys subgraph `service` resolves type `typeName` by (empty when it resolves none, or has no such type). */
  resolvableKeys(service: string, typeName: string): SelectionSetNode[] {
    const cacheKey = `${service}\n${typeName}`;
    let keys = this.keys.get(cacheKey);
    if (!keys) {
      keys = [];
      const subgraph = this.subgraphs.get(service);
      const type = subgraph?.schema.type(typeName);
      if (subgraph && type && 'appliedDirectivesOf' in type) {
        for (const key of type.appliedDirectivesOf(subgraph.metadata().keyDirective())) {
          const { fields, resolvable } = key.arguments();
          if (resolvable !== false) keys.push(parseFieldSet(String(fields)));
        }
      }
      this.keys.set(cacheKey, keys);
    }
    return keys;
  }

  /** The field set `typeName.fieldName` requires in subgraph `service`, if it has a @requires. */
  requiredBy(service: string, typeName: string, fieldName: string): SelectionSetNode | undefined {
    const cacheKey = `${service}\n${typeName}\n${fieldName}`;
    let required = this.requires.get(cacheKey);
    if (required === undefined) {
      required = null;
      const subgraph = this.subgraphs.get(service);
      const type = subgraph?.schema.type(typeName);
      const field = type && 'field' in type ? type.field(fieldName) : undefined;
      const applied = subgraph && field ? field.appliedDirectivesOf(subgraph.metadata().requiresDirective())[0] : undefined;
      if (applied) required = parseFieldSet(String(applied.arguments().fields));
      this.requires.set(cacheKey, required);
    }
    return required ?? undefined;
  }

  /** Whether `typeName.fieldName` takes arguments in the supergraph. */
  takesArguments(typeName: string, fieldName: string): boolean {
    const type = this.schema.getType(typeName);
    if (!isObjectType(type) && !isInterfaceType(type)) return false;
    return (type.getFields()[fieldName]?.args.length ?? 0) > 0;
  }

  /** The named type of `typeName.fieldName` in the supergraph. */
  fieldType(typeName: string, fieldName: string): string | undefined {
    const type = this.schema.getType(typeName);
    if (!isObjectType(type) && !isInterfaceType(type)) return undefined;
    const field = type.getFields()[fieldName];
    return field && getNamedType(field.type).name;
  }
}
