/**
 * A property name as a JavaScript string literal, for code the gateway makes with `new Function`
 * (property-setters.ts's stores, compiled-plan.ts's leaf representations): the name's JSON string, which is a
 * valid literal for any name, quotes, backslashes, line and paragraph separators and lone surrogates included
 * (ES2019 allows U+2028 and U+2029 in string literals; JSON.stringify escapes lone surrogates). Nothing of the
 * name reaches the code's text but through it.
 *
 * `__proto__` is refused (undefined): `target["__proto__"] = value` and `{ "__proto__": value }` both set the
 * prototype instead of an own property, so made code must never name it; callers keep their way without
 * made code for it.
 */
export function propertyNameLiteral(name: string): string | undefined {
  if (name === '__proto__') return undefined;
  return JSON.stringify(name);
}
