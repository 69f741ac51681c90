/**
 * A value of a subgraph's answer kept as its JSON text (a slice of the
 * answer) instead of parsed: a list the client's answer takes unchanged,
 * already checked against the shape it has there (`shape`, see
 * entity-answer-reader.ts). The answer's writer copies the text
 * (answer-chunks.ts); anything else that meets one reads `value()`, which
 * is what JSON.parse would have made of it, so that no path but the
 * writer's depends on it being text. JSON.stringify meets it through
 * toJSON and writes the same bytes as the text.
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
  ) {}

  /** The JSON text, as JSON.stringify writes the parsed value (the reader accepts only text that turns into it). */
  text(): string {
    const slice = this.source.slice(this.start, this.end);
    return this.escaped ? unescapeWide(slice) : slice;
  }

  /** The value, as JSON.parse makes it: a fresh copy each call. */
  value(): unknown {
    return JSON.parse(this.source.slice(this.start, this.end));
  }

  toJSON(): unknown {
    return this.value();
  }
}
