/**
 * The client's answer when it holds subgraph text (execution/raw-json.ts),
 * written once into one Buffer: the answer stringified whole by
 * JSON.stringify, each kept list a numbered placeholder, then the pieces
 * between placeholders written and each kept list's bytes copied from the
 * subgraph's answer in its place. Byte for byte what answer-chunks.ts
 * writes (JSON.stringify of the parsed answer and a newline), without its
 * string pieces: the kept lists (most of the course list's 115 kB) were
 * added to strings, flattened, measured with Buffer.byteLength and encoded
 * again into the answer buffer; here they are one copy each, and what
 * stringify writes (the academy part, ~10 kB) stays under the size past
 * which V8 builds strings in its large-object space.
 *
 * A string of the data that reads as a placeholder (not the next place's
 * number, or not followed by its closing quote) makes the answer not
 * written here: every place must be found exactly once, in order, else
 * the caller writes the answer with answer-chunks.ts.
 */
import { giveBackAnswerBuffer, takeAnswerBuffer } from './answer-buffers.js';
import { PLACEHOLDER_JSON_START, type RawPlaces, stringifyWithPlaceholders } from './execution/raw-json.js';

export interface AnswerBytes {
  /** The answer, newline included. */
  body: Buffer;
  /** Once the socket is done with `body` (the response's finish): gives a kept buffer back (answer-buffers.ts). */
  release?: () => void;
}

const NEWLINE = 0x0a;
const QUOTE = 34;

/** The decimal digits of place numbers, made once each. */
const numbers: string[] = [];
const NUMBERS_KEPT = 4096;
const numberText = (index: number) => (index < NUMBERS_KEPT ? (numbers[index] ??= String(index)) : String(index));

/**
 * `{ errors, data, extensions }` as JSON.stringify writes it and a newline, or undefined (see above); `places`:
 * where shaping put the RawJson values of `data` (plan-executor.ts's SplicedResult). Stringify meets the places in
 * the order shaping noted them (both walk the answer's fields in order): place i's placeholder must be the i-th
 * one found, exactly, else the answer is not written here.
 */
export function splicedAnswerBytes(answer: { errors?: unknown; data?: unknown; extensions?: unknown }, places: RawPlaces): AnswerBytes | undefined {
  const text = stringifyWithPlaceholders(answer, places);
  if (text === undefined) return undefined;
  const raws = places.raws;
  const count = raws.length;
  // The placeholders are ASCII: the pieces between them have the text's UTF-8 length less theirs.
  let length = Buffer.byteLength(text) + 1;
  const encoding: BufferEncoding = length - 1 === text.length ? 'latin1' : 'utf8';
  for (let index = 0; index < count; index++) length += raws[index]!.byteLength() - (PLACEHOLDER_JSON_START.length + numberText(index).length + 1);
  const kept = takeAnswerBuffer(length);
  const buffer = kept ?? Buffer.allocUnsafe(length);
  let offset = 0;
  let from = 0;
  let index = 0;
  for (let at = text.indexOf(PLACEHOLDER_JSON_START); at >= 0; at = text.indexOf(PLACEHOLDER_JSON_START, from)) {
    const digits = at + PLACEHOLDER_JSON_START.length;
    const number = index < count ? numberText(index) : '';
    if (number === '' || !text.startsWith(number, digits) || text.charCodeAt(digits + number.length) !== QUOTE) {
      if (kept) giveBackAnswerBuffer(kept);
      return undefined;
    }
    offset += buffer.write(text.slice(from, at), offset, encoding);
    offset += raws[index]!.writeInto(buffer, offset);
    from = digits + number.length + 1;
    index++;
  }
  if (index !== count) {
    if (kept) giveBackAnswerBuffer(kept);
    return undefined;
  }
  offset += buffer.write(from === 0 ? text : text.slice(from), offset, encoding);
  buffer[offset++] = NEWLINE;
  return { body: buffer.subarray(0, offset), release: kept && (() => giveBackAnswerBuffer(kept)) };
}
