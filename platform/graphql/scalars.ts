/**
 * DateTime (RFC 3339 with an offset, always answered in UTC) and JSON, shared
 * by every subgraph so the wire format is the same everywhere. DateTime
 * reads through platform/date-time.ts: real calendar dates only, years
 * 1900 to 2200.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { parseDateTime as parseStrict } from '../date-time.js';
import { utcIso } from './utc-iso.js';

function parseDateTime(value: unknown): Date {
  try {
    return parseStrict(value);
  } catch (error) {
    throw new GraphQLError(`DateTime ${(error as Error).message}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

// Years 0 to 9999 are what RFC 3339 can write (toISOString would write others as ±YYYYYY); inputs are kept to 1900-2200.
// Compared as instants: every timestamp of every answer passes here, and getUTCFullYear costs a calendar computation.
const FIRST_WRITABLE = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_WRITABLE = Date.parse('9999-12-31T23:59:59.999Z');

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An RFC 3339 date-time with an offset; answers are in UTC.',
  serialize(value) {
    // Whole milliseconds (a timestamp read as such, epoch-millis.ts) are what a Date of them would hold: no Date built.
    const time = value instanceof Date ? value.getTime() : typeof value === 'number' && Number.isInteger(value) ? value : new Date(value as string | number).getTime();
    if (!(time >= FIRST_WRITABLE && time <= LAST_WRITABLE)) throw new GraphQLError(`Cannot serialize ${String(value)} as DateTime`); // NaN too
    return utcIso(time); // toISOString's text, written in JavaScript (utc-iso.ts)
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseDateTime(ast.value);
  },
});

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((value) => literalToJson(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalToJson(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw new GraphQLError('Unsupported JSON literal', { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literalToJson,
});
