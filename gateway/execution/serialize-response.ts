/**
 * The client's `data` as JSON text, straight from the data merged out of
 * subgraph responses: only the fields the operation asked, in its order,
 * under its aliases, with `__typename` from the runtime type, leaf values
 * checked against their types, and a null where a non-null type has none
 * bubbling up to the nearest nullable parent (GraphQL's rules). Writing the
 * text while shaping spares building an answer tree only to stringify it.
 * Like @apollo/gateway, the errors this raises are returned apart: the
 * caller ships them only when the fetches themselves failed nowhere.
 */
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { SelectionShape, ValueShape } from './response-shape.js';

// Errors of Apollo's graphql-js instance, which Apollo Server recognises (and keeps their paths).
const { GraphQLError } = graphqlRuntime;
type GraphQLError = InstanceType<typeof GraphQLError>;

type Json = Record<string, unknown>;
type Path = (string | number)[];

interface ShapingRun {
  path: Path;
  errors: GraphQLError[];
}

function invalidGraphQL(message: string, path: Path): GraphQLError {
  return new GraphQLError(message, { path: [...path], extensions: { code: 'INVALID_GRAPHQL' } });
}

function describe(path: Path, typeName: string, parentType: string): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? `field ${parentType}.${last}` : `array element of type ${typeName} at index ${String(last)}`;
}

/** A leaf value that passed its type's check, as JSON. */
function leafJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return JSON.stringify(value) ?? 'null'; // custom scalars
  }
}

/** A non-null input value as JSON (`path` ends with its key); null means "no value" (an error may have been recorded). */
function valueJson(input: unknown, shape: ValueShape, run: ShapingRun, parentType: string): string | null {
  if (shape.isValid !== undefined) {
    if (shape.isValid(input)) return leafJson(input);
    run.errors.push(invalidGraphQL(`Invalid value found for ${describe(run.path, shape.typeName, parentType)}.`, run.path));
    return null;
  }
  if (shape.item !== undefined) {
    if (!Array.isArray(input)) {
      run.errors.push(invalidGraphQL(`Invalid non-list value found for ${describe(run.path, shape.typeName, parentType)}.`, run.path));
      return null;
    }
    const item = shape.item;
    let json = '[';
    let nullified = false;
    for (let index = 0; index < input.length; index++) {
      const value = input[index] as unknown;
      run.path.push(index);
      const before = run.errors.length;
      const completed = value === null || value === undefined ? null : valueJson(value, item, run, parentType);
      if (completed === null && item.nonNull) {
        if (run.errors.length === before) {
          run.errors.push(invalidGraphQL(`Cannot return null for non-nullable ${describe(run.path, item.typeName, parentType)}.`, run.path));
        }
        nullified = true; // the whole list is null; go on to report every item
      }
      run.path.pop();
      if (index > 0) json += ',';
      json += completed ?? 'null';
    }
    return nullified ? null : `${json}]`;
  }
  if (typeof input !== 'object' || Array.isArray(input)) {
    run.errors.push(invalidGraphQL(`Invalid non-object value found for ${describe(run.path, shape.typeName, parentType)}.`, run.path));
    return null;
  }
  return objectJson(input as Json, shape.object!, run, parentType);
}

function objectJson(input: Json, shape: SelectionShape, run: ShapingRun, parentType: string): string | null {
  const typename = input.__typename;
  const type = shape.fieldsFor(typeof typename === 'string' ? typename : undefined);
  if (type === undefined) {
    run.errors.push(invalidGraphQL(`Invalid __typename found for object at ${describe(run.path, shape.type.name, parentType)}.`, run.path));
    return null;
  }
  if (!type.valid) return null;
  let json = '{';
  const fields = type.fields;
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index]!;
    if (index > 0) json += ',';
    if (field.isTypename) {
      json += field.key + type.typeNameJson;
      continue;
    }
    const value = input[field.responseName];
    let completed: string | null = null;
    const before = run.errors.length;
    if (value !== null && value !== undefined) {
      if (field.value.isValid !== undefined && field.value.isValid(value)) {
        completed = leafJson(value); // the common case, without touching the path
      } else {
        run.path.push(field.responseName);
        completed = valueJson(value, field.value, run, type.typeName);
        run.path.pop();
      }
    }
    if (completed === null && field.value.nonNull) {
      if (run.errors.length === before) {
        run.path.push(field.responseName);
        run.errors.push(invalidGraphQL(`Cannot return null for non-nullable field ${type.typeName}.${field.responseName}.`, run.path));
        run.path.pop();
      }
      return null;
    }
    json += field.key + (completed ?? 'null');
  }
  return `${json}}`;
}

/** The `data` of a whole operation as JSON: 'null' when a non-null root field has no value. */
export function serializeResponse(input: Json, root: SelectionShape): { json: string; errors: GraphQLError[] } {
  const run: ShapingRun = { path: [], errors: [] };
  return { json: objectJson(input, root, run, root.type.name) ?? 'null', errors: run.errors };
}
