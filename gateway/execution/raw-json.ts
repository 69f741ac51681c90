/**
 * A value of a subgraph's answer kept as its JSON text (a slice of the
 * answer) instead of parsed: a list the client's answer takes unchanged,
 * already checked against the shape it has there (`shape`, see
 * entity-answer-reader.ts). The answer's writers copy the text
 * (answer-chunks.ts) or its bytes (spliced-answer-bytes.ts); anything else
 * that meets one reads `value()`, which is what JSON.parse would have made
 * of it, so that no path but the writers' depends on it being text.
 * JSON.stringify meets it through toJSON and writes the same bytes as the
 * text, or, inside stringifyHoldingText, a placeholder the writer replaces.
 */
import type { ValueShape } from './response-shape.js';
import { unescapeWide } from './wide-escapes.js';

/** What toJSON answers inside stringifyHoldingText; JSON.stringify writes it as PLACEHOLDER_JSON. */
const PLACEHOLDER = '\u0000raw';
export const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);

/** The values met by toJSON, in the order JSON.stringify wrote them, while stringifyHoldingText runs. */
let met: RawJson[] | undefined;

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
    if (met === undefined) return this.value();
    met.push(this);
    return PLACEHOLDER;
  }
}

/**
 * JSON.stringify of `value` with each RawJson in it written as PLACEHOLDER_JSON, and those values in the order
 * written. A string of the data that equals the placeholder is written the same way: the caller tells them apart
 * by counting (spliced-answer-bytes.ts).
 */
export function stringifyHoldingText(value: unknown): { text: string; raws: RawJson[] } {
  const raws: RawJson[] = [];
  met = raws;
  try {
    return { text: JSON.stringify(value), raws };
  } finally {
    met = undefined;
  }
}
