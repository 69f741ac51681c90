/**
 * The operation's selection set, compiled once per cached plan into what
 * shaping a response needs: per runtime type, the fields to copy in order
 * (fragments and repeated fields merged as GraphQL's CollectFields does),
 * each with its wrapped type and a check for leaf values. Compiled lazily:
 * a type's fields are collected the first time an object of it is shaped.
 */
import type {
  FieldNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLObjectType,
  GraphQLNamedType,
  GraphQLOutputType,
  GraphQLSchema,
  SelectionSetNode,
  FragmentDefinitionNode,
} from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { oneByte } from '../supergraph/one-byte-names.js';
import { included, type Conditions } from './conditions.js';
import { setterOf } from './property-setters.js';

// The API schema comes from Apollo's packages: inspect it with their graphql-js instance.
const { isAbstractType, isCompositeType, isEnumType, isListType, isNonNullType, isObjectType, isScalarType, getNamedType, Kind } = graphqlRuntime;

/** How a value of one (wrapped) type is completed. */
export interface ValueShape {
  nonNull: boolean;
  /** For lists: the items' shape. */
  item?: ValueShape;
  /** For composite types: the merged sub-selections. */
  object?: SelectionShape;
  /** For leaves: whether a value is valid for the type. */
  isValid?: (value: unknown) => boolean;
  /** The named type, for error messages. */
  typeName: string;
}

export interface FieldShape {
  responseName: string;
  /**
   * Stores the field's value into an answer object under its response name (property-setters.ts): shaping's
   * `output[name] = value` was one store site for every name and type, megamorphic (~0.25 k instructions a store:
   * the course list's ~400 a request, bench/README-results.md, session 28).
   */
  store: (target: Record<string, unknown>, value: unknown) => void;
  /** Its key in the merged data: the response name, or the alias planning gave the field (ShapeContext.readFrom). */
  source: string;
  /** `__typename`, answered by the gateway from the object's runtime type. */
  isTypename: boolean;
  value: ValueShape;
}

/** The fields of one selection shape for one runtime type. */
export interface TypeFields {
  typeName: string;
  /** False when the runtime type is unknown or not an object while `__typename` is asked: the object becomes null. */
  valid: boolean;
  fields: FieldShape[];
  /**
   * Every field a leaf or `__typename`, read under its response name: an input object already in this form can be
   * the answer's own (shape-response.ts).
   */
  leaves: boolean;
}

export interface ShapeContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  /** The values of @skip/@include's variables this shape is for (conditions.ts). */
  conditions?: Conditions;
  /** The operation's fields the plan answers under an alias of ours (client-argument-aliases.ts): that alias. */
  readFrom?: ReadonlyMap<FieldNode, string>;
}

/** The check of custom scalars: any value (entity-answer-reader.ts then need not read a string to check it). */
export const acceptsAnything = (_value: unknown) => true;

const isInteger = (value: unknown) => typeof value === 'number' && Number.isInteger(value);

/** Mirrors @apollo/federation-internals' isValidLeafValue: custom scalars accept anything. */
function leafCheck(type: GraphQLNamedType): (value: unknown) => boolean {
  if (isEnumType(type)) {
    const values = new Set(type.getValues().map((value) => value.name));
    return (value) => typeof value === 'string' && values.has(value);
  }
  switch (type.name) {
    case 'Boolean':
      return (value) => typeof value === 'boolean';
    case 'Int':
      return isInteger;
    case 'ID':
      return (value) => typeof value === 'string' || isInteger(value);
    case 'Float':
      return (value) => typeof value === 'number' && Number.isFinite(value);
    case 'String':
      return (value) => typeof value === 'string';
    default:
      return isScalarType(type) ? acceptsAnything : () => false;
  }
}

/** `__schema` and `__type` of the query type (answered by introspection over the API schema, see introspection.ts). */
function metaField(name: string, runtime: GraphQLCompositeType, schema: GraphQLSchema) {
  if (runtime !== schema.getQueryType()) return undefined;
  if (name === '__schema') return graphqlRuntime.SchemaMetaFieldDef;
  if (name === '__type') return graphqlRuntime.TypeMetaFieldDef;
  return undefined;
}

export class SelectionShape {
  private readonly byType = new Map<string, TypeFields>();

  constructor(
    readonly type: GraphQLCompositeType,
    private readonly selectionSets: readonly SelectionSetNode[],
    private readonly context: ShapeContext,
  ) {}

  /** The fields for an object whose `__typename` is `typename` (or the static type when the data has none). */
  fieldsFor(typename: string | undefined): TypeFields | undefined {
    const key = typename ?? this.type.name;
    let fields = this.byType.get(key);
    if (fields === undefined) {
      const runtime = this.context.schema.getType(key);
      if (!runtime || !isCompositeType(runtime)) return undefined;
      fields = this.collect(runtime);
      this.byType.set(key, fields);
    }
    return fields;
  }

  private applies(condition: string | undefined, runtime: GraphQLCompositeType): boolean {
    if (condition === undefined || condition === runtime.name) return true;
    const type = this.context.schema.getType(condition);
    if (!type || !isAbstractType(type)) return false;
    // With no __typename in the data, `runtime` may itself be abstract: an interface can implement the condition.
    return this.context.schema.isSubType(type, runtime as GraphQLObjectType);
  }

  private collect(runtime: GraphQLCompositeType): TypeFields {
    const grouped = new Map<string, FieldNode[]>();
    const visit = (selectionSet: SelectionSetNode) => {
      for (const selection of selectionSet.selections) {
        if (!included(selection.directives, this.context.conditions)) continue;
        if (selection.kind === Kind.FIELD) {
          // One-byte keys keep the answer one-byte even when the operation's text is not (one-byte-names.ts).
          const responseName = oneByte(selection.alias?.value ?? selection.name.value);
          const group = grouped.get(responseName);
          if (group) group.push(selection);
          else grouped.set(responseName, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(selection.typeCondition?.name.value, runtime)) visit(selection.selectionSet);
        } else {
          const fragment = this.context.fragments[selection.name.value];
          if (fragment && this.applies(fragment.typeCondition.name.value, runtime)) visit(fragment.selectionSet);
        }
      }
    };
    for (const selectionSet of this.selectionSets) visit(selectionSet);

    const fields: FieldShape[] = [];
    for (const [responseName, nodes] of grouped) {
      const name = nodes[0]!.name.value;
      if (name === '__typename') {
        fields.push({ responseName, store: setterOf(responseName), source: responseName, isTypename: true, value: { nonNull: true, typeName: 'String' } });
        continue;
      }
      const definition =
        'getFields' in runtime ? ((runtime.getFields()[name] ?? metaField(name, runtime, this.context.schema)) as GraphQLField<unknown, unknown> | undefined) : undefined;
      if (!definition) continue; // only on a union without __typename in the data: nothing to shape
      const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      // The fields of one response name share name and arguments (validation): aliased alike.
      const alias = this.context.readFrom?.get(nodes[0]!);
      fields.push({
        responseName,
        store: setterOf(responseName),
        source: alias === undefined ? responseName : oneByte(alias),
        isTypename: false,
        value: this.valueShape(definition.type, subSelections),
      });
    }
    // As @apollo/gateway: asking __typename of an object whose runtime type is unknown nulls the object.
    const valid = isObjectType(runtime) || !fields.some((field) => field.isTypename);
    const leaves = fields.every((field) => field.isTypename || (field.value.isValid !== undefined && field.source === field.responseName));
    return { typeName: oneByte(runtime.name), valid, fields, leaves };
  }

  private valueShape(type: GraphQLOutputType, subSelections: SelectionSetNode[]): ValueShape {
    const nonNull = isNonNullType(type);
    const inner = nonNull ? type.ofType : type;
    const typeName = getNamedType(inner).name;
    if (isListType(inner)) return { nonNull, typeName, item: this.valueShape(inner.ofType, subSelections) };
    if (isCompositeType(inner)) return { nonNull, typeName, object: new SelectionShape(inner, subSelections, this.context) };
    return { nonNull, typeName, isValid: leafCheck(inner) };
  }
}

/** The root selection shape of an operation. */
export function rootShape(root: GraphQLCompositeType, selectionSet: SelectionSetNode, context: ShapeContext): SelectionShape {
  return new SelectionShape(root, [selectionSet], context);
}

/**
 * The selection shape of the objects at a Flatten path of the plan (keys of the data, '@' crossing a list), or
 * undefined when the path does not name fields of the shape or crosses an abstract type (its fields vary by type).
 */
export function shapeAt(root: SelectionShape, path: readonly (string | number)[]): SelectionShape | undefined {
  let selection = root;
  let value: ValueShape | undefined;
  for (const segment of path) {
    if (segment === '@') {
      if (value?.item === undefined) return undefined;
      value = value.item;
      continue;
    }
    if (value !== undefined) {
      while (value.item !== undefined) value = value.item; // a field name applying to each item, as collect() allows
      if (value.object === undefined) return undefined;
      selection = value.object;
    }
    if (typeof segment !== 'string' || !isObjectType(selection.type)) return undefined;
    value = selection.fieldsFor(undefined)?.fields.find((field) => field.source === segment)?.value;
    if (value === undefined) return undefined;
  }
  if (value === undefined) return selection;
  while (value.item !== undefined) value = value.item;
  return value.object;
}
