/**
 * A hot query built and compiled by Kysely once per process instead of on
 * every run (Kysely's builders, plugins such as WithSchemaPlugin and the
 * compiler cost more than the statement's own round trip for the small
 * queries of an entity fetch), and sent as a named prepared statement
 * (named-statements.ts), so PostgreSQL parses and plans it once per
 * connection too.
 *
 * `build` receives stand-ins for the values and must turn every value of a
 * run into one of them: anything else it captures is compiled in for good.
 * A list is one array parameter, written `= any(${slots.ids})`, so that the
 * text does not change with its length.
 */
import { createHash } from 'node:crypto';
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { namedStatement } from './named-statements.js';
import { rootOf } from './request-database.js';

/** Marks a parameter of the compiled query as the value of one key. */
class Slot {
  constructor(readonly key: string) {}
}

/**
 * A list of plain strings (ids, statuses) as the array literal pg would write for it, joined at once: pg quotes
 * each element after two regular-expression replaces and concatenates them one by one (23 KiB of garbage for a
 * hundred course ids). Elements with a quote or a backslash, and lists of anything else, are left to pg.
 */
function parameterValue(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  for (const item of value) if (typeof item !== 'string' || item.includes('"') || item.includes('\\')) return value;
  return value.length === 0 ? '{}' : `{"${value.join('","')}"}`;
}

export type PreparedQuery<Params extends object, Row> = (params: Params) => Promise<Row[]>;

interface Compiled {
  sql: string;
  parameters: readonly unknown[];
  keys: (string | undefined)[];
}
/**
 * Compiled once per process's Kysely and name, not per preparedQuery: a subgraph's repositories are made again for
 * each request, over the request's own Kysely (request-database.ts), and the text of a name never changes.
 */
const compiledByRoot = new WeakMap<object, Map<string, Compiled>>();

export function preparedQuery<Params extends object, Row>(db: Kysely<any>, name: string, build: (slots: Params) => Compilable<Row>): PreparedQuery<Params, Row> {
  let compiled: Compiled | undefined;
  const compile = (): Compiled => {
    const root = rootOf(db);
    let byName = compiledByRoot.get(root);
    if (!byName) compiledByRoot.set(root, (byName = new Map()));
    let found = byName.get(name);
    if (!found) byName.set(name, (found = compileOnce()));
    return found;
  };
  const compileOnce = (): Compiled => {
    const slots = new Proxy({}, { get: (_target, key) => new Slot(String(key)) }) as Params;
    const query = build(slots).compile();
    // The name carries the text's hash: two texts never share a name (another schema, a changed query).
    const hash = createHash('sha1').update(query.sql).digest('hex').slice(0, 10);
    return {
      sql: `${namedStatement(`${name}_${hash}`)} ${query.sql}`,
      parameters: query.parameters,
      keys: query.parameters.map((value) => (value instanceof Slot ? value.key : undefined)),
    };
  };
  return async (params) => {
    compiled ??= compile();
    const { keys } = compiled;
    const values = compiled.parameters.map((value, index) => (keys[index] === undefined ? value : parameterValue((params as Record<string, unknown>)[keys[index]!])));
    const result = await db.executeQuery<Row>(CompiledQuery.raw(compiled.sql, values));
    return result.rows;
  };
}
