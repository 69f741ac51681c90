/**
 * Merges what a subgraph answered into the data gathered so far, as
 * @apollo/gateway does: objects field by field, lists of the same length
 * item by item, anything else replaced. Data is plain JSON from subgraphs,
 * where a value kept as text (raw-json.ts) is parsed before anything merges
 * into it or it into anything.
 */
import { setterOf } from './property-setters.js';
import { RawJson } from './raw-json.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `skip`: a key of `source` left out (an entity answer's `__typename` that execute-plan.ts would otherwise set to
 * the target's own first). Properties are stored by a setter per name (property-setters.ts).
 */
export function deepMerge(target: Json, source: Json | null | undefined, skip?: string): Json {
  if (source === null || source === undefined) return target;
  for (const key in source) {
    let value = source[key];
    if (value === undefined || key === '__proto__' || key === skip) continue;
    let existing = target[key];
    if (value instanceof RawJson) {
      if (existing === undefined) {
        setterOf(key)(target, value);
        continue;
      }
      value = value.value();
    }
    if (existing instanceof RawJson) setterOf(key)(target, (existing = existing.value()));
    if (existing && isObject(value)) {
      if (isObject(existing)) deepMerge(existing, value);
      else setterOf(key)(target, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let index = 0; index < value.length; index++) {
        const item = value[index] as unknown;
        const current = existing[index] as unknown;
        if (isObject(current) && isObject(item)) deepMerge(current, item);
        else existing[index] = item;
      }
    } else {
      setterOf(key)(target, value);
    }
  }
  return target;
}
