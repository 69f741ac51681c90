/** RawJson lists spliced into an answer's text where JSON.stringify met them (raw-json.ts). */
import { describe, expect, it } from 'vitest';
import { RawJson, stringifyAnswer } from '../raw-json.js';

describe('stringifyAnswer', () => {
  it('writes each RawJson as its text, in place, as JSON.stringify writes the lists they stand for', () => {
    const lists = ['[{"id":"a","title":"x\\"y"}]', '[]', '[{"id":"b","title":"é 😀"}]'];
    const answer = (list: (index: number) => unknown) => ({
      errors: [{ message: 'm', path: ['_entities', 1] }],
      data: { _entities: [{ liveClasses: list(0) }, null, { a: list(1), b: { c: [list(2)] }, d: '\u0000rawJson:' }] },
    });
    const expected = JSON.stringify(answer((index) => JSON.parse(lists[index]!)));
    expect(stringifyAnswer(answer((index) => new RawJson(lists[index]!)))).toBe(expected);
    expect(stringifyAnswer({ data: { plain: [1, 'two'] } })).toBe('{"data":{"plain":[1,"two"]}}');
  });

  it('refuses a RawJson written by JSON.stringify alone, or completed as a list', () => {
    expect(() => JSON.stringify({ list: new RawJson('[]') })).toThrow(/outside stringifyAnswer/);
    expect(() => [...new RawJson('[]')]).toThrow(/completed as a list/);
  });
});
