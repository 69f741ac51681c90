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
 * A string of the data that reads as a placeholder (a number out of range,
 * met twice, or not followed by its closing quote) makes the answer not
 * written here: every place must be found exactly once, else the caller
 * writes the answer with answer-chunks.ts.
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
const ZERO = 48;
const NINE = 57;

/**
 * `{ errors, data, extensions }` as JSON.stringify writes it and a newline, or undefined (see above); `places`:
 * where shaping put the RawJson values of `data` (plan-executor.ts's SplicedResult).
 */
export function splicedAnswerBytes(answer: { errors?: unknown; data?: unknown; extensions?: unknown }, places: RawPlaces): AnswerBytes | undefined {
  const text = stringifyWithPlaceholders(answer, places);
  if (text === undefined) return undefined;
  const raws = places.raws;
  // Where each placeholder starts and ends in the text, and whose place it is; every place exactly once.
  const starts: number[] = [];
  const ends: number[] = [];
  const found: number[] = [];
  const seen = new Uint8Array(raws.length);
  for (let at = text.indexOf(PLACEHOLDER_JSON_START); at >= 0; at = text.indexOf(PLACEHOLDER_JSON_START, ends[ends.length - 1]!)) {
    let index = 0;
    let end = at + PLACEHOLDER_JSON_START.length;
    const digits = end;
    for (let code = text.charCodeAt(end); code >= ZERO && code <= NINE; code = text.charCodeAt(++end)) index = index * 10 + code - ZERO;
    // Written as the placeholder's number is: digits, no leading zero, a closing quote.
    if (end === digits || end - digits > 9 || (end - digits > 1 && text.charCodeAt(digits) === ZERO) || text.charCodeAt(end) !== QUOTE || index >= raws.length || seen[index] === 1)
      return undefined;
    seen[index] = 1;
    starts.push(at);
    ends.push(end + 1);
    found.push(index);
  }
  if (found.length !== raws.length) return undefined;
  // The placeholders are ASCII: the pieces between them have the text's UTF-8 length less theirs.
  const textBytes = Buffer.byteLength(text);
  const encoding: BufferEncoding = textBytes === text.length ? 'latin1' : 'utf8';
  let length = textBytes + 1;
  for (let index = 0; index < found.length; index++) length += raws[found[index]!]!.byteLength() - (ends[index]! - starts[index]!);
  const kept = takeAnswerBuffer(length);
  const buffer = kept ?? Buffer.allocUnsafe(length);
  let offset = 0;
  let from = 0;
  for (let index = 0; index < found.length; index++) {
    offset += buffer.write(text.slice(from, starts[index]), offset, encoding);
    offset += raws[found[index]!]!.writeInto(buffer, offset);
    from = ends[index]!;
  }
  offset += buffer.write(from === 0 ? text : text.slice(from), offset, encoding);
  buffer[offset++] = NEWLINE;
  return { body: buffer.subarray(0, offset), release: kept && (() => giveBackAnswerBuffer(kept)) };
}
