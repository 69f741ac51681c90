/**
 * Random valid queries (and mutations, where the schema has them: a third
 * of the operations) over an API schema, for the differential check
 * (random-operations.test.ts): nested selections to a bounded depth, aliases
 * (the same field twice with different arguments, aliases named like other
 * fields), __typename anywhere, inline and named fragments on abstract and
 * object types, @include/@skip with literal and variable conditions, and
 * arguments as literals or variables. Argument values come from the suite's
 * own operations (so that lookups find something) and from a few defaults.
 *
 * Validity by construction: every response name in a selection scope
 * (fragments merge into their parent's scope) is recorded with the fields it
 * stands for, and a name is reused only where graphql-js's
 * OverlappingFieldsCanBeMerged allows it (the same field and arguments, or
 * fields on distinct object types with the same type). The result is still
 * validated: an invalid one is a defect of this file.
 */
import type { GraphQLArgument, GraphQLCompositeType, GraphQLField, GraphQLInputType, GraphQLInterfaceType, GraphQLNamedType, GraphQLObjectType, GraphQLSchema } from 'graphql';
import { graphqlRuntime as g } from '../../../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { ConformanceOperation } from './conformance-case.js';
import type { SeededRandom } from './seeded-random.js';

export interface RandomOperation {
  query: string;
  variables: Record<string, unknown>;
}

/** Argument values by argument name (and input field name), as the suite's operations use them. */
export type ArgumentPool = Map<string, unknown[]>;

export function argumentPoolOf(operations: readonly ConformanceOperation[]): ArgumentPool {
  const pool: ArgumentPool = new Map();
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    // A list's items too: a list argument's items are generated one by one, by the same name.
    if (Array.isArray(value)) for (const item of value) add(name, item);
    const values = pool.get(name) ?? [];
    if (!values.some((known) => JSON.stringify(known) === JSON.stringify(value))) values.push(value);
    pool.set(name, values);
    if (typeof value === 'object' && !Array.isArray(value)) for (const [key, inner] of Object.entries(value as object)) add(key, inner);
  };
  for (const operation of operations) {
    g.visit(g.parse(operation.query), {
      Argument: (node) => add(node.name.value, g.valueFromASTUntyped(node.value, operation.variables)),
    });
  }
  return pool;
}

const DEFAULTS: Record<string, unknown[]> = {
  ID: ['1', 'x'],
  String: ['a', ''],
  Int: [0, 1, 2, -1],
  Float: [0.5, 2],
  Boolean: [true, false],
};

interface Variant {
  fieldName: string;
  args: string;
  parent: GraphQLNamedType;
}

/** The response names of one selection scope, each with the fields it stands for and its own child scope. */
type Scope = Map<string, { type: string; variants: Variant[]; child: Scope }>;

export interface GeneratorOptions {
  maxDepth: number;
  pool: ArgumentPool;
}

export function randomOperation(schema: GraphQLSchema, random: SeededRandom, { maxDepth, pool }: GeneratorOptions): RandomOperation {
  const variableDefinitions: string[] = [];
  const variables: Record<string, unknown> = {};
  const fragments: string[] = [];
  let names = 0;
  const fresh = (prefix: string) => `${prefix}${++names}`;

  function inputValue(type: GraphQLInputType, name: string): unknown {
    return !g.isNonNullType(type) && random.chance(0.08) ? null : presentValue(g.getNullableType(type), name);
  }

  function presentValue(type: GraphQLInputType, name: string): unknown {
    if (g.isListType(type)) return Array.from({ length: random.below(3) }, () => inputValue(type.ofType, name));
    if (g.isEnumType(type)) return random.pick(type.getValues()).name;
    if (g.isInputObjectType(type)) {
      const value: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        if (g.isNonNullType(field.type) || random.chance(0.5)) value[field.name] = inputValue(field.type, field.name);
      }
      return value;
    }
    const known = (pool.get(name) ?? []).filter((candidate) => fitsScalar(candidate, type.name));
    const defaults = DEFAULTS[type.name] ?? ['a'];
    return known.length && random.chance(0.8) ? random.pick(known) : random.pick(defaults);
  }

  function argumentText(argument: GraphQLArgument): string {
    const value = inputValue(argument.type, argument.name);
    if (random.chance(0.4)) {
      const variable = fresh('v');
      variableDefinitions.push(`$${variable}: ${argument.type}`);
      variables[variable] = value;
      return `${argument.name}: $${variable}`;
    }
    const literal = g.astFromValue(value, argument.type);
    return `${argument.name}: ${literal ? g.print(literal) : 'null'}`;
  }

  function conditionDirective(): string {
    if (!random.chance(0.2)) return '';
    const directive = random.pick(['include', 'skip']);
    if (random.chance(0.5)) return ` @${directive}(if: ${random.chance(0.5)})`;
    const variable = fresh('c');
    if (random.chance(0.3)) {
      variableDefinitions.push(`$${variable}: Boolean = ${random.chance(0.5)}`);
    } else {
      variableDefinitions.push(`$${variable}: Boolean!`);
      variables[variable] = random.chance(0.5);
    }
    return ` @${directive}(if: $${variable})`;
  }

  /** A response name for `variant` in `scope`: the field's own, an alias named like another field, or a fresh one. */
  function responseName(scope: Scope, variant: Variant, type: string, otherFieldNames: string[]) {
    const fits = (name: string) => {
      const entry = scope.get(name);
      if (!entry) return true;
      if (entry.type !== type) return false;
      return entry.variants.every(
        (known) =>
          (known.fieldName === variant.fieldName && known.args === variant.args) ||
          (g.isObjectType(known.parent) && g.isObjectType(variant.parent) && known.parent !== variant.parent),
      );
    };
    const wanted = random.chance(0.65)
      ? variant.fieldName
      : random.chance(0.3) && otherFieldNames.length
        ? random.pick(otherFieldNames)
        : random.chance(0.3) && scope.size
          ? random.pick([...scope.keys()])
          : fresh('a');
    const name = fits(wanted) ? wanted : fresh('a');
    const entry = scope.get(name) ?? { type, variants: [] as Variant[], child: new Map() as Scope };
    entry.variants.push(variant);
    scope.set(name, entry);
    return { name, child: entry.child, aliased: name !== variant.fieldName };
  }

  function field(parent: GraphQLObjectType | GraphQLInterfaceType, definition: GraphQLField<unknown, unknown>, depth: number, scope: Scope): string {
    const args = definition.args.filter((argument) => g.isNonNullType(argument.type) || random.chance(0.5)).map(argumentText);
    const argsText = args.length ? `(${args.join(', ')})` : '';
    const { name, child, aliased } = responseName(
      scope,
      { fieldName: definition.name, args: argsText, parent },
      String(definition.type),
      Object.keys(parent.getFields()).filter((other) => other !== definition.name),
    );
    const named = g.getNamedType(definition.type);
    const selection = g.isCompositeType(named) ? ` { ${selections(named, depth + 1, child, 0).join(' ')} }` : '';
    return `${aliased ? `${name}: ` : ''}${definition.name}${argsText}${conditionDirective()}${selection}`;
  }

  function typename(parent: GraphQLNamedType, scope: Scope): string {
    const { name, aliased } = responseName(scope, { fieldName: '__typename', args: '', parent }, 'String!', []);
    return `${aliased ? `${name}: ` : ''}__typename${conditionDirective()}`;
  }

  /** Types a fragment inside a selection on `type` may be on: its possible object types, the interfaces they share, itself. */
  function fragmentTypes(type: GraphQLCompositeType): GraphQLCompositeType[] {
    const objects = g.isObjectType(type) ? [type] : [...schema.getPossibleTypes(type)];
    const interfaces = objects.flatMap((object) => object.getInterfaces());
    return [...new Set<GraphQLCompositeType>([type, ...objects, ...interfaces])];
  }

  /** `nesting`: fragments around this selection set within its field (bounded, else fragments could nest without end). */
  function selections(type: GraphQLCompositeType, depth: number, scope: Scope, nesting: number): string[] {
    const fields = g.isUnionType(type) ? [] : Object.values(type.getFields()).filter((candidate) => depth < maxDepth || !g.isCompositeType(g.getNamedType(candidate.type)));
    const count = 1 + random.below(depth === 0 ? 3 : 4);
    const chosen: string[] = [];
    for (let index = 0; index < count; index++) {
      const roll = random.next();
      if (fields.length && roll < 0.6) {
        chosen.push(field(type as GraphQLObjectType, random.pick(fields), depth, scope));
      } else if (roll < 0.72 || nesting >= 2) {
        chosen.push(typename(type, scope));
      } else if (roll < 0.88) {
        const on = random.chance(0.15) ? undefined : random.pick(fragmentTypes(type));
        chosen.push(`...${on ? ` on ${on.name}` : ''}${conditionDirective()} { ${selections(on ?? type, depth, scope, nesting + 1).join(' ')} }`);
      } else {
        const on = random.pick(fragmentTypes(type));
        const name = fresh('F');
        fragments.push(`fragment ${name} on ${on.name} { ${selections(on, depth, scope, nesting + 1).join(' ')} }`);
        chosen.push(`...${name}${conditionDirective()}`);
        if (random.chance(0.2)) chosen.push(`...${name}`);
      }
    }
    return chosen;
  }

  const mutation = schema.getMutationType();
  const kind = mutation && random.chance(1 / 3) ? 'mutation' : 'query';
  const root = selections(kind === 'mutation' ? mutation! : schema.getQueryType()!, 0, new Map(), 0);
  const header = variableDefinitions.length ? `${kind} Random(${variableDefinitions.join(', ')})` : `${kind} Random`;
  const query = [`${header} { ${root.join(' ')} }`, ...fragments].join('\n');
  const errors = g.validate(schema, g.parse(query));
  if (errors.length) throw new Error(`generated an invalid operation (a defect of the generator): ${errors[0]!.message}\n${query}`);
  return { query, variables };
}

function fitsScalar(value: unknown, scalar: string): boolean {
  switch (scalar) {
    case 'Int':
      return Number.isInteger(value);
    case 'Float':
      return typeof value === 'number';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'ID':
    case 'String':
      return typeof value === 'string';
    default:
      return true;
  }
}
