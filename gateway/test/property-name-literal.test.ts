/**
 * The one way a property name enters code the gateway makes with `new Function`
 * (execution/property-name-literal.ts, used by property-setters.ts and
 * compiled-plan.ts's leaf representations): any name comes out as a literal of
 * exactly that name, read, stored and written in an object literal, and
 * `__proto__` is refused.
 */
import { describe, expect, it } from 'vitest';
import { propertyNameLiteral } from '../execution/property-name-literal.js';

const NAMES = [
  'id',
  '',
  '0',
  'constructor',
  'a"b',
  "it's",
  'back\\slash',
  'ends in a backslash\\',
  'new\nline',
  'tab\tand\rreturn',
  '\u0000',
  '\u2028\u2029',
  '\u{1F393}',
  '\ud800',
  '\udfff lone',
  '$' + '{x}',
  '`',
  '"]; globalThis.injected = true; //',
  '</script>',
];

const literalOf = (name: string) => {
  const literal = propertyNameLiteral(name);
  if (literal === undefined) throw new Error(`no literal for ${name}`);
  return literal;
};

describe('propertyNameLiteral', () => {
  it('gives a literal that reads back as the very name', () => {
    for (const name of NAMES) expect(new Function(`return ${literalOf(name)};`)()).toBe(name);
    expect((globalThis as { injected?: boolean }).injected).toBeUndefined();
  });

  it('stores and builds an own property of that name, nothing else', () => {
    for (const name of NAMES) {
      const literal = literalOf(name);
      const stored = new Function('target', `target[${literal}] = 1; return target;`)({}) as object;
      const built = new Function(`return { ${literal}: 1 };`)() as object;
      for (const made of [stored, built]) {
        expect(Object.keys(made)).toEqual([name]);
        expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
      }
    }
  });

  it('refuses __proto__, whose store and literal would set the prototype', () => {
    expect(propertyNameLiteral('__proto__')).toBeUndefined();
    // What it guards against: a quoted __proto__ in a literal is no own property.
    const built = new Function(`return { ${JSON.stringify('__proto__')}: { polluted: true } };`)() as { polluted?: boolean };
    expect(Object.keys(built)).toEqual([]);
    expect(built.polluted).toBe(true);
    // Names that only look like it are fine.
    expect(new Function(`return { ${literalOf('__proto__ ')}: 1 };`)()).toEqual({ '__proto__ ': 1 });
    expect(literalOf('__PROTO__')).toBe('"__PROTO__"');
  });
});
