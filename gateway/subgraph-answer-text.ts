/**
 * A subgraph's answer bytes (UTF-8 JSON) as the text JSON.parse reads, kept
 * a one-byte string. One character past Latin-1 (an emoji in a live class's
 * title) makes the decoded text two-byte, twice its length in memory: an
 * 87 kB answer became a 174 kB string, over the 128 kB past which V8
 * allocates a string in its large-object space, and decoding it took
 * ~1.1 ms in-process against ~0.02 ms for the same answer in ASCII.
 * Such characters only occur inside JSON strings, where `\uXXXX` escapes
 * say the same: they are written so (UTF-16 units, as JSON.parse reads
 * them) and the rest is decoded as before. JSON.parse then makes two-byte
 * strings only of the values that hold them.
 *
 * Well-formed UTF-8 (what subgraphs write) is read one byte per character
 * and each multi-byte sequence then rewritten by one regular expression: in
 * the course list's 90 kB with an emoji in every title, ~150 µs against
 * ~330 µs for the loop over every byte that malformed answers still take.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { scratch, scratchHasControl } from './control-bytes.js';

const HEX = '0123456789abcdef';

function escapeUnit(unit: number): string {
  return `\\u${HEX[(unit >> 12) & 15]}${HEX[(unit >> 8) & 15]}${HEX[(unit >> 4) & 15]}${HEX[unit & 15]}`;
}

/** The code point of the UTF-8 sequence at `index` of `length` bytes (a well-formed one: invalid bytes are left to the decoder). */
function codePoint(bytes: Uint8Array, index: number, length: number): number {
  if (length === 2) return ((bytes[index]! & 0x1f) << 6) | (bytes[index + 1]! & 0x3f);
  if (length === 3) return ((bytes[index]! & 0x0f) << 12) | ((bytes[index + 1]! & 0x3f) << 6) | (bytes[index + 2]! & 0x3f);
  return ((bytes[index]! & 0x07) << 18) | ((bytes[index + 1]! & 0x3f) << 12) | ((bytes[index + 2]! & 0x3f) << 6) | (bytes[index + 3]! & 0x3f);
}

/** One multi-byte sequence of well-formed UTF-8, read one byte per character. */
const SEQUENCE = /[\xc2-\xf4][\x80-\xbf]+/g;

/** The character of such a sequence as answerText writes it: itself within Latin-1, else escaped. */
function sequenceText(sequence: string): string {
  const length = sequence.length;
  // The lead byte's bits (5, 4 or 3 of them for 2, 3 or 4 bytes), then 6 from each continuation byte.
  let point = sequence.charCodeAt(0) & (0xff >> (length + 1));
  for (let index = 1; index < length; index++) point = (point << 6) | (sequence.charCodeAt(index) & 0x3f);
  if (point < 0x100) return String.fromCharCode(point);
  if (point < 0x10000) return escapeUnit(point);
  return escapeUnit(0xd800 + ((point - 0x10000) >> 10)) + escapeUnit(0xdc00 + ((point - 0x10000) & 0x3ff));
}

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;

/**
 * A decoded answer. A class, not an object literal: V8 may pretenure a literal's allocation site (allocate its
 * objects straight into the old generation) once it sees them survive scavenges, and an old object born per fetch
 * keeps its young text alive through every scavenge until the next mark-compact. Objects of a class have no
 * allocation site (bench/README-results.md, "allocation sites").
 */
export class DecodedAnswer {
  constructor(
    readonly text: string,
    /** Whether the bytes were ASCII. */
    readonly ascii: boolean,
    /**
     * Whether the text is known to hold no C0 control character before its trailing whitespace (checked for answers
     * of CHECKED_FROM bytes or more, control-bytes.ts): a reader may then check its strings for quotes and
     * backslashes alone (execution/list-pattern.ts). False says nothing either way.
     */
    readonly controlFree = false,
  ) {}
}

/**
 * The answer's text, and whether its bytes were ASCII (one byte per character of the text, which writers may then
 * write as Latin-1). Nothing returned refers to `bytes`: the caller may reuse them.
 */
export function decodeAnswer(bytes: Buffer, controlFree = false): DecodedAnswer {
  return isAscii(bytes) ? new DecodedAnswer(bytes.toString('latin1'), true, controlFree) : new DecodedAnswer(answerText(bytes), false, controlFree);
}

/**
 * Answers from this many bytes are looked over for control characters, in the module's memory of
 * control-bytes.ts, where several chunks are put together anyway: a smaller one holds too little text for the
 * cheaper check to pay for the copy.
 */
export const CHECKED_FROM = 2048;
/**
 * Larger answers are rare: put together in a buffer of their own, not checked. The scratch buffer that joins the
 * others is one for the process, written and read within one call (decodeAnswerChunks), so that it never holds two
 * answers at once and nothing decoded refers to it: Buffer.concat took a fresh one per answer (the course list's
 * live classes, 87 kB in two socket reads, were ~85 kB of the ~215 kB of array buffers a course list allocated, and
 * V8 scavenges every 32 MB of young array buffers whatever the young generation's size, bench/README-results.md).
 */
const JOINED_UP_TO = 4 * 1024 * 1024;

const isWhitespace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * decodeAnswer of the bytes `chunks` hold one after the other (`length` in all); the chunks may be reused after.
 * `lookOver`: whether to look a large answer over for control characters (only a reader that keeps text asks).
 */
export function decodeAnswerChunks(chunks: readonly Buffer[], length: number, lookOver = true): DecodedAnswer {
  const looked = lookOver && length >= CHECKED_FROM && length <= JOINED_UP_TO;
  if (chunks.length === 1 && !looked) return decodeAnswer(chunks[0]!);
  if (length > JOINED_UP_TO) return decodeAnswer(Buffer.concat(chunks, length));
  const joined = scratch(length);
  let offset = 0;
  for (let index = 0; index < chunks.length; index++) {
    const chunk = chunks[index]!;
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  let controlFree = false;
  if (looked) {
    // JSON's whitespace after the value (a newline ends most answers) is no control character of its text.
    let end = length;
    while (end > 0 && isWhitespace(joined[end - 1]!)) end--;
    controlFree = !scratchHasControl(end);
  }
  return decodeAnswer(chunks.length === 1 ? chunks[0]! : joined.subarray(0, length), controlFree);
}

export function answerText(bytes: Buffer): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (isUtf8(bytes)) return bytes.toString('latin1').replace(SEQUENCE, sequenceText);
  // Malformed: byte by byte, what is not well-formed left to the decoder.
  const parts: string[] = [];
  let from = 0;
  for (let index = 0; index < bytes.length; index++) {
    const lead = bytes[index]!;
    // 0xc2-0xc3 lead U+0080-U+00FF (Latin-1, one-byte); 0xc4-0xdf, 0xe0-0xef, 0xf0-0xf4 lead what is past it.
    if (lead < 0xc4 || lead > 0xf4) continue;
    const length = lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    let wellFormed = true;
    for (let next = 1; next < length; next++) if (!isContinuation(bytes[index + next])) wellFormed = false;
    if (!wellFormed) continue;
    const point = codePoint(bytes, index, length);
    // Overlong forms and surrogates are not valid UTF-8: left to the decoder, which replaces them.
    if (point < 0x100 || (point >= 0xd800 && point <= 0xdfff) || point > 0x10ffff) continue;
    parts.push(bytes.toString('utf8', from, index));
    if (point < 0x10000) parts.push(escapeUnit(point));
    else parts.push(escapeUnit(0xd800 + ((point - 0x10000) >> 10)) + escapeUnit(0xdc00 + ((point - 0x10000) & 0x3ff)));
    index += length - 1;
    from = index + 1;
  }
  if (from === 0) return bytes.toString('utf8');
  parts.push(bytes.toString('utf8', from));
  return parts.join('');
}
