/**
 * Hostile values for every argument of every root Query and Mutation field,
 * through the real gateway (property-based, fast-check). The fields come from
 * the API schema of the supergraph the platform serves, read at run time, so
 * new fields are covered without touching this file.
 *
 * For each argument leaf (an argument, or a field of an input object at any
 * depth, optional ones included) the operation is sent with valid-shaped
 * values everywhere and one hostile value at that leaf, in variables (so
 * wrong types reach the server too). What must hold:
 * - no HTTP 5xx and no INTERNAL_SERVER_ERROR;
 * - a refused mutation writes nothing: a checksum of every subgraph's tables
 *   is the same before and after it.
 *
 * Used by test/hostile-inputs.test.ts (fixed seed, few runs) and by
 * `npm run bench -- --only fuzz` (seed and runs from the environment).
 */
import fc from 'fast-check';
import type { GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLNamedType, GraphQLSchema } from 'graphql';
import { sql, type Kysely } from 'kysely';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSupergraph } from '../../gateway/supergraph/load-supergraph.js';
import { REPO_ROOT } from '../../platform/paths.js';
import { graphqlRuntime as g } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import type { TestPlatform } from './test-platform.js';

/** One place a hostile value can go: a root field and the path of an argument leaf in it. */
export interface FuzzTarget {
  operation: 'query' | 'mutation';
  field: string;
  /** Argument name, then input-object field names. */
  path: string[];
  type: string;
}

export interface FuzzFailure {
  target: string;
  value: unknown;
  as: string;
  reason: string;
}

export interface FuzzCounts {
  targets: number;
  requests: number;
  refused: number;
  accepted: number;
  /** Operations with every argument valid (hostile content inside): how many a service carried out. */
  valid: { requests: number; accepted: number };
  failures: FuzzFailure[];
}

const BIG = '9'.repeat(40);

/** Values that broke or could break something, whatever the argument's type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u0007\u001b[31m',
    'line\r\nbreak',
    '\u2028',
    '\ud800',
    'x\udfffy',
    '\u202eevil',
    '\ufeff',
    '\uffff',
    'é'.normalize('NFD'),
    '👨‍👩‍👧‍👦',
    'null',
    'undefined',
    '-1',
    '0',
    '1e309',
    'NaN',
    "'; DROP TABLE x; --",
    '../../etc/passwd',
    '%00',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
    '${7*7}',
    '<script>',
    '2027-02-30T10:00:00Z',
    '9999-12-31T23:59:59Z',
    '+010000-01-01T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '1899-12-31T23:59:59Z',
    '2027-01-01T25:00:00Z',
    '2027-01-01',
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '101',
    '-101',
    BIG,
    'x'.repeat(70_000),
    '\u0000'.repeat(1_000),
    2147483648,
    -2147483649,
    Number.MAX_SAFE_INTEGER,
    -1,
    0,
    1.5,
    -0.0001,
    1e308,
    Number.MIN_VALUE,
    true,
    false,
    null,
    [],
    [null],
    {},
    { id: '1' },
    [['nested']],
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((date) => date.toISOString()),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);

/** Values every leaf of a type gets, before the random ones: each stands for a class of input that once made a 500 or a bad write. */
export function examplesFor(type: string): unknown[] {
  switch (type.replace(/[[\]!]/g, '')) {
    case 'String':
      return ['a\u0000b', 'x\r\ny', 'lone \ud800', 'x'.repeat(70_000)];
    case 'ID':
      return ['a\u0000b', 'not-a-uuid', '', '-1'];
    case 'DateTime':
      return ['2027-02-30T10:00:00Z', '9999-12-31T23:59:59Z'];
    case 'Int':
    case 'Float':
      return [2_147_483_648, -1];
    default:
      return [type.endsWith(']') || type.endsWith(']!') ? {} : 'NOT_A_VALUE'];
  }
}

const VALID_SCALARS: Record<string, unknown> = {
  String: 'fuzz',
  ID: '00000000-0000-4000-8000-000000000001',
  Int: 1,
  Float: 1,
  Boolean: true,
  DateTime: '2027-01-04T10:00:00Z',
  JSON: {},
};

/** Real ids by type name (from the seeded data), so that valid-shaped operations get past "not found" to the hostile value. */
type IdPool = Map<string, string>;

/** The id an argument named `name` of field `field` most likely wants: `courseId` a Course's, `task(id:)` a Task's. */
function idFor(pool: IdPool, name: string, field: string): string {
  const wanted = name.replace(/Ids?$/, '').toLowerCase();
  for (const [type, id] of pool) if (type.toLowerCase() === wanted) return id;
  const named = [...pool].filter(([type]) => field.toLowerCase().includes(type.toLowerCase())).sort((a, b) => b[0].length - a[0].length)[0];
  return named?.[1] ?? (VALID_SCALARS.ID as string);
}

/** A value of `type` that parses: required input fields filled, optional ones left out unless `including` names them. */
function validValue(type: GraphQLInputType, at: { pool: IdPool; name: string; field: string }, including: string[] = []): unknown {
  if (g.isNonNullType(type)) return validValue(type.ofType, at, including);
  if (g.isListType(type)) return [validValue(type.ofType, at, including)];
  if (g.isEnumType(type)) return type.getValues()[0]!.value;
  if (g.isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    const [next, ...rest] = including;
    for (const field of Object.values(type.getFields())) {
      if (field.name === next) value[field.name] = validValue(field.type, { ...at, name: field.name }, rest);
      else if (g.isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = validValue(field.type, { ...at, name: field.name });
    }
    return value;
  }
  const name = (type as GraphQLNamedType).name;
  if (name === 'ID') return idFor(at.pool, at.name, at.field);
  return VALID_SCALARS[name] ?? 'fuzz';
}

/**
 * Text that passes every input rule (no control characters, no line breaks, paired surrogates)
 * yet has broken things elsewhere: quotes and SQL, markup, template syntax, paths, bidi
 * overrides, combining marks, emoji sequences, non-Latin scripts.
 */
const acceptableText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "O'Brien; DROP TABLE x; --",
    '<script>alert(1)</script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
    '${7*7} {{7*7}}',
    '../../etc/passwd',
    '\u202eevil',
    'e\u0301te\u0301 Zu\u0308rich',
    '👨‍👩‍👧‍👦 family',
    '日本語のテキスト',
    'مرحبا',
    '%00 %s %n',
    ' padded ',
    'a'.repeat(120),
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((text) => !/[\u0000-\u001f\u007f\u2028\u2029]/.test(text)),
);

const FIRST_DAY = Date.UTC(2026, 0, 1);

/** Values of `type` that pass validation (shape and input rules), chosen at random: what gets a request past the checks into the service. */
function validArbitrary(type: GraphQLInputType, at: { pool: IdPool; name: string; field: string }, seen: ReadonlySet<string> = new Set()): fc.Arbitrary<unknown> {
  if (g.isNonNullType(type)) return validArbitrary(type.ofType, at, seen);
  if (g.isListType(type)) return fc.array(validArbitrary(type.ofType, at, seen), { minLength: 1, maxLength: 2 });
  if (g.isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.value));
  if (g.isInputObjectType(type)) {
    const below = new Set(seen).add(type.name);
    const fields = Object.values(type.getFields()).filter((field) => g.isNonNullType(field.type) || !below.has(g.getNamedType(field.type).name));
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of fields) model[field.name] = validArbitrary(field.type, { ...at, name: field.name }, below);
    const required = fields.filter((field) => g.isNonNullType(field.type) && field.defaultValue === undefined).map((field) => field.name);
    return fc.record(model, { requiredKeys: required });
  }
  switch ((type as GraphQLNamedType).name) {
    case 'ID':
      return fc.constant(idFor(at.pool, at.name, at.field));
    case 'Int':
      return fc.integer({ min: 1, max: 60 });
    case 'Float':
      return fc.double({ min: 0, max: 1_000, noNaN: true });
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      // Whole minutes in 2026-2027: inside every date rule, and ranges often in order.
      return fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }).map((minutes) => new Date(FIRST_DAY + minutes * 60_000).toISOString());
    case 'JSON':
      return fc.constant({});
    default:
      return acceptableText;
  }
}

/** The scalar fields of `field`'s type that need no arguments (so that resolvers run, not only __typename). */
function scalarSelection(field: GraphQLField<unknown, unknown>): string {
  const type = g.getNamedType(field.type);
  if (g.isLeafType(type)) return '';
  if (!g.isObjectType(type)) return ' { __typename }';
  const leaves = Object.values(type.getFields()).filter((child) => g.isLeafType(g.getNamedType(child.type)) && child.args.every((arg) => !g.isNonNullType(arg.type)));
  return ` { __typename ${leaves.map((child) => child.name).join(' ')} }`;
}

/** One id of each type that root queries without required arguments list (as `user` sees them). */
async function collectIds(platform: TestPlatform, schema: GraphQLSchema, token: string): Promise<IdPool> {
  const pool: IdPool = new Map();
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    const type = g.getNamedType(field.type);
    if (!g.isObjectType(type) || !type.getFields().id || field.args.some((arg) => g.isNonNullType(arg.type))) continue;
    const { body } = await platform.request({ token, query: `{ ${field.name} { id } }` });
    const value = (body.data as Record<string, unknown> | undefined)?.[field.name];
    const first = (Array.isArray(value) ? value[0] : value) as { id?: string } | undefined;
    if (first?.id && !pool.has(type.name)) pool.set(type.name, first.id);
  }
  return pool;
}

/** The value with `path` (below the argument) replaced by `hostile`. */
function withHostile(value: unknown, path: string[], hostile: unknown): unknown {
  if (path.length === 0) return hostile;
  if (Array.isArray(value)) return value.map((item) => withHostile(item, path, hostile));
  const [head, ...rest] = path;
  return { ...(value as Record<string, unknown>), [head!]: withHostile((value as Record<string, unknown>)[head!], rest, hostile) };
}

/** Every leaf below an input type (input objects expanded, recursion cut at a type already on the path). */
function leaves(type: GraphQLInputType, path: string[], seen: Set<string>): { path: string[]; type: string }[] {
  const named = g.getNamedType(type);
  if (!g.isInputObjectType(named) || seen.has(named.name)) return [{ path, type: String(type) }];
  const below = new Set(seen).add(named.name);
  return [{ path, type: String(type) }, ...Object.values(named.getFields()).flatMap((field) => leaves(field.type, [...path, field.name], below))];
}

export function fuzzTargets(schema: GraphQLSchema): FuzzTarget[] {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;
  return roots.flatMap(([operation, root]) =>
    Object.values(root?.getFields() ?? {}).flatMap((field) =>
      field.args.flatMap((arg) => leaves(arg.type, [arg.name], new Set()).map((leaf) => ({ operation, field: field.name, ...leaf }))),
    ),
  );
}

function operationFor(target: FuzzTarget, field: GraphQLField<unknown, unknown>): string {
  const definitions = field.args.map((arg: GraphQLArgument) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = g.isLeafType(g.getNamedType(field.type)) ? '' : ' { __typename }';
  return `${target.operation} Fuzz${definitions ? `(${definitions})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

/** What the platform has stored: a checksum per table of every subgraph schema (the event outbox included). */
export async function storedState(db: Kysely<any>): Promise<Map<string, string>> {
  const tables = await sql<{ schema: string; name: string }>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema in ('moodle', 'erp', 'meet', 'calendar', 'documents', 'events')
      and table_name not like '%migration%'
    order by 1, 2`.execute(db);
  if (tables.rows.length === 0) return new Map();
  const parts = tables.rows.map(
    ({ schema, name }) =>
      sql`select ${`${schema}.${name}`} as name, count(*)::text || ':' || coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '') as sum from ${sql.table(`${schema}.${name}`)} t`,
  );
  const result = await sql<{ name: string; sum: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return new Map(result.rows.map((row) => [row.name, row.sum]));
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((name) => before.get(name) !== after.get(name));
}

export interface FuzzOptions {
  platform: TestPlatform;
  db: Kysely<any>;
  seed: number;
  /** Hostile values per argument leaf. */
  runsPerTarget: number;
  /** Demo users the operations are sent as (one per run, in turn). */
  users?: string[];
  /** Tables that may change with no mutation involved (background jobs): left out of the comparison. */
  volatileTables?: RegExp;
  /** Operations per root field with every argument valid (validArbitrary) after the hostile leaves. Default 2. */
  validRunsPerField?: number;
}

export async function runHostileFuzz(options: FuzzOptions): Promise<FuzzCounts> {
  const { platform, db, seed, runsPerTarget } = options;
  const users = options.users ?? ['admin', 'sam.student'];
  const volatile = options.volatileTables ?? /^$/;
  const sdl = readFileSync(path.join(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8');
  const schema = loadSupergraph(sdl).apiGraphQLSchema;
  const targets = fuzzTargets(schema);
  const tokens = new Map(await Promise.all(users.map(async (user) => [user, await platform.tokenFor(user)] as const)));
  const counts: FuzzCounts = { targets: targets.length, requests: 0, refused: 0, accepted: 0, valid: { requests: 0, accepted: 0 }, failures: [] };
  const pool = await collectIds(platform, schema, tokens.get(users[0]!)!);
  let state = await storedState(db);
  let turn = 0;

  /**
   * Sends one operation and checks what every answer must hold: JSON, no 5xx,
   * no internal error and, for a refused mutation, no write. Returns the broken
   * rule, if any; `answered` hears whether an answer that got that far was a refusal.
   */
  const send = async (
    user: string,
    operation: { query: string; variables: Record<string, unknown>; field: string; mutation: boolean },
    answered: (refused: boolean) => void,
  ): Promise<string | undefined> => {
    counts.requests++;
    let response: Awaited<ReturnType<TestPlatform['request']>>;
    try {
      response = await platform.request({ token: tokens.get(user), query: operation.query, variables: operation.variables });
    } catch (error) {
      return `no JSON answer: ${(error as Error).message}`;
    }
    const errors = response.body.errors ?? [];
    if (response.status >= 500) return `HTTP ${response.status}: ${errors[0]?.message}`;
    const internal = errors.find((error) => error.extensions?.code === 'INTERNAL_SERVER_ERROR' || !error.extensions?.code);
    if (internal) return `${internal.extensions?.code ?? 'no code'}: ${internal.message}`;
    const refused = errors.length > 0 && (response.body.data as Record<string, unknown> | null | undefined)?.[operation.field] == null;
    answered(refused);
    if (!operation.mutation) return undefined;
    const after = await storedState(db);
    const changed = changedTables(state, after).filter((name) => !volatile.test(name));
    state = after;
    if (refused && changed.length > 0) return `refused (${errors[0]?.extensions?.code}) but wrote to ${changed.join(', ')}`;
    return undefined;
  };

  for (const [index, target] of targets.entries()) {
    const root = target.operation === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
    const field = root.getFields()[target.field]!;
    const query = operationFor(target, field);
    const [argName, ...below] = target.path;
    const check = async (hostile: unknown): Promise<boolean> => {
      const user = users[turn++ % users.length]!;
      const at = (arg: GraphQLArgument) => ({ pool, name: arg.name, field: target.field });
      const variables = Object.fromEntries(
        field.args.map((arg) => [arg.name, arg.name === argName ? withHostile(validValue(arg.type, at(arg), below), below, hostile) : validValue(arg.type, at(arg))]),
      );
      const reason = await send(user, { query, variables, field: target.field, mutation: target.operation === 'mutation' }, (refused) => {
        if (refused) counts.refused++;
        else counts.accepted++;
      });
      if (reason === undefined) return true;
      counts.failures.push({ target: `${target.operation} ${target.field}(${target.path.join('.')}: ${target.type})`, value: hostile, as: user, reason });
      return false;
    };
    for (const example of examplesFor(target.type)) await check(example);
    // One seed per target: adding a field elsewhere does not change what this one gets.
    await fc.assert(fc.asyncProperty(hostileValue, check), { seed: seed + index, numRuns: runsPerTarget, endOnFailure: true }).catch(() => {
      // Recorded in counts.failures; the caller reports them all at once.
    });
  }

  // Every argument valid, hostile content inside: requests that pass the checks and reach the services.
  const roots = [
    ['query', schema.getQueryType()!],
    ['mutation', schema.getMutationType()!],
  ] as const;
  for (const [kind, root] of roots) {
    for (const [index, field] of Object.values(root.getFields()).entries()) {
      const definitions = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
      const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
      const query = `${kind} Valid${definitions ? `(${definitions})` : ''} { ${field.name}${args ? `(${args})` : ''}${scalarSelection(field)} }`;
      const variablesArbitrary = fc.record(Object.fromEntries(field.args.map((arg) => [arg.name, validArbitrary(arg.type, { pool, name: arg.name, field: field.name })])), {
        requiredKeys: field.args.filter((arg) => g.isNonNullType(arg.type)).map((arg) => arg.name),
      });
      const check = async (variables: Record<string, unknown>): Promise<boolean> => {
        const user = users[turn++ % users.length]!;
        counts.valid.requests++;
        const reason = await send(user, { query, variables, field: field.name, mutation: kind === 'mutation' }, (refused) => {
          if (!refused) counts.valid.accepted++;
        });
        if (reason === undefined) return true;
        counts.failures.push({ target: `${kind} ${field.name} (valid arguments)`, value: variables, as: user, reason });
        return false;
      };
      await fc
        .assert(fc.asyncProperty(variablesArbitrary, check), {
          seed: seed + 100_000 + index + (kind === 'mutation' ? 50_000 : 0),
          numRuns: options.validRunsPerField ?? 2,
          endOnFailure: true,
        })
        .catch(() => {
          // Recorded in counts.failures.
        });
    }
  }
  return counts;
}
