/**
 * Whether a payload can be stored as PostgreSQL jsonb and serialized without
 * deep recursion. A topic's schema checks the fields it names; a sender may
 * add others, and those are stored too: a NUL or a lone surrogate in any
 * string or key makes PostgreSQL refuse the row, and JSON nested thousands
 * deep overflows the stack while the outbox row is written. Walked without
 * recursion, so the check itself cannot overflow.
 */
import { storableTextProblem } from '../graphql/text-input.js';

/** Far deeper than any topic's payload, far shallower than what overflows. */
export const MAX_PAYLOAD_DEPTH = 64;

export function storableJsonProblem(value: unknown, maxDepth = MAX_PAYLOAD_DEPTH): string | null {
  const pending: { node: unknown; depth: number; path: string }[] = [{ node: value, depth: 0, path: '' }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, depth, path } = next;
    if (typeof node === 'string') {
      const problem = storableTextProblem(node);
      if (problem) return `${path || 'the payload'}: ${problem}`;
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= maxDepth) return `${path || 'the payload'}: nested deeper than ${maxDepth} levels`;
    for (const [key, child] of Object.entries(node)) {
      const keyProblem = storableTextProblem(key);
      if (keyProblem) return `${path || 'the payload'}: a key ${keyProblem}`;
      pending.push({ node: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
    }
  }
  return null;
}
