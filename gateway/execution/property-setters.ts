/**
 * A store of one named property, made once per name: `target[key] = value`
 * with `key` a variable is one store site for every name and every kind of
 * object the gateway merges into, which V8 handles as megamorphic, ~250
 * instructions a store (the course list's ~1 300 a request, 200 of them the
 * entities' fields merged into the courses; bench/README-results.md,
 * session 27). A function per name
 * holds its own store site, which sees only the few kinds of object that
 * name is stored into: V8 then stores it as a known property, a few
 * instructions.
 *
 * The function's text is made from the name by property-name-literal.ts (a
 * JavaScript string literal), so any name is safe to make one for; `__proto__`
 * is not given one (assigning it would set the prototype: callers never store
 * it).
 */
import { propertyNameLiteral } from './property-name-literal.js';

type Setter = (target: Record<string, unknown>, value: unknown) => void;

const setters = new Map<string, Setter>();
/** Names kept; past that (ever new names), forgotten and begun again. */
const SETTERS_KEPT = 2_000;

const plainStore: Setter = () => {
  throw new Error('No setter for __proto__');
};

/** The last name asked for and its setter: an answer's entities store one name after another (~0.1 k instructions a look-up saved). */
let lastKey = '';
let lastSetter: Setter = plainStore;

/** The setter of `key`'s property, made at its first use. */
export function setterOf(key: string): Setter {
  if (key === lastKey) return lastSetter;
  let setter = setters.get(key);
  if (setter === undefined) {
    const literal = propertyNameLiteral(key);
    if (literal === undefined) return plainStore;
    if (setters.size >= SETTERS_KEPT) setters.clear();
    setter = new Function('target', 'value', `target[${literal}] = value;`) as Setter;
    setters.set(key, setter);
  }
  lastKey = key;
  lastSetter = setter;
  return setter;
}
