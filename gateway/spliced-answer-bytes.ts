/**
 * The client's answer when it holds subgraph text (execution/raw-json.ts),
 * written once into one Buffer: the answer stringified whole by
 * JSON.stringify, each kept list a placeholder, then the pieces between
 * placeholders written and each kept list's bytes copied from the
 * subgraph's answer in its place. Byte for byte what answer-chunks.ts
 * writes (JSON.stringify of the parsed answer and a newline), without its
 * string pieces: the kept lists (most of the course list's 115 kB) were
 * added to strings, flattened, measured with Buffer.byteLength and encoded
 * again into the answer buffer; here they are one copy each, and what
 * stringify writes (the academy part, ~10 kB) stays under the size past
 * which V8 builds strings in its large-object space.
 *
 * Given the containers that hold kept lists (`spliced`), walked-answer-bytes.ts
 * writes it instead, when it can.
 *
 * A string of the data equal to the placeholder would read as one: the
 * placeholders found must be exactly the kept lists met, else the caller
 * writes the answer with answer-chunks.ts.
 */
import { giveBackAnswerBuffer, takeAnswerBuffer } from './answer-buffers.js';
import { walkedAnswerBytes } from './walked-answer-bytes.js';
import { PLACEHOLDER_JSON, stringifyHoldingText } from './execution/raw-json.js';

export interface AnswerBytes {
  /** The answer, newline included. */
  body: Buffer;
  /** Once the socket is done with `body` (the response's finish): gives a kept buffer back (answer-buffers.ts). */
  release?: () => void;
}

const NEWLINE = 0x0a;

type Answer = { errors?: unknown; data?: unknown; extensions?: unknown };

/** `{ errors, data, extensions }` as JSON.stringify writes it and a newline, or undefined (see above). */
export function splicedAnswerBytes(answer: Answer, spliced?: ReadonlySet<object>): AnswerBytes | undefined {
  return (spliced && walkedAnswerBytes(answer, spliced)) || placeholderAnswerBytes(answer);
}

/** JSON.stringify's text with placeholders for the kept lists (see above). */
function placeholderAnswerBytes(answer: Answer): AnswerBytes | undefined {
  const { text, raws } = stringifyHoldingText(answer);
  const places: number[] = [];
  for (let at = text.indexOf(PLACEHOLDER_JSON); at >= 0; at = text.indexOf(PLACEHOLDER_JSON, at + PLACEHOLDER_JSON.length)) places.push(at);
  if (places.length !== raws.length) return undefined;
  // The placeholders are ASCII: the pieces between them have the text's UTF-8 length less theirs.
  const textBytes = Buffer.byteLength(text);
  const encoding: BufferEncoding = textBytes === text.length ? 'latin1' : 'utf8';
  let length = textBytes - places.length * PLACEHOLDER_JSON.length + 1;
  for (let index = 0; index < raws.length; index++) length += raws[index]!.byteLength();
  const kept = takeAnswerBuffer(length);
  const buffer = kept ?? Buffer.allocUnsafe(length);
  let offset = 0;
  let from = 0;
  for (let index = 0; index < places.length; index++) {
    offset += buffer.write(text.slice(from, places[index]), offset, encoding);
    offset += raws[index]!.writeInto(buffer, offset);
    from = places[index]! + PLACEHOLDER_JSON.length;
  }
  offset += buffer.write(from === 0 ? text : text.slice(from), offset, encoding);
  buffer[offset++] = NEWLINE;
  return { body: buffer.subarray(0, offset), release: kept && (() => giveBackAnswerBuffer(kept)) };
}
