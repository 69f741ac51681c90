/**
 * The client's answer from the data merged out of subgraph responses: only
 * the fields the operation asked, in its order, under its aliases, with
 * `__typename` from the runtime type, leaf values checked against their
 * types, and a null where a non-null type has none bubbling up to the
 * nearest nullable parent (GraphQL's rules). Like @apollo/gateway, the
 * errors this raises are returned apart: the caller ships them only when
 * the fetches themselves failed nowhere (see plan-executor.ts).
 */
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { RawJson } from './raw-json.js';
import type { SelectionShape, TypeFields, ValueShape } from './response-shape.js';

// Errors of Apollo's graphql-js instance, which Apollo Server recognises (and keeps their paths).
const { GraphQLError } = graphqlRuntime;
type GraphQLError = InstanceType<typeof GraphQLError>;

type Json = Record<string, unknown>;
type Path = (string | number)[];

interface ShapingRun {
  path: Path;
  errors: GraphQLError[];
  /** Whether the answer may share the input's objects and lists that are already in its form (see inShape). */
  reuse: boolean;
  /** Values kept as text taken into the answer so far. */
  raw: number;
  /** The answer's objects and lists that hold such text, at any depth (answer-chunks.ts writes those by hand). */
  spliced?: Set<object>;
}

function markSpliced(run: ShapingRun, value: object): void {
  (run.spliced ??= new Set()).add(value);
}

function invalidGraphQL(message: string, path: Path): GraphQLError {
  return new GraphQLError(message, { path: [...path], extensions: { code: 'INVALID_GRAPHQL' } });
}

function describe(path: Path, typeName: string, parentType: string): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? `field ${parentType}.${last}` : `array element of type ${typeName} at index ${String(last)}`;
}

/** Completes a non-null input value (`path` ends with its key); null means "no value" (an error may have been recorded). */
function completeValue(input: unknown, shape: ValueShape, run: ShapingRun, parentType: string): unknown {
  if (input instanceof RawJson) {
    // Checked against this very shape as it was read (entity-answer-reader.ts); else shaped as JSON.parse makes it.
    if (run.reuse && input.shape === shape) {
      run.raw++;
      return input;
    }
    input = input.value();
  }
  if (shape.isValid !== undefined) {
    if (shape.isValid(input)) return input;
    run.errors.push(invalidGraphQL(`Invalid value found for ${describe(run.path, shape.typeName, parentType)}.`, run.path));
    return null;
  }
  if (shape.item !== undefined) {
    if (!Array.isArray(input)) {
      run.errors.push(invalidGraphQL(`Invalid non-list value found for ${describe(run.path, shape.typeName, parentType)}.`, run.path));
      return null;
    }
    const item = shape.item;
    // Reusing, the input list itself while every item completes to itself: a copy only from the first that does not.
    let output = run.reuse ? undefined : new Array<unknown>(input.length);
    let nullified = false;
    const rawBefore = run.raw;
    for (let index = 0; index < input.length; index++) {
      const value = input[index] as unknown;
      run.path.push(index);
      const before = run.errors.length;
      const completed = value === null || value === undefined ? null : completeValue(value, item, run, parentType);
      if (completed === null && item.nonNull) {
        if (run.errors.length === before) {
          run.errors.push(invalidGraphQL(`Cannot return null for non-nullable ${describe(run.path, item.typeName, parentType)}.`, run.path));
        }
        nullified = true; // the whole list is null; go on to report every item
      }
      if (output === undefined && completed !== value) output = input.slice(0, index);
      if (output !== undefined) output[index] = completed;
      run.path.pop();
    }
    if (nullified) return null;
    const list = output ?? input;
    if (run.raw !== rawBefore) markSpliced(run, list);
    return list;
  }
  if (typeof input !== 'object' || Array.isArray(input)) {
    run.errors.push(invalidGraphQL(`Invalid non-object value found for ${describe(run.path, shape.typeName, parentType)}.`, run.path));
    return null;
  }
  return completeObject(input as Json, shape.object!, run, parentType);
}

/**
 * Whether an object of leaves is already its own answer: its keys exactly the fields' response names in their
 * order, `__typename` the runtime type's, each leaf valid or a null where the type allows one. Such objects (the
 * live classes of a course list, as their subgraph wrote them) are not copied: nothing in them would change.
 */
function inShape(input: Json, type: TypeFields): boolean {
  const fields = type.fields;
  let index = 0;
  for (const key in input) {
    const field = fields[index++];
    if (field === undefined || key !== field.responseName) return false;
    const value = input[key];
    if (field.isTypename) {
      if (value !== type.typeName) return false;
    } else if (value === null) {
      if (field.value.nonNull) return false;
    } else if (value === undefined || !field.value.isValid!(value)) return false;
  }
  return index === fields.length;
}

function completeObject(input: Json, shape: SelectionShape, run: ShapingRun, parentType: string): Json | null {
  const typename = input.__typename;
  const type = shape.fieldsFor(typeof typename === 'string' ? typename : undefined);
  if (type === undefined) {
    run.errors.push(invalidGraphQL(`Invalid __typename found for object at ${describe(run.path, shape.type.name, parentType)}.`, run.path));
    return null;
  }
  if (!type.valid) return null;
  if (run.reuse && type.leaves && inShape(input, type)) return input;
  const output: Json = {};
  const rawBefore = run.raw;
  const fields = type.fields;
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index]!;
    const name = field.responseName;
    if (field.isTypename) {
      field.store(output, type.typeName);
      continue;
    }
    const value = input[field.source];
    let completed: unknown = null;
    const before = run.errors.length;
    if (value !== null && value !== undefined) {
      if (field.value.isValid !== undefined && field.value.isValid(value)) {
        completed = value; // the common case, without touching the path
      } else {
        run.path.push(name);
        completed = completeValue(value, field.value, run, type.typeName);
        run.path.pop();
      }
    }
    if (completed === null && field.value.nonNull) {
      if (run.errors.length === before) {
        run.path.push(name);
        run.errors.push(invalidGraphQL(`Cannot return null for non-nullable field ${type.typeName}.${name}.`, run.path));
        run.path.pop();
      }
      return null;
    }
    field.store(output, completed);
  }
  if (run.raw !== rawBefore) markSpliced(run, output);
  return output;
}

/** Shapes one object at `path` of the response (a part @defer put off); null when a non-null field of it has no value. */
export function shapeObject(input: Json, shape: SelectionShape, path: readonly (string | number)[]): { data: Json | null; errors: GraphQLError[] } {
  const run: ShapingRun = { path: [...path], errors: [], reuse: false, raw: 0 };
  const data = completeObject(input, shape, run, shape.type.name);
  return { data, errors: run.errors };
}

/**
 * Shapes the merged data of a whole operation; `data` null when a non-null root field has no value. With `reuse`,
 * the answer shares the input's objects and lists already in their answer's form: only for input that nothing
 * changes afterwards (not the primary part of @defer, whose deferred fetches merge into the same objects), and
 * it takes values kept as text (raw-json.ts) as they are, naming in `spliced` the containers that hold them.
 */
export function shapeResponse(input: Json, root: SelectionShape, reuse = false): { data: Json | null; errors: GraphQLError[]; spliced?: ReadonlySet<object> } {
  const run: ShapingRun = { path: [], errors: [], reuse, raw: 0 };
  const data = completeObject(input, root, run, root.type.name);
  return { data, errors: run.errors, spliced: run.spliced };
}
