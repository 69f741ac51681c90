/**
 * Input checks shared by the erp services. Each failure is a
 * BAD_USER_INPUT naming the field (`extensions.field`), so a client can
 * point at it. GraphQL already guarantees types and non-null arguments;
 * these check what the schema cannot say.
 */
import { spanProblem } from '../../../platform/date-time.js';
import { badInput } from '../../../platform/errors.js';
import { isUuid } from '../repositories/record-ids.js';
import type { Page } from '../repositories/page.js';

export const LIMITS = { name: 200, text: 10_000, reason: 2_000, email: 320, location: 500, pageSize: 500 } as const;

/** A required text: trimmed, not empty, at most `max` characters. */
export function requiredText(value: string, field: string, max: number = LIMITS.name): string {
  const trimmed = value.trim();
  if (!trimmed) throw badInput(`${field} must not be empty`, field);
  if (trimmed.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return trimmed;
}

/** An optional text: left out stays undefined (unchanged), null or blank becomes null (cleared). */
export function optionalText(value: string | null | undefined, field: string, max: number = LIMITS.text): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || !value.trim()) return null;
  const trimmed = value.trim();
  if (trimmed.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return trimmed;
}

/** For update inputs: a field that may be left out but never set to null. */
export function notNull<T>(value: T | null | undefined, field: string): T | undefined {
  if (value === null) throw badInput(`${field} cannot be null; leave it out to keep the current value`, field);
  return value;
}

export function recordId(value: string, field: string): string {
  if (!isUuid(value)) throw badInput(`${field} must be a UUID, got ${JSON.stringify(value)}`, field);
  return value;
}

/** People are Moodle user ids (the federated User.id): decimal digits. */
export function userId(value: string, field: string): string {
  if (!/^[1-9]\d{0,17}$/.test(value)) throw badInput(`${field} must be a user id (a Moodle user id such as "9"), got ${JSON.stringify(value)}`, field);
  return value;
}

export function optionalUserId(value: string | null | undefined, field: string): string | null | undefined {
  return value === null || value === undefined ? value : userId(value, field);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function optionalEmail(value: string | null | undefined, field: string): string | null | undefined {
  const email = optionalText(value, field, LIMITS.email);
  if (email && !EMAIL.test(email)) throw badInput(`${field} must be an e-mail address, got ${JSON.stringify(email)}`, field);
  return email;
}

export function endsAfterStart(start: Date, end: Date, endField: string, startField: string): void {
  if (end.getTime() <= start.getTime()) throw badInput(`${endField} must be after ${startField}`, endField);
}

/** A meeting or a leave request: ends after it starts, and at most MAX_SPAN_DAYS later (platform/date-time.ts, the platform's one rule). */
export function spansAtMost(start: Date, end: Date, endField: string, startField: string): void {
  endsAfterStart(start, end, endField, startField);
  const problem = spanProblem(start, end);
  if (problem) throw badInput(`${endField} ${problem} (${startField})`, endField);
}

export function page(first: number | null | undefined, offset: number | null | undefined): Page {
  const size = first ?? 100;
  const skip = offset ?? 0;
  if (!Number.isInteger(size) || size < 1 || size > LIMITS.pageSize) throw badInput(`first must be between 1 and ${LIMITS.pageSize}`, 'first');
  if (!Number.isInteger(skip) || skip < 0) throw badInput('offset must not be negative', 'offset');
  return { first: size, offset: skip };
}

/** Update inputs must change something. */
export function requireSomeField(input: object): void {
  if (Object.values(input).every((value) => value === undefined)) throw badInput('Nothing to update: give at least one field', 'input');
}

/** The keys of `patch` whose value differs from `current` (dates compared by instant). */
export function changedKeys<T extends object>(current: T, patch: Partial<T>): (keyof T)[] {
  return (Object.keys(patch) as (keyof T)[]).filter((key) => {
    const next = patch[key];
    if (next === undefined) return false;
    const now = current[key];
    if (next instanceof Date && now instanceof Date) return next.getTime() !== now.getTime();
    return next !== now;
  });
}

export function pick<T extends object, K extends keyof T>(source: Partial<T>, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.map((key) => [key, source[key]])) as Partial<Pick<T, K>>;
}

/** `current` with the fields `patch` sets (undefined: left out, unchanged). */
export function merged<T extends object>(current: T, patch: Partial<T>): T {
  const result = { ...current };
  for (const key of Object.keys(patch) as (keyof T)[]) {
    const value = patch[key];
    if (value !== undefined) result[key] = value as T[keyof T];
  }
  return result;
}
