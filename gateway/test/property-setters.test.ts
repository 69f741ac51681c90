/**
 * A store per property name (execution/property-setters.ts), used where the
 * gateway merges and reads entities: any name stores exactly that property,
 * `__proto__` never sets a prototype, and names past the kept number stay
 * right.
 */
import { describe, expect, it } from 'vitest';
import { deepMerge } from '../execution/deep-merge.js';
import { setterOf } from '../execution/property-setters.js';

const NAMES = ['id', '__typename', '', '0', '12', 'constructor', 'toString', 'a"b', 'back\\slash', 'new\nline', '\u2028\u2029', '\u{1F393}', '\ud800', "it's", '$' + '{x}', '`'];

describe('property setters', () => {
  it('stores each name as itself, in the order stored, one after another and alternating', () => {
    const target: Record<string, unknown> = {};
    for (const [index, name] of NAMES.entries()) setterOf(name)(target, index);
    for (const [index, name] of NAMES.entries()) setterOf(name)(target, `again ${index}`);
    expect(Object.keys(target).sort()).toEqual([...NAMES].sort());
    for (const [index, name] of NAMES.entries()) {
      expect(Object.hasOwn(target, name)).toBe(true);
      expect(target[name]).toBe(`again ${index}`);
    }
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
  });

  it('gives __proto__ no setter, and deepMerge never stores it', () => {
    expect(() => setterOf('__proto__')({}, { polluted: true })).toThrow();
    const target: Record<string, unknown> = {};
    deepMerge(target, JSON.parse('{"__proto__":{"polluted":true},"a":1}'));
    expect(target).toEqual({ a: 1 });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
  });

  it('stays right past the number of names it keeps', () => {
    const target: Record<string, unknown> = {};
    for (let round = 0; round < 2; round++) for (let index = 0; index < 5_000; index++) setterOf(`name${index}`)(target, round * 10_000 + index);
    expect(Object.keys(target)).toHaveLength(5_000);
    expect(target.name0).toBe(10_000);
    expect(target.name4999).toBe(14_999);
  });
});
