/**
 * What the tenant-isolation suite needs to know of the composed supergraph,
 * read from it rather than listed by hand, so that every entity type of
 * every subgraph registered later is covered without editing the suite:
 * the entity types and the subgraphs that resolve them, root fields by id,
 * root list fields, and selections of every field a subgraph serves.
 */
import {
  Kind,
  buildASTSchema,
  getNamedType,
  isListType,
  isNonNullType,
  parse,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type TypeNode,
} from 'graphql';
import type { SubgraphName } from '../../../platform/config.js';
import { readSchemaFile } from '../../../platform/paths.js';

export interface EntityType {
  name: string;
  /** Subgraphs with a resolvable `@key` for it (each has a `__resolveReference` to test). */
  resolvedBy: SubgraphName[];
}

const argument = (directive: ConstDirectiveNode, name: string) => {
  const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
  return value && 'value' in value ? value.value : undefined;
};

export function readCatalog(supergraphSdl: string) {
  const document = parse(supergraphSdl);
  const graphNames = new Map<string, SubgraphName>();
  const entities = new Map<string, EntityType>();
  for (const definition of document.definitions) {
    if (definition.kind === 'EnumTypeDefinition' && definition.name.value === 'join__Graph') {
      for (const value of definition.values ?? []) {
        const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
        if (graph) graphNames.set(value.name.value, argument(graph, 'name') as SubgraphName);
      }
    }
  }
  for (const definition of document.definitions) {
    if (definition.kind !== 'ObjectTypeDefinition') continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'join__type' || argument(directive, 'key') === undefined) continue;
      if (argument(directive, 'resolvable') === false) continue;
      const entity = entities.get(definition.name.value) ?? { name: definition.name.value, resolvedBy: [] };
      entity.resolvedBy.push(graphNames.get(argument(directive, 'graph') as string)!);
      entities.set(entity.name, entity);
    }
  }
  const schema = buildASTSchema(document, { assumeValidSDL: true });
  const queryType = schema.getQueryType()!;
  const hasRequiredArgs = (field: GraphQLField<unknown, unknown>) => field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const entityFieldsOf = (type: GraphQLObjectType) => Object.values(type.getFields()).filter((field) => entities.has(getNamedType(field.type).name) && !hasRequiredArgs(field));

  return {
    entities: [...entities.values()],
    /** `course(id: ID!): Course` and the like. */
    rootFieldsById: Object.values(queryType.getFields())
      .filter((field) => entities.has(getNamedType(field.type).name) && !isListType(isNonNullType(field.type) ? field.type.ofType : field.type))
      .filter((field) => field.args.length === 1 && field.args[0]!.name === 'id')
      .map((field) => ({ field: field.name, type: getNamedType(field.type).name })),
    /**
     * One query over every root list of entities, two levels deep through
     * every entity-typed field: what a viewer can reach, as (type, id) pairs.
     */
    reachQuery: (() => {
      const lists = Object.values(queryType.getFields()).filter(
        (field) => entities.has(getNamedType(field.type).name) && !hasRequiredArgs(field) && isListType(isNonNullType(field.type) ? field.type.ofType : field.type),
      );
      const select = (type: GraphQLObjectType, depth: number): string =>
        depth === 0
          ? 'id __typename'
          : `id __typename ${entityFieldsOf(type)
              .map((field) => `${field.name} { ${select(getNamedType(field.type) as GraphQLObjectType, depth - 1)} }`)
              .join(' ')}`;
      return `{ ${lists.map((field) => `${field.name} { ${select(getNamedType(field.type) as GraphQLObjectType, 2)} }`).join(' ')} }`;
    })(),
  };
}

/** Every (type, id) pair in a response, at any depth. */
export function collectEntities(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) collectEntities(item, into);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.__typename === 'string' && typeof record.id === 'string') into.add(`${record.__typename}:${record.id}`);
    for (const item of Object.values(record)) collectEntities(item, into);
  }
  return into;
}

const BUILT_IN_SCALARS = new Set(['ID', 'String', 'Int', 'Float', 'Boolean']);

/**
 * Fields of a type as one subgraph's SDL declares them (definitions and
 * extensions together), read from the AST: @apollo/subgraph's schema lives
 * in another graphql realm than ours, so no graphql-js type checks here.
 */
function subgraphFields(subgraph: SubgraphName, typename: string) {
  const document = parse(readSchemaFile(subgraph));
  const leaves = new Set(BUILT_IN_SCALARS);
  const fields: FieldDefinitionNode[] = [];
  const enums = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.SCALAR_TYPE_DEFINITION) leaves.add(definition.name.value);
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      leaves.add(definition.name.value);
      enums.set(
        definition.name.value,
        (definition.values ?? []).map((value) => value.name.value),
      );
    }
    if ((definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) && definition.name.value === typename) {
      fields.push(...(definition.fields ?? []));
    }
  }
  if (fields.length === 0) throw new Error(`${subgraph} does not define ${typename}`);
  const namedType = (node: TypeNode): string => (node.kind === Kind.NAMED_TYPE ? node.name.value : namedType(node.type));
  return { fields, leaves, enums, namedType };
}

const directive = (field: FieldDefinitionNode, name: string) => field.directives?.find((candidate) => candidate.name.value === name);

/**
 * An `_entities` call on one subgraph for one entity: every field it serves
 * (no required arguments), and a representation carrying what its
 * `@requires` ask for, filled with the most privileged value (the first of
 * an enum: TEACHER for viewerRole) so that only the subgraph's own checks
 * stand between the caller and the data.
 */
export function entitiesCall(subgraph: SubgraphName, typename: string, id: string) {
  const { fields, leaves, enums, namedType } = subgraphFields(subgraph, typename);
  const representation: Record<string, unknown> = { __typename: typename, id };
  const selections: string[] = [];
  for (const field of fields) {
    const requires = directive(field, 'requires');
    for (const required of String(requires ? argument(requires, 'fields') : '')
      .split(/\s+/)
      .filter(Boolean)) {
      const requiredField = fields.find((candidate) => candidate.name.value === required);
      representation[required] = requiredField ? (enums.get(namedType(requiredField.type))?.[0] ?? null) : null;
    }
    if (directive(field, 'external') || field.arguments?.some((arg) => arg.type.kind === Kind.NON_NULL_TYPE && !arg.defaultValue)) continue;
    const type = namedType(field.type);
    // A connection is always an object: what it carries is its edges.
    selections.push(leaves.has(type) ? field.name.value : type.endsWith('Connection') ? `${field.name.value} { edges { __typename } }` : `${field.name.value} { __typename }`);
  }
  return {
    query: `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selections.join(' ')} } } }`,
    variables: { representations: [representation] },
  };
}

/** True when an entity answer carries anything beyond its key: a field with a value, a non-empty list, a connection with edges. */
export function carriesData(entity: Record<string, unknown> | null | undefined): boolean {
  if (!entity) return false;
  const empty = (value: unknown) =>
    value === null || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && 'edges' in value && (value as { edges: unknown[] }).edges.length === 0);
  return Object.entries(entity).some(([key, value]) => key !== 'id' && key !== '__typename' && !empty(value));
}
