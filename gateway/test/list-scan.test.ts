/**
 * list-scan.ts's WebAssembly function and list-template.ts's templates
 * against list-pattern.ts's pattern, which they replace for ASCII texts:
 * the same end (or none) for lists of every leaf kind, each character of
 * them replaced by the odd ones (control characters, quotes, backslashes,
 * brackets, the letters of null/true/false), every truncation, strings
 * around the 16-byte step, a list not at the start; a shorter text after a
 * longer one (the memory's old bytes past the new text's end unread), a text
 * past the memory's first page, texts with no backslash and no control
 * character scanned for quotes alone; and the reader under `node --jitless`.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listPattern, matchedEnd } from '../execution/list-pattern.js';
import { listTemplate } from '../execution/list-template.js';
import { setterOf } from '../execution/property-setters.js';
import { acceptsAnything, type FieldShape, type TypeFields, type ValueShape } from '../execution/response-shape.js';
import { ScannedText } from '../list-scan.js';

const anything = () => true;
const leaf = (typeName: string, nonNull: boolean, isValid: (value: unknown) => boolean = anything): ValueShape => ({ typeName, nonNull, isValid });
const field = (responseName: string, value: ValueShape, isTypename = false): FieldShape => ({
  responseName,
  store: setterOf(responseName),
  source: responseName,
  isTypename,
  value,
});

/** A list shape of `Item`s with `fields`, its items nullable or not. */
function shapeOf(fields: FieldShape[], itemNonNull: boolean) {
  const type: TypeFields = { typeName: 'Item', valid: true, leaves: true, fields };
  const list: ValueShape = { typeName: 'Item', nonNull: true, item: { typeName: 'Item', nonNull: itemNonNull } };
  return { type, list };
}

const SHAPES = {
  strings: shapeOf([field('id', leaf('ID', true)), field('title', leaf('String', false)), field('at', leaf('DateTime', false, acceptsAnything))], true),
  booleans: shapeOf([field('__typename', leaf('String', true), true), field('on', leaf('Boolean', true)), field('maybe', leaf('Boolean', false))], false),
};

/**
 * What the pattern says, and what the scan says; in a text with no backslash and no control character, the scan
 * told so (quotes alone stop a string) must say what the pattern for such texts says, which is the same.
 */
function both(shape: { type: TypeFields; list: ValueShape }, text: string, at = 0) {
  const pattern = listPattern(shape.list, shape.type)!;
  const template = listTemplate(shape.list, shape.type)!;
  expect(template).toBeDefined();
  const nullItem = !shape.list.item!.nonNull;
  const found = { pattern: matchedEnd(pattern, text, at), scan: new ScannedText(text).listEnd(at, template, nullItem) };
  if (!/[\\\u0000-\u001f]/.test(text)) {
    const plain = matchedEnd(listPattern(shape.list, shape.type, true)!, text, at);
    expect(plain, JSON.stringify(text)).toBe(found.pattern);
    expect(new ScannedText(text, true).listEnd(at, template, nullItem), `plain ${JSON.stringify(text)}`).toBe(plain);
  }
  return found;
}

const ODD = ['\u0000', '\u0001', '\n', '\u001f', ' ', '"', '\\', ',', ':', '[', ']', '{', '}', 'n', 'u', 'l', 't', 'r', 'e', 'f', 'a', 's', '\u007f', 'x'];

/** Every character of `text` replaced by each odd one, every truncation, and each odd one put in at every place. */
function variants(text: string): string[] {
  const out = [text];
  for (let index = 0; index <= text.length; index++) {
    out.push(text.slice(0, index));
    for (const odd of ODD) {
      out.push(text.slice(0, index) + odd + text.slice(index + 1));
      out.push(text.slice(0, index) + odd + text.slice(index));
    }
  }
  return out;
}

describe('list scan', () => {
  it('ends a list of strings where the pattern does, or refuses it where the pattern does', () => {
    const lists = [
      '[]',
      '[{"id":"a","title":null,"at":"2026-12-07T10:00:00.000Z"}]',
      '[{"id":"","title":"fifteen chars..","at":null},{"id":"0b0eb002-0000-4000-8000-000000000004","title":"sixteen chars...!","at":"x"}]',
    ];
    let matched = 0;
    for (const list of lists) {
      for (const text of variants(list)) {
        const { pattern, scan } = both(SHAPES.strings, text);
        expect(scan, JSON.stringify(text)).toBe(pattern);
        if (pattern >= 0) matched++;
      }
    }
    // Not only refusals: many of the variants are lists still.
    expect(matched).toBeGreaterThan(500);
  });

  it('ends a list of booleans, nulls and __typename where the pattern does', () => {
    const list = '[{"__typename":"Item","on":true,"maybe":null},null,{"__typename":"Item","on":false,"maybe":false}]';
    for (const text of variants(list)) {
      const { pattern, scan } = both(SHAPES.booleans, text);
      expect(scan, JSON.stringify(text)).toBe(pattern);
    }
  });

  it('reads strings of every length around its 16-byte step, with a stop at every place, in a list not at the start', () => {
    for (let length = 0; length < 50; length++) {
      const plain = 'a'.repeat(length);
      const text = `{"x":[{"id":"${plain}","title":"${plain}","at":null}],"y":1}`;
      expect(both(SHAPES.strings, text, 5)).toEqual({ pattern: text.indexOf('],"y"') + 1, scan: text.indexOf('],"y"') + 1 });
      for (let place = 0; place < length; place++) {
        for (const stop of ['"', '\\', '\u0000', '\u001f']) {
          const marked = text.replace(`"title":"${plain}"`, `"title":"${plain.slice(0, place)}${stop}${plain.slice(place + 1)}"`);
          const { pattern, scan } = both(SHAPES.strings, marked, 5);
          expect(scan, JSON.stringify(marked)).toBe(pattern);
        }
      }
    }
  });

  it("does not read a longer text's bytes left past a shorter one's end", () => {
    const whole = '[{"id":"a","title":"b","at":"c"},{"id":"abcdefghijklmnopqrstuvwxyz","title":null,"at":null}]';
    expect(both(SHAPES.strings, whole).scan).toBe(whole.length);
    for (let length = whole.length - 1; length > 0; length--) {
      new ScannedText(whole).listEnd(0, listTemplate(SHAPES.strings.list, SHAPES.strings.type)!, false);
      expect(both(SHAPES.strings, whole.slice(0, length)).scan, `${length}`).toBe(-1);
    }
    // A plain text's strings stop at quotes alone: one left open at the end must not run into the longer text's.
    const quotes = `[{"id":"${'a'.repeat(80)}","title":"b","at":"c"},{"id":"x","title":"y","at":"z"},{"id":"","title":"","at":""}]`;
    for (let length = quotes.length - 1; length > 0; length--) {
      new ScannedText(quotes, true).listEnd(0, listTemplate(SHAPES.strings.list, SHAPES.strings.type)!, false);
      expect(new ScannedText(quotes.slice(0, length), true).listEnd(0, listTemplate(SHAPES.strings.list, SHAPES.strings.type)!, false), `${length}`).toBe(-1);
    }
    const truncatedWord = '[{"__typename":"Item","on":true,"maybe":null}]';
    both(SHAPES.booleans, truncatedWord);
    for (const cut of ['[{"__typename":"Item","on":tru', '[{"__typename":"Item","on":fals', '[{"__typename":"Item","on":true,"maybe":nul', '[nul']) {
      expect(both(SHAPES.booleans, cut)).toEqual({ pattern: -1, scan: -1 });
    }
  });

  it('grows its memory for texts past its first page', () => {
    const item = '{"id":"0b0eb002-0000-4000-8000-000000000004","title":"Course 1000000 session 4","at":"2026-12-07T09:50:00.000Z"}';
    for (const count of [600, 3000]) {
      const text = `[${Array(count).fill(item).join(',')}]`;
      expect(both(SHAPES.strings, text)).toEqual({ pattern: text.length, scan: text.length });
      const broken = `${text.slice(0, text.length - 60)}\u0001${text.slice(text.length - 59)}`;
      expect(both(SHAPES.strings, broken)).toEqual({ pattern: -1, scan: -1 });
    }
  });

  it('has no template for leaves only the reader can check, or names past GraphQL', () => {
    expect(listTemplate(...swap(shapeOf([field('n', leaf('Int', true))], true)))).toBeUndefined();
    expect(
      listTemplate(
        ...swap(
          shapeOf(
            [
              field(
                'k',
                leaf('Kind', true, (value) => value === 'GOOD'),
              ),
            ],
            true,
          ),
        ),
      ),
    ).toBeUndefined();
    expect(listTemplate(...swap(shapeOf([field('caf\u00e9', leaf('String', true))], true)))).toBeUndefined();
  });

  it('under node --jitless: no scan, and the reader still keeps lists by their pattern', () => {
    const script = `
      const { listScanAvailable } = await import('./gateway/list-scan.ts');
      const { readEntityAnswer } = await import('./gateway/execution/entity-answer-reader.ts');
      const { RawJson } = await import('./gateway/execution/raw-json.ts');
      const shape = { typeName: 'Item', nonNull: true, item: { typeName: 'Item', nonNull: true, object: { type: { name: 'Item' },
        fieldsFor: () => ({ typeName: 'Item', valid: true, leaves: true, fields: [{ responseName: 'id', source: 'id', isTypename: false, value: { typeName: 'ID', nonNull: true, isValid: () => true } }] }) } } };
      const read = readEntityAnswer('{"data":{"_entities":[{"items":[{"id":"a"},{"id":"b"}]}]}}', () => shape, true, false);
      console.log(typeof WebAssembly, listScanAvailable, read.data._entities[0].items instanceof RawJson);`;
    const output = execFileSync(process.execPath, ['--jitless', '--no-warnings', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(output.trim()).toBe('undefined false true');
  });
});

const swap = ({ type, list }: { type: TypeFields; list: ValueShape }) => [list, type] as const;
