/**
 * Event payload schemas, built on zod: each topic states its contract once,
 * it is checked on publish and on consume, and the payload's TypeScript type
 * is inferred from it. The builders below keep the topics' declarations short
 * and give every problem one plain message with the path of the field, so a
 * bad payload explains itself ("task_id: expected a UUID, got …").
 *
 * Objects accept fields they do not know (a consumer reads the fields it was
 * written for; the rest are left out of what it is given): producers may add
 * fields to a topic without breaking its consumers. Fields are never removed
 * or retyped.
 */
import { z } from 'zod';
import { parseDateTime, spanProblem } from '../date-time.js';
import { storableTextProblem } from '../graphql/text-input.js';
import { isUuid } from '../ids.js';
import { storableJsonProblem } from './storable-json.js';

export type Schema<T> = z.ZodType<T>;
export type Infer<S> = S extends z.ZodType<infer T> ? T : never;

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

/** zod's error option: one message per field, naming what was expected and what came. */
const expected = (what: string) => ({
  abort: true,
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `expected ${what}, got ${describe(issue.input)}`),
});

/** A value that passes `test`, typed as T. */
const atom = <T>(what: string, test: (value: unknown) => boolean) => z.custom<T>(test, expected(what));

export function string(options: { minLength?: number; maxLength?: number } = {}): Schema<string> {
  const { minLength = 0, maxLength = 100_000 } = options;
  return (
    z
      .string(expected('a string'))
      // NUL cannot be stored by PostgreSQL: refused here rather than dead-lettered by a consumer.
      .refine((value) => !storableTextProblem(value), expected('text without control characters'))
      .refine((value) => value.length >= minLength && value.length <= maxLength, expected(`a string of ${minLength} to ${maxLength} characters`))
  );
}

export const uuid = () => atom<string>('a UUID', isUuid);

/** An id given as a decimal string (Moodle ids: int8, kept exact). */
export const decimalId = () => atom<string>('a decimal id string', (value) => typeof value === 'string' && /^[0-9]{1,19}$/.test(value));

/** As GraphQL's DateTime reads it (platform/date-time.ts: a real date, years 1900-2200): a payload a consumer could not use is refused when published or ingested, not dead-lettered later. */
export const dateTime = () =>
  atom<string>('an RFC 3339 date-time with offset', (value) => {
    try {
      parseDateTime(value);
      return true;
    } catch {
      return false;
    }
  });

export function integer(options: { min?: number; max?: number } = {}): Schema<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  return atom<number>(`an integer from ${min} to ${max}`, (value) => Number.isInteger(value) && (value as number) >= min && (value as number) <= max);
}

export const number = () => atom<number>('a number', (value) => typeof value === 'number' && Number.isFinite(value));
export const boolean = () => atom<boolean>('a boolean', (value) => typeof value === 'boolean');

export const oneOf = <const Values extends readonly string[]>(values: Values) =>
  atom<Values[number]>(`one of ${values.join(', ')}`, (value) => typeof value === 'string' && values.includes(value));

export const nullable = <T>(schema: Schema<T>) => schema.nullable();

/** A field that may be absent (or null). */
export const optional = <T>(schema: Schema<T>) => schema.nullish();

export const array = <T>(item: Schema<T>, options: { minItems?: number } = {}) =>
  z.array(item, expected('an array')).min(options.minItems ?? 0, expected(`at least ${options.minItems} items`));

export const object = <Shape extends z.ZodRawShape>(shape: Shape) => z.object(shape, expected('an object'));

/**
 * A record's schema whose `end` field lies after its `start` and at most MAX_SPAN_DAYS later
 * (platform/date-time.ts), as the ERP's mutations hold a meeting or a leave request to.
 */
export function spanning<T extends Record<string, unknown>>(schema: Schema<T>, startField: keyof T & string, endField: keyof T & string): Schema<T> {
  return schema.superRefine((value, context) => {
    const start = new Date(value[startField] as string);
    const end = new Date(value[endField] as string);
    const problem = end <= start ? `must be after ${startField}` : spanProblem(start, end);
    if (problem) context.addIssue({ code: 'custom', path: [endField], message: problem });
  });
}

/** A schema with more fields: `extend(base, { changed_fields: ... })`. */
export const extend = <A extends z.ZodRawShape, B extends z.ZodRawShape>(base: z.ZodObject<A>, more: B) => base.extend(more);

const fieldPath = (path: PropertyKey[]) => path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');

/** One line per problem, each with the path of its field. */
const describeIssues = (error: z.ZodError) => error.issues.map((issue) => `${fieldPath(issue.path) || 'payload'}: ${issue.message}`);

/** The problems of a payload, one line each (empty when it is valid). */
export function payloadIssues(schema: Schema<unknown>, payload: unknown): string[] {
  const result = schema.safeParse(payload);
  return result.success ? [] : describeIssues(result.error);
}

/** Checks a payload against a topic's schema; throws a PayloadError listing every problem. */
export function validatePayload<T>(topic: string, schema: Schema<T>, payload: unknown): T {
  // Fields the schema does not name are stored as they came: they too must be storable.
  const unstorable = storableJsonProblem(payload);
  if (unstorable) throw new PayloadError(topic, [unstorable]);
  const result = schema.safeParse(payload);
  if (!result.success) throw new PayloadError(topic, describeIssues(result.error));
  return result.data;
}
