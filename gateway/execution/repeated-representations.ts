/**
 * Entities that an entity fetch would ask for more than once: the course
 * page's ten classes have one host, its ten documents one uploader, and the
 * plan asks for each class's host (twenty representations, one user). An
 * entity fetch sends each distinct representation once and merges its
 * answer into every entity that gave it (execute-plan.ts); an error about
 * it is reported at each of them, as it would have been had each been sent.
 *
 * Looked for only where repeats are to be expected, objects referenced from
 * the items of a list (a Flatten path with a field after `@`): the entities
 * of a list itself (the course list's courses) are told apart by nothing
 * but their keys, and a look-up per entity there would be cost for nothing.
 */
import { RawJson } from './raw-json.js';

type Json = Record<string, unknown>;

/** Whether the entities under `path` are referenced from list items (`…@.host`). */
export function referencedFromListItems(path: readonly (string | number)[]): boolean {
  return path.length > 1 && path[path.length - 1] !== '@' && path.includes('@');
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  let keys = 0;
  for (const key in a) {
    if (!Object.hasOwn(b, key) || !sameJson((a as Json)[key], (b as Json)[key])) return false;
    keys++;
  }
  for (const _key in b) keys--;
  return keys === 0;
}

/** Representations seen so far, by their `id` (where it is a string or a number): the index of an equal one. */
export class SeenRepresentations {
  private readonly byId = new Map<unknown, number[]>();

  /** The index of a representation equal to `representation` among those added, else undefined (and it is added as `index`). */
  indexOf(representation: Json, index: number, representations: readonly Json[]): number | undefined {
    const id = representation.id;
    if (typeof id !== 'string' && typeof id !== 'number') return undefined;
    const candidates = this.byId.get(id);
    if (candidates === undefined) {
      this.byId.set(id, [index]);
      return undefined;
    }
    for (const candidate of candidates) if (sameJson(representations[candidate], representation)) return candidate;
    candidates.push(index);
    return undefined;
  }
}

/** A copy of a subgraph's answer for one more entity: no object or list shared (text kept as text, never changed). */
export function copyOfAnswer<T>(value: T): T {
  if (typeof value !== 'object' || value === null || value instanceof RawJson) return value;
  if (Array.isArray(value)) return value.map(copyOfAnswer) as T;
  const copy: Json = {};
  for (const key in value) copy[key] = copyOfAnswer((value as Json)[key]);
  return copy as T;
}
