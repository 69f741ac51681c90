/**
 * A small schema language for event payloads (JSON objects): enough to state
 * each topic's contract once, check it on publish and on consume, and derive
 * the payload's TypeScript type from it. Every problem is reported, each with
 * the path of the offending field, so a bad payload explains itself.
 *
 * Objects accept fields they do not know: producers may add fields to a
 * topic without breaking its consumers (fields are never removed or retyped).
 */

import { parseDateTime } from '../date-time.js';
import { storableTextProblem } from '../graphql/text-input.js';
import { isUuid } from '../ids.js';

export interface Schema<T> {
  /** Returns the value when valid; otherwise appends to `issues` (the return value is then meaningless). */
  check(value: unknown, path: string, issues: string[]): T;
  readonly optional?: boolean;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

export class PayloadError extends Error {
  constructor(
    readonly topic: string,
    readonly issues: string[],
  ) {
    super(`Invalid payload for topic "${topic}": ${issues.join('; ')}`);
    this.name = 'PayloadError';
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : typeof value;
}

function fail(issues: string[], path: string, expected: string, value: unknown): never {
  issues.push(`${path || 'payload'}: expected ${expected}, got ${describe(value)}`);
  return undefined as never;
}


export function string(options: { minLength?: number; maxLength?: number } = {}): Schema<string> {
  const { minLength = 0, maxLength = 100_000 } = options;
  return {
    check(value, path, issues) {
      if (typeof value !== 'string') return fail(issues, path, 'a string', value);
      // NUL cannot be stored by PostgreSQL: refused here rather than dead-lettered by a consumer.
      if (storableTextProblem(value)) return fail(issues, path, 'text without control characters', value);
      if (value.length < minLength || value.length > maxLength) {
        return fail(issues, path, `a string of ${minLength} to ${maxLength} characters`, value);
      }
      return value;
    },
  };
}

export function uuid(): Schema<string> {
  return {
    check: (value, path, issues) => (isUuid(value) ? value : fail(issues, path, 'a UUID', value)),
  };
}

/** An id given as a decimal string (Moodle ids: int8, kept exact). */
export function decimalId(): Schema<string> {
  return {
    check: (value, path, issues) =>
      typeof value === 'string' && /^[0-9]{1,19}$/.test(value) ? value : fail(issues, path, 'a decimal id string', value),
  };
}

/** As GraphQL's DateTime reads it (platform/date-time.ts: a real date, years 1900-2200): a payload a consumer could not use is refused when published or ingested, not dead-lettered later. */
export function dateTime(): Schema<string> {
  return {
    check(value, path, issues) {
      try {
        parseDateTime(value);
        return value as string;
      } catch {
        return fail(issues, path, 'an RFC 3339 date-time with offset', value);
      }
    },
  };
}

export function integer(options: { min?: number; max?: number } = {}): Schema<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  return {
    check: (value, path, issues) =>
      Number.isInteger(value) && (value as number) >= min && (value as number) <= max
        ? (value as number)
        : fail(issues, path, `an integer from ${min} to ${max}`, value),
  };
}

export function number(): Schema<number> {
  return {
    check: (value, path, issues) => (typeof value === 'number' && Number.isFinite(value) ? value : fail(issues, path, 'a number', value)),
  };
}

export function boolean(): Schema<boolean> {
  return { check: (value, path, issues) => (typeof value === 'boolean' ? value : fail(issues, path, 'a boolean', value)) };
}

export function oneOf<const Values extends readonly string[]>(values: Values): Schema<Values[number]> {
  return {
    check: (value, path, issues) =>
      typeof value === 'string' && values.includes(value) ? (value as Values[number]) : fail(issues, path, `one of ${values.join(', ')}`, value),
  };
}

export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  return { check: (value, path, issues) => (value === null ? null : schema.check(value, path, issues)) };
}

/** A field that may be absent (or null); absent fields are not reported. */
export function optional<T>(schema: Schema<T>): Schema<T | null | undefined> {
  return {
    optional: true,
    check: (value, path, issues) => (value === undefined || value === null ? value : schema.check(value, path, issues)),
  };
}

export function array<T>(item: Schema<T>, options: { minItems?: number } = {}): Schema<T[]> {
  return {
    check(value, path, issues) {
      if (!Array.isArray(value)) return fail(issues, path, 'an array', value);
      if (value.length < (options.minItems ?? 0)) return fail(issues, path, `at least ${options.minItems} items`, value);
      return value.map((element, index) => item.check(element, `${path}[${index}]`, issues));
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> & { shape: S } {
  return {
    shape,
    check(value, path, issues) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(issues, path, 'an object', value);
      const record = value as Record<string, unknown>;
      for (const [key, field] of Object.entries(shape)) {
        const fieldPath = path ? `${path}.${key}` : key;
        if (!(key in record) && !field.optional) issues.push(`${fieldPath}: is required`);
        else field.check(record[key], fieldPath, issues);
      }
      return record as ObjectOf<S>;
    },
  };
}

/** A schema with more fields: `extend(base, { changed_fields: ... })`. */
export function extend<A extends Shape, B extends Shape>(base: { shape: A }, more: B): Schema<ObjectOf<A & B>> & { shape: A & B } {
  return object({ ...base.shape, ...more } as A & B);
}

/** Checks a payload against a topic's schema; throws a PayloadError listing every problem. */
export function validatePayload<T>(topic: string, schema: Schema<T>, payload: unknown): T {
  const issues: string[] = [];
  const value = schema.check(payload, '', issues);
  if (issues.length > 0) throw new PayloadError(topic, issues);
  return value;
}
