/**
 * The fast lane's writer of answers holding kept lists, walking the
 * containers that hold them (walked-answer-bytes.ts, spliced-answer-bytes.ts):
 * byte for byte JSON.stringify's text of the same answer (a kept list
 * written there as the value it stands for) for every kind of value JSON
 * writes, odd strings, keys and numbers, kept lists at every place, and
 * answers with errors and extensions; text past ASCII is declined and
 * written by the placeholders' path instead, with the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { RawJson } from '../execution/raw-json.js';
import type { ValueShape } from '../execution/response-shape.js';
import { splicedAnswerBytes } from '../spliced-answer-bytes.js';
import { walkedAnswerBytes } from '../walked-answer-bytes.js';

type Answer = { errors?: unknown; data?: unknown; extensions?: unknown };

/** A kept list over `text` (padded, so that its slice is not the whole source), ASCII as the reader keeps it. */
function kept(text: string): RawJson {
  const source = `{"x":${text}}`;
  return new RawJson(source, 5, 5 + text.length, {} as ValueShape, false, !/[^\u0000-\u007f]/.test(source));
}

/** The answer's containers that hold kept lists, at any depth (as shaping names them). */
function holders(value: unknown, into = new Set<object>()): boolean {
  if (value instanceof RawJson) return true;
  if (typeof value !== 'object' || value === null) return false;
  let holds = false;
  for (const item of Object.values(value)) if (holders(item, into)) holds = true;
  if (holds) into.add(value);
  return holds;
}

function written(answer: Answer, spliced = new Set<object>()): string | undefined {
  holders(answer.data, spliced);
  const bytes = splicedAnswerBytes(answer, spliced);
  const text = bytes?.body.toString('utf8');
  bytes?.release?.();
  return text;
}

const ODD_STRINGS = ['', 'plain', 'a"b', 'a\\b', '\u0000', '\u0001x', 'line\nbreak', '\t\r\b\f', '\u001f', '\u007f', '</script>', '\ud800', 'x\udfffy', '\ud83c\udf93'];
const ODD_NUMBERS = [0, -0, 1, -1, 0.1, 1e21, 1e-7, -5e-324, Number.MAX_SAFE_INTEGER, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

describe('answers written by walking the containers of kept lists', () => {
  it('writes every kind of value as JSON.stringify does, kept lists anywhere', () => {
    const lists = ['[]', '[{"id":"1"}]', '["a","b"]', '[null,true,1.5]'];
    for (const list of lists) {
      const strings = ODD_STRINGS.filter((text) => !/[^\u0000-\u007f]/.test(JSON.stringify(text)));
      // Values directly in the containers the outline writes by hand (a list or object holding no kept list is JSON.stringify's).
      const item = (index: number) => ({
        id: String(index),
        ...Object.fromEntries(strings.map((text, at) => [`s${at}`, text])),
        ...Object.fromEntries(ODD_NUMBERS.map((number, at) => [`n${at}`, number])),
        yes: true,
        no: false,
        none: null,
        skipped: undefined,
        fn: () => 1,
        sym: Symbol('s'),
        mixed: [kept(list), ...strings, ...ODD_NUMBERS, true, false, null, undefined, () => 1, Symbol('t'), { a: 'b' }, [1]],
        plain: { strings, numbers: ODD_NUMBERS },
        nested: { deep: { keptInside: kept(list), more: [1, { a: 'b' }] } },
        first: kept(list),
        'odd "key"\n': 1,
        'del\u007f': kept(list),
        last: kept(list),
      });
      const answer: Answer = { data: { items: [item(0), kept(list), item(1), [kept(list), kept(list)], {}, []] } };
      const expected = `${JSON.stringify(answer)}\n`;
      const spliced = new Set<object>();
      holders(answer.data, spliced);
      // Taken by the walk (else this would test the placeholders' writer).
      const walked = walkedAnswerBytes(answer, spliced);
      expect(walked?.body.toString('latin1')).toBe(expected);
      walked?.release?.();
      expect(written(answer)).toBe(expected);
    }
  });

  it('writes the errors, a null data and the extensions as JSON.stringify does', () => {
    const errors = [{ message: 'bad "thing"\n', path: ['items', 0], extensions: { code: 'X' } }];
    for (const answer of [
      { errors, data: { items: kept('[1]') }, extensions: { cost: 3 } },
      { errors, data: null },
      { data: { items: kept('[]') }, extensions: undefined },
      { errors: undefined, data: { a: kept('[]'), b: null } },
    ] as Answer[]) {
      expect(written(answer)).toBe(`${JSON.stringify(answer)}\n`);
    }
  });

  it('declines text past ASCII, which the placeholders then write with the same bytes', () => {
    for (const text of ['café', '\ud83c\udf93', '\u0100']) {
      for (const answer of [
        { data: { items: [{ name: text, list: kept('[]') }] } },
        { data: { items: [{ [text]: 1, list: kept('[1]') }] } },
        { errors: [{ message: text }], data: { list: kept('[2]') } },
        { data: { items: [{ list: kept('[3]'), other: { name: text } }] } },
      ] as Answer[]) {
        const spliced = new Set<object>();
        holders(answer.data, spliced);
        expect(walkedAnswerBytes(answer, spliced)).toBeUndefined();
        expect(written(answer)).toBe(`${JSON.stringify(answer)}\n`);
      }
    }
  });

  it('writes kept lists whose own text is past ASCII', () => {
    const answer: Answer = { data: { a: kept('["caf\u00e9"]'), b: 'x', c: kept('["\ud83c\udf93"]') } };
    expect(written(answer)).toBe(`${JSON.stringify(answer)}\n`);
  });

  it('writes large and small answers one after the other, growing the buffer and reusing kept ones', () => {
    const list = (count: number) => `[${Array.from({ length: count }, (_, index) => `{"id":"${index}","title":"Class ${index}"}`).join(',')}]`;
    const answer = (courses: number, classes: number): Answer => ({
      data: { courses: Array.from({ length: courses }, (_, index) => ({ id: String(index), liveClasses: kept(list(classes)), n: index / 3 })) },
    });
    // Sizes from a few hundred bytes to ~1 MB, up and down: each starts with the room the last took.
    for (const [courses, classes] of [
      [50, 400],
      [1, 1],
      [3, 100],
      [200, 200],
      [2, 0],
      [60, 300],
    ] as const) {
      const value = answer(courses, classes);
      expect(written(value)).toBe(`${JSON.stringify(value)}\n`);
    }
  });

  it('writes only own keys, declining while Object.prototype has an enumerable one', () => {
    const value = { data: { courses: [{ id: '1', classes: kept('[{"id":"a"}]') }] } };
    const spliced = new Set<object>();
    holders(value.data, spliced);
    expect(walkedAnswerBytes(value, spliced)).toBeDefined();
    // A key every object inherits: JSON.stringify writes own keys alone, and so must the walk's for-in.
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.inherited = 'polluted';
    try {
      expect(walkedAnswerBytes(value, spliced)).toBeUndefined();
      expect(written(value)).toBe(`${JSON.stringify(value)}\n`);
      expect(written(value)).not.toContain('polluted');
    } finally {
      delete prototype.inherited;
    }
    expect(written(value)).toBe(`${JSON.stringify(value)}\n`);
  });
});
