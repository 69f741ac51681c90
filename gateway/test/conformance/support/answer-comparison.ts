/**
 * How the random check compares two answers: errors by path and code (in a
 * stable order: the spec orders none), data with or without field order.
 */
import { type Answer, comparable } from './suite-gateways.js';

/**
 * A subgraph error without a code: Apollo calls it DOWNSTREAM_SERVICE_ERROR, and the platform's error
 * formatting (platform/graphql/format-error.ts) masks it as INTERNAL_SERVER_ERROR on purpose (no subgraph
 * internals reach clients). The same finding under two names.
 */
const codeOf = (code: unknown) => (code === 'DOWNSTREAM_SERVICE_ERROR' ? 'INTERNAL_SERVER_ERROR' : code);

/** Errors' paths and codes in a stable order. */
export function errorsText(answer: Answer): string {
  const { errors } = comparable(answer);
  return JSON.stringify((errors ?? []).map((error) => JSON.stringify({ ...error, code: codeOf(error.code) })).sort());
}

/** JSON with object keys sorted: equal for answers that differ in field order only. */
export function unordered(value: unknown): string {
  return JSON.stringify(value, (_key, inner) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1))) : inner,
  );
}
