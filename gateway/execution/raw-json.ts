/**
 * A value of a subgraph's answer kept as its JSON text (a slice of the
 * answer) instead of parsed: a list the client's answer takes unchanged,
 * already checked against the shape it has there (`shape`, see
 * entity-answer-reader.ts). The answer's writers copy the text
 * (answer-chunks.ts) or its bytes (spliced-answer-bytes.ts); anything else
 * that meets one reads `value()`, which is what JSON.parse would have made
 * of it, so that no path but the writers' depends on it being text.
 * JSON.stringify meets it through toJSON and writes the same bytes as the
 * text.
 *
 * Shaping notes where it put each one (RawPlaces), so that the fast lane's
 * writer can stringify the answer with a placeholder string in each place
 * for a moment (stringifyWithPlaceholders): JSON.stringify calling toJSON,
 * a call from C++ into JavaScript, cost ~1 k instructions each, 200 a course
 * list (bench/README-results.md). Each placeholder names its place's number:
 * the writer takes the i-th one it finds only if it is place i's (stringify
 * meets them in the order shaping noted them), so that no string of the data
 * can stand in for kept text.
 */
import type { ValueShape } from './response-shape.js';
import { unescapeWide } from './wide-escapes.js';

export class RawJson {
  constructor(
    private readonly source: string,
    private readonly start: number,
    private readonly end: number,
    /** The answer's shape this text was checked against: shaping takes it as it is only for that shape. */
    readonly shape: ValueShape,
    /** Whether the text holds `\uXXXX` escapes of characters past Latin-1 (wide-escapes.ts). */
    private readonly escaped = false,
    /**
     * Whether the answer's bytes were ASCII (`source` their Latin-1 decoding: one byte per character). Only the
     * flag is kept, not the bytes: they were read into a buffer reused by the next answer (subgraph-data-source.ts).
     */
    private readonly ascii = false,
  ) {}

  /** The JSON text, as JSON.stringify writes the parsed value (the reader accepts only text that turns into it). */
  text(): string {
    const slice = this.source.slice(this.start, this.end);
    return this.escaped ? unescapeWide(slice) : slice;
  }

  /** The text's length in UTF-8. */
  byteLength(): number {
    return this.ascii && !this.escaped ? this.end - this.start : Buffer.byteLength(this.text());
  }

  /** The text written as UTF-8 into `buffer` at `offset` (room for byteLength() bytes); the bytes written. */
  writeInto(buffer: Buffer, offset: number): number {
    // Escapes (which an ASCII answer may hold) are written as their characters: not a copy.
    if (this.ascii && !this.escaped) return buffer.write(this.source.slice(this.start, this.end), offset, 'latin1');
    return buffer.write(this.text(), offset, 'utf8');
  }

  /** The value, as JSON.parse makes it: a fresh copy each call. */
  value(): unknown {
    return JSON.parse(this.source.slice(this.start, this.end));
  }

  toJSON(): unknown {
    return this.value();
  }
}

type Holder = Record<string | number, unknown>;

/** Where shaping put the RawJson values of one answer: `holders[i][keys[i]]` is `raws[i]`. */
export class RawPlaces {
  readonly holders: Holder[] = [];
  readonly keys: (string | number)[] = [];
  readonly raws: RawJson[] = [];

  get length(): number {
    return this.raws.length;
  }

  add(holder: object, key: string | number, raw: RawJson): void {
    this.holders.push(holder as Holder);
    this.keys.push(key);
    this.raws.push(raw);
  }

  /** Forgets the places noted after the first `length` (their holder was dropped: a null bubbled up past it). */
  truncate(length: number): void {
    this.holders.length = length;
    this.keys.length = length;
    this.raws.length = length;
  }
}

/** Place i's placeholder: this then i, which JSON.stringify writes as PLACEHOLDER_JSON_START, the digits and a quote. */
const PLACEHOLDER_START = '\u0000raw';
export const PLACEHOLDER_JSON_START = JSON.stringify(PLACEHOLDER_START).slice(0, -1);

/** Placeholders made, by number (an answer's first few hundred are all a course list needs). */
const placeholders: string[] = [];
const PLACEHOLDERS_KEPT = 4096;

function placeholder(index: number): string {
  if (index >= PLACEHOLDERS_KEPT) return `${PLACEHOLDER_START}${index}`;
  return (placeholders[index] ??= `${PLACEHOLDER_START}${index}`);
}

/**
 * JSON.stringify of `value`, with place i's RawJson written as the placeholder of i, each put back after; undefined
 * when a place was noted twice (or no longer holds its value), so that no number can stand for two places. A
 * RawJson not noted is written by toJSON, parsed: that makes no wrong bytes, only a slower answer.
 */
export function stringifyWithPlaceholders(value: unknown, places: RawPlaces): string | undefined {
  const { holders, keys, raws } = places;
  let swapped = 0;
  try {
    for (; swapped < raws.length; swapped++) {
      const holder = holders[swapped]!;
      const key = keys[swapped]!;
      if (holder[key] !== raws[swapped]) return undefined;
      holder[key] = placeholder(swapped);
    }
    return JSON.stringify(value);
  } finally {
    for (let index = 0; index < swapped; index++) holders[index]![keys[index]!] = raws[index];
  }
}
