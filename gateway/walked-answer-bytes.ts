/**
 * The client's answer holding kept lists (execution/raw-json.ts), written
 * byte by byte into one buffer by walking the objects and lists shaping
 * named as holding them (`spliced`, shape-response.ts): each kept list's
 * bytes copied where it is met, every other value of those containers
 * written here, and what holds no kept list by JSON.stringify. Byte for byte
 * `JSON.stringify(answer)` and a newline.
 *
 * JSON.stringify of the whole answer with a placeholder per kept list
 * (spliced-answer-bytes.ts's other path) cost ~1.15 M instructions a course
 * list for ~9 kB of its own text: a call from C++ into toJSON per kept list,
 * the placeholder's escaped NUL, then a search for the placeholders and a
 * Buffer.write (a call into Node's C++) per piece between them; building
 * the same text by string concatenation here cost as much (~27 StringAdds an
 * item). Bytes stored one by one are a few instructions each
 * (bench/README-results.md, session 25).
 *
 * Only ASCII is written by hand: a string past printable ASCII, or holding
 * a quote or backslash, goes through JSON.stringify, and any text of this
 * walk past ASCII (a name with an accent) makes it give up (undefined) for
 * the placeholders' path, which writes UTF-8.
 */
import { giveBackAnswerBuffer, POOLED_FROM_BYTES, POOLED_UP_TO_BYTES, takeAnswerBuffer } from './answer-buffers.js';
import { RawJson } from './execution/raw-json.js';
import type { AnswerBytes } from './spliced-answer-bytes.js';

type Json = Record<string, unknown>;

const QUOTE = 0x22;
const [OPEN_LIST, CLOSE_LIST, OPEN_OBJECT, CLOSE_OBJECT, COMMA, COLON, NEWLINE] = [0x5b, 0x5d, 0x7b, 0x7d, 0x2c, 0x3a, 0x0a];

/** The room the last answer took, up to the pool's bound: the next starts with as much (a buffer grows when it runs out). */
let room = POOLED_FROM_BYTES;

class PastAscii extends Error {}

class Walk {
  buffer: Buffer;
  at = 0;

  constructor(private readonly spliced: ReadonlySet<object>) {
    this.buffer = takeAnswerBuffer(room) ?? Buffer.allocUnsafeSlow(room);
  }

  /** Room for `bytes` more. */
  ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const needed = Math.max(2 * this.buffer.length, this.at + bytes);
    const larger = takeAnswerBuffer(needed) ?? Buffer.allocUnsafeSlow(needed);
    larger.set(this.buffer.subarray(0, this.at));
    giveBackAnswerBuffer(this.buffer);
    this.buffer = larger;
  }

  /** One ASCII character's byte. */
  byte(code: number): void {
    if (this.at === this.buffer.length) this.ensure(1);
    this.buffer[this.at++] = code;
  }

  /** Text known to be ASCII. */
  ascii(text: string): void {
    this.ensure(text.length);
    const buffer = this.buffer;
    let at = this.at;
    for (let index = 0; index < text.length; index++) buffer[at++] = text.charCodeAt(index);
    this.at = at;
  }

  /** JSON.stringify's text of a value this walk does not take apart. */
  stringified(value: unknown): void {
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined) return this.ascii('null');
    for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) > 0x7f) throw new PastAscii();
    this.ascii(text);
  }

  /** A string as JSON.stringify writes it: as it is, quoted, when it is printable ASCII without quote or backslash. */
  string(value: string): void {
    this.ensure(value.length + 2);
    const buffer = this.buffer;
    const start = this.at;
    let at = start;
    buffer[at++] = QUOTE;
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (code < 0x20 || code > 0x7e || code === QUOTE || code === 0x5c) return this.stringified(value);
      buffer[at++] = code;
    }
    buffer[at++] = QUOTE;
    this.at = at;
  }

  /** A value that JSON.stringify would write (not undefined, a function or a symbol). */
  value(value: unknown): void {
    if (typeof value === 'string') this.string(value);
    else if (typeof value === 'object' && value !== null) {
      if (value instanceof RawJson) {
        this.ensure(value.byteLength());
        this.at += value.writeInto(this.buffer, this.at);
      } else if (!this.spliced.has(value)) this.stringified(value);
      else if (Array.isArray(value)) this.list(value);
      else this.object(value as Json);
    } else if (typeof value === 'number') this.ascii(Number.isFinite(value) ? String(value) : 'null');
    else if (typeof value === 'boolean') this.ascii(value ? 'true' : 'false');
    else this.stringified(value);
  }

  list(list: readonly unknown[]): void {
    this.byte(OPEN_LIST);
    for (let index = 0; index < list.length; index++) {
      if (index > 0) this.byte(COMMA);
      const value = list[index];
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') this.ascii('null');
      else this.value(value);
    }
    this.byte(CLOSE_LIST);
  }

  /**
   * for-in, not Object.keys: V8 reads `object[key]` of its own enumeration by the map's enum cache, where a key from
   * an array is a megamorphic keyed load (~0.1 k instructions a value). The same keys in the same order as
   * JSON.stringify's for the plain objects shaping makes, while nothing up their prototype chain is enumerable
   * (walkedAnswerBytes checks).
   */
  object(object: Json): void {
    this.byte(OPEN_OBJECT);
    let first = true;
    for (const key in object) {
      const value = object[key];
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      if (!first) this.byte(COMMA);
      first = false;
      this.string(key);
      this.byte(COLON);
      this.value(value);
    }
    this.byte(CLOSE_OBJECT);
  }
}

/**
 * Whether the walk's for-in would meet keys JSON.stringify does not write: enumerable ones up the answer's prototype
 * chain (an Object.prototype given one). The containers walked are plain objects of shaping, which share it.
 */
function inheritsEnumerable(answer: object): boolean {
  const prototype = Object.getPrototypeOf(answer) as object | null;
  if (prototype !== Object.prototype) return true;
  for (const _ in prototype) return true;
  return false;
}

/**
 * `{ errors, data, extensions }` as JSON.stringify writes it and a newline; `spliced`: the containers of `data`
 * that hold kept lists. Undefined when some of the text this walk writes would be past ASCII.
 */
export function walkedAnswerBytes(answer: { errors?: unknown; data?: unknown; extensions?: unknown }, spliced: ReadonlySet<object>): AnswerBytes | undefined {
  if (inheritsEnumerable(answer)) return undefined;
  const walk = new Walk(spliced);
  try {
    walk.object(answer as Json);
  } catch (error) {
    giveBackAnswerBuffer(walk.buffer);
    if (error instanceof PastAscii) return undefined;
    throw error;
  }
  walk.byte(NEWLINE);
  const { buffer, at } = walk;
  // A huge answer's room is not asked of the next (buffers past the pool's bound are not kept).
  room = Math.min(POOLED_UP_TO_BYTES, Math.max(POOLED_FROM_BYTES, at));
  if (at >= POOLED_FROM_BYTES) return { body: buffer.subarray(0, at), release: () => giveBackAnswerBuffer(buffer) };
  // A small answer: its own copy, the kept buffer back at once.
  const body = Buffer.allocUnsafe(at);
  body.set(buffer.subarray(0, at));
  giveBackAnswerBuffer(buffer);
  return { body };
}
