/**
 * A subgraph's answer bytes decoded for JSON.parse (gateway/subgraph-answer-text.ts):
 * characters past Latin-1 become `\uXXXX` escapes, so the text stays one-byte,
 * and what JSON.parse reads from it is what it reads from the plain decoding,
 * malformed UTF-8 included.
 */
import { describe, expect, it } from 'vitest';
import { answerText, CHECKED_FROM, decodeAnswer, decodeAnswerChunks } from '../subgraph-answer-text.js';

const parsedAlike = (bytes: Buffer) => expect(JSON.parse(answerText(bytes))).toEqual(JSON.parse(bytes.toString('utf8')));

describe('the text of a subgraph answer', () => {
  it('reads ASCII and Latin-1 as they are', () => {
    for (const text of ['{"data":{"a":"plain"}}', '{"data":{"a":"Caf\u00e9 cr\u00e8me \u00ff"}}']) {
      expect(answerText(Buffer.from(text))).toBe(text);
    }
  });

  it('escapes characters past Latin-1, in two, three and four bytes', () => {
    const text = '{"data":{"title":"\u0100 \u03a9 \u20ac \uffff \u{1F393} \u{10FFFF} end","\u{1F393}key":["\u00e9\u4e2d"]}}';
    const decoded = answerText(Buffer.from(text));
    expect(decoded).not.toMatch(/[^\x00-\xff]/);
    expect(decoded).toContain('\\ud83c\\udf93');
    expect(JSON.parse(decoded)).toEqual(JSON.parse(text));
  });

  it('leaves malformed UTF-8 to the decoder, as before', () => {
    const head = Buffer.from('{"data":{"a":"');
    const tail = Buffer.from('"}}');
    const malformed = [
      [0xe2, 0x82], // truncated three-byte sequence
      [0xf0, 0x9f, 0x8e], // truncated four-byte sequence
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0xe0, 0x80, 0x80], // an overlong NUL
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xc4], // a lead byte alone
      [0xc4, 0x80, 0x80], // a stray continuation after a good sequence
    ];
    for (const bytes of malformed) parsedAlike(Buffer.concat([head, Buffer.from(bytes), Buffer.from('x\u{1F393}'), tail]));
  });

  it('decodes a large answer with one emoji to the same data', () => {
    const items = Array.from({ length: 2000 }, (_, index) => ({ id: String(index), title: index === 1500 ? 'Live \u{1F393}' : 'Live class' }));
    const bytes = Buffer.from(JSON.stringify({ data: { _entities: [{ liveClasses: items }] } }));
    parsedAlike(bytes);
    expect(answerText(bytes)).not.toMatch(/[^\x00-\xff]/);
  });

  it('decodes well-formed answers of any characters as the byte-by-byte reading does', () => {
    // Code points from every UTF-8 length: ASCII, Latin-1, two-byte past it, three-byte, four-byte.
    const ranges = [
      [0x20, 0x7f],
      [0x80, 0xff],
      [0x100, 0x7ff],
      [0x800, 0xd7ff],
      [0xe000, 0xffff],
      [0x10000, 0x10ffff],
    ];
    let seed = 11;
    const random = (limit: number) => (seed = (seed * 16807) % 2147483647) % limit;
    for (let round = 0; round < 200; round++) {
      const characters = Array.from({ length: 40 }, () => {
        const [low, high] = ranges[random(ranges.length)]!;
        return String.fromCodePoint(low! + random(high! - low! + 1));
      });
      const text = JSON.stringify({ data: { title: characters.join('') } });
      const decoded = answerText(Buffer.from(text));
      expect(decoded).not.toMatch(/[^\x00-\xff]/);
      // What the byte-by-byte reading writes: the same text with every character past Latin-1 escaped.
      const escaped = text.replace(/[^\x00-\xff]/gu, (character) =>
        character.length === 1
          ? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`
          : `\\u${character.charCodeAt(0).toString(16)}\\u${character.charCodeAt(1).toString(16)}`,
      );
      expect(decoded).toBe(escaped);
    }
  });

  it('decodes an answer in chunks as the same bytes whole, wherever the chunks are cut', () => {
    const answers = [
      '{"data":{"a":"plain ASCII, the longest of the three: ' + 'x'.repeat(300) + '"}}',
      '{"data":{"a":"Caf\u00e9 \u{1F393} \u20ac"}}',
      '{"data":{"a":"short"}}',
    ].map((text) => Buffer.from(text));
    // A longer answer, then shorter ones: each decoded from its own bytes only, never a former answer's tail.
    for (const bytes of answers) {
      const whole = decodeAnswer(bytes);
      for (let cut = 0; cut <= bytes.length; cut++) {
        for (const chunks of [
          [bytes.subarray(0, cut), bytes.subarray(cut)],
          [bytes.subarray(0, cut >> 1), bytes.subarray(cut >> 1, cut), bytes.subarray(cut)],
        ]) {
          expect(decodeAnswerChunks(chunks, bytes.length)).toEqual(whole);
        }
      }
    }
    expect(decodeAnswerChunks([], 0)).toEqual({ text: '', ascii: true, controlFree: false });
  });

  it('says a large answer is free of control characters only when every byte before its trailing whitespace is', () => {
    const large = (inside: string, tail = '\n') => Buffer.from(`{"data":{"a":"${'x'.repeat(CHECKED_FROM)}${inside}${'y'.repeat(100)}"}}${tail}`);
    const free = (bytes: Buffer) => {
      const cut = bytes.length >> 1;
      const one = decodeAnswerChunks([bytes], bytes.length);
      const two = decodeAnswerChunks([bytes.subarray(0, cut), bytes.subarray(cut)], bytes.length);
      expect(two).toEqual(one);
      expect(one.text).toBe(decodeAnswer(bytes).text);
      return one.controlFree;
    };
    expect(free(large(''))).toBe(true);
    expect(free(large('', ' \r\n\t'))).toBe(true);
    expect(free(large('', ''))).toBe(true);
    expect(free(large('caf\u00e9 \u{1F393}'))).toBe(true);
    for (const control of ['\u0000', '\u0001', '\t', '\n', '\r', '\u001f']) {
      expect(free(large(control)), JSON.stringify(control)).toBe(false);
      expect(free(Buffer.from(`${control}${large('').toString()}`)), `${JSON.stringify(control)} first`).toBe(false);
      expect(free(large('', `${control}x`)), `${JSON.stringify(control)} near the end`).toBe(false);
    }
    // A small answer is not looked over: nothing is said of it.
    expect(decodeAnswerChunks([Buffer.from('{"data":{"a":"b"}}')], 18).controlFree).toBe(false);
    // Nor one no reader asks about.
    const bytes = large('');
    expect(decodeAnswerChunks([bytes], bytes.length, false)).toEqual(decodeAnswer(bytes));
  });
});
