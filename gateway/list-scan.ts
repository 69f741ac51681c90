/**
 * Where a list of objects of leaves in an ASCII text ends when it is in its
 * expected form, found by a small WebAssembly function over the text's
 * bytes: the work entity-answer-reader.ts's sticky pattern (list-pattern.ts,
 * `"[^"\\\x00-\x1f]*"` for each string) does in irregexp at ~6
 * instructions a character, here 16 bytes a step with SIMD
 * (bench/README-results.md, session 24).
 *
 * The form is a template of bytes, one per item (execution/list-template.ts):
 * runs of the item's own bytes (braces, keys, colons, commas, `__typename`'s
 * value, the quotes around strings that cannot be null), each compared 16
 * bytes at once, and its leaves: a string's characters up to the first
 * quote, backslash or control byte (the next run then must begin with its
 * closing quote), a whole string or null, true or false, the same or null.
 * The list is `[]` or `[item(,item)*]`, an item null too where allowed: what
 * the pattern matches, byte for byte.
 *
 * The module's memory holds the templates first (TEMPLATE_BYTES), then the
 * text being read (`ScannedText`), a 0 after it and room for a 16-byte step
 * past that: no run's byte, quote or word is 0, so the function stops at the
 * text's end without checking bounds. Assembled below, one line of
 * instructions a step (WebAssembly's binary format; SIMD after the 0xfd
 * prefix):
 *
 *   (func (export "list") (param $at i32) (param $nullItem i32) (param $template i32) (result i32)
 *     '[' at $at, else 0; ']' right after: past it
 *     (loop $item (block $done
 *       null where $nullItem allows: past it, (br $done)
 *       (loop $op  (br_table on the template's next byte:
 *                  0 (br $done); 1: v128 steps to the first stop byte; 5: a run, v128.load, i8x16.eq, bitmask & mask;
 *                  2: null or a whole string ($stringEnd); 3, 4: true, false (or null)), any mismatch returns 0)
 *       the next byte: ']' returns past it, ',' (br $item), anything else 0))
 *   (func $stringEnd (param $p i32) (result i32): the first quote, backslash or control byte from $p, 16 a step)
 *   (memory (export "memory") 1)
 */
import { leb, moduleBytes, name, section, sleb } from './wasm-binary.js';

// The instructions used, as WebAssembly's binary format numbers them.
const VOID = 0x40;
const block = [0x02, VOID];
const loop = [0x03, VOID];
const ifThen = [0x04, VOID];
const end = 0x0b;
const br = (depth: number) => [0x0c, depth];
const brIf = (depth: number) => [0x0d, depth];
const brTable = (depths: number[], otherwise: number) => [0x0e, ...leb(depths.length), ...depths, otherwise];
const ret = 0x0f;
const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const tee = (local: number) => [0x22, local];
const int = (value: number) => [0x41, ...sleb(value)];
const load8 = [0x2d, 0x00, 0x00];
const load16 = [0x2f, 0x01, 0x02]; // at offset 2: a run's mask
const load32 = [0x28, 0x00, 0x00];
const [eqz, eq, ne] = [0x45, 0x46, 0x47];
const [ctz, add, and] = [0x68, 0x6a, 0x71];
const simd = (op: number) => [0xfd, ...leb(op)];
const [v128Load, i8Eq, i8LtU, v128Or, bitmask] = [simd(0x00).concat(0x00, 0x00), simd(0x23), simd(0x26), simd(0x50), simd(0x64)];
const lanes = (byte: number) => [...simd(0x0c), ...Array<number>(16).fill(byte)]; // v128.const

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const word = (text: string) => Buffer.from(text, 'latin1').readInt32LE(0);

/** A template's leaves (see above), and its runs of own bytes: LITERAL, their count (1-16), a 16-bit mask of as many ones, the bytes. */
export const STRING = 1;
export const STRING_OR_NULL = 2;
export const BOOLEAN = 3;
export const BOOLEAN_OR_NULL = 4;
export const LITERAL = 5;

/**
 * Leaves on the stack the mask of the 16 bytes at local `p` (kept in v128 local `v`) that stop a string: quotes,
 * backslashes and control bytes, against the lanes of those in `lanes` (locals, or constants).
 */
const stops = (p: number, v: number, quotes: number[], backslashes: number[], controls: number[]) => [
  ...get(p),
  ...v128Load,
  ...tee(v),
  ...quotes,
  ...i8Eq,
  ...get(v),
  ...backslashes,
  ...i8Eq,
  ...v128Or,
  ...get(v),
  ...controls,
  ...i8LtU,
  ...v128Or,
  ...bitmask,
];

// $stringEnd (a string that may be null, called): locals 0 $p, 1 $bits, 2 $v. No bound: the 0 after the text
// stops it, and the memory has room for a step's 16 bytes past that 0.
const STRING_END = [
  [0x02, 0x01, 0x7f, 0x01, 0x7b], // locals: one i32, one v128
  loop,
  [...stops(0, 2, lanes(QUOTE), lanes(BACKSLASH), lanes(0x20)), ...set(1)],
  [...get(1), ...ifThen, ...get(0), ...get(1), ctz, add, ret, end],
  [...get(0), ...int(16), add, ...set(0), ...br(0), end],
  [0x00, end], // unreachable
].flat();

// list: params $at, $nullItem, $template, $plain; locals $t, $op, $n, $bits (i32), $v, and the lanes of quotes,
// backslashes, control bytes (v128). Function 1 is $stringEnd.
const [AT, NULL_ITEM, TEMPLATE, PLAIN] = [0, 1, 2, 3];
const [T, OP, N, BITS, V, QUOTES, BACKSLASHES, CONTROLS] = [4, 5, 6, 7, 8, 9, 10, 11];
const at = (offset: number) => [...get(AT), ...(offset ? [...int(offset), add] : [])];
const advance = (count: number) => [...get(AT), ...int(count), add, ...set(AT)];
const step = (count: number) => [...get(T), ...int(count), add, ...set(T)];
const isWord = (text: string) => [...get(AT), ...load32, ...int(word(text)), eq];
const fail = [...ifThen, ...int(0), ret, end];
/** Up to the first byte whose bit `mask` (on the stack) sets, 16 bytes a step: its mask left in $bits. */
const scanTo = (mask: number[]) => [...block, ...loop, ...mask, ...tee(BITS), ...brIf(1), ...advance(16), ...br(0), end, end];
const LIST = [
  [0x02, 0x04, 0x7f, 0x04, 0x7b], // locals: four i32, four v128
  [...lanes(QUOTE), ...set(QUOTES), ...lanes(BACKSLASH), ...set(BACKSLASHES), ...lanes(0x20), ...set(CONTROLS)],
  [...at(0), ...load8, ...int(0x5b), ne, ...fail], // '['
  advance(1),
  [...at(0), ...load8, ...int(0x5d), eq, ...ifThen, ...at(1), ret, end], // ']': the empty list
  loop, // $item
  block, // $done
  [...get(NULL_ITEM), ...isWord('null'), and, ...ifThen, ...advance(4), ...br(1), end],
  [...get(TEMPLATE), ...set(T)],
  loop, // $op
  block, // $other: 2, 3, 4
  block, // $literal
  block, // $string
  block, // $end
  [...get(T), ...load8, ...tee(OP), ...brTable([0, 1, 3, 3, 3, 2], 3), end],
  [...br(4), end], // 0: the item's end, (br $done)
  // 1: a string that cannot be null, its quotes the runs' around it: up to the first stop byte, which the next
  // run's quote then must be. In a plain text (no backslash, no control byte anywhere) only quotes stop it.
  [...get(PLAIN), ...ifThen, ...scanTo([...get(AT), ...v128Load, ...get(QUOTES), ...i8Eq, ...bitmask])],
  [0x05, ...scanTo(stops(AT, V, get(QUOTES), get(BACKSLASHES), get(CONTROLS))), end], // else
  [...get(AT), ...get(BITS), ctz, add, ...set(AT), ...step(1), ...br(2), end],
  // 5: a run of the template's own bytes, 16 compared at once, the mask keeping those of the run.
  [...get(AT), ...v128Load, ...get(T), ...int(4), add, ...v128Load, ...i8Eq, ...bitmask, ...get(T), ...load16, ...tee(BITS), and, ...get(BITS), ne, ...fail],
  [...get(T), ...int(1), add, ...load8, ...set(N)],
  [...get(AT), ...get(N), add, ...set(AT), ...get(T), ...get(N), add, ...int(4), add, ...set(T), ...br(1), end],
  // 2, 3, 4.
  step(1),
  [...get(OP), ...int(1), and, eqz, ...isWord('null'), and, ...ifThen, ...advance(4), ...br(1), end], // 2 or 4: null
  [...get(OP), ...int(STRING_OR_NULL), eq, ...ifThen],
  [...at(0), ...load8, ...int(QUOTE), ne, ...fail],
  [...at(1), 0x10, 0x01, ...set(N)], // call $stringEnd
  [...get(N), ...load8, ...int(QUOTE), ne, ...fail],
  [...get(N), ...int(1), add, ...set(AT), ...br(1), end],
  [...isWord('true'), ...ifThen, ...advance(4), ...br(1), end], // 3 or 4: a boolean
  [...isWord('fals'), ...ifThen, ...at(4), ...load8, ...int(0x65), eq, ...ifThen, ...advance(5), ...br(2), end, end],
  [...int(0), ret, end, end], // end $op, end $done
  [...at(0), ...load8, ...set(OP), ...advance(1)],
  [...get(OP), ...int(0x5d), eq, ...ifThen, ...get(AT), ret, end], // ']'
  [...get(OP), ...int(0x2c), ne, ...fail], // ','
  [...br(0), end], // end $item
  [...int(0), end],
].flat();

const I32 = 0x7f;
const MODULE = moduleBytes(
  section(1, [0x02, 0x60, 0x04, I32, I32, I32, I32, 0x01, I32, 0x60, 0x01, I32, 0x01, I32]), // (i32 x 4) -> i32, (i32) -> i32
  section(3, [0x02, 0x00, 0x01]), // list, $stringEnd
  section(5, [0x01, 0x00, 0x01]), // one memory, one page to start with
  section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('list'), 0x00, 0x00]),
  section(10, [0x02, ...leb(LIST.length), ...LIST, ...leb(STRING_END.length), ...STRING_END]),
);

const PAGE = 64 * 1024;
/** The templates' room at the start of the memory; past it, shapes are left to the pattern. */
export const TEMPLATE_BYTES = 16 * 1024;
/**
 * What follows the text: a 0, which stops a string's scan and matches no run, word or separator; a quote, which
 * stops a plain text's scan (quotes alone) at the latest there; then 0s for a step's 16 bytes from it, so that the
 * run after that quote fails: the function reads nothing past these.
 */
const TAIL = Uint8Array.from([0, QUOTE, ...Array<number>(32).fill(0)]);

/** The module; undefined where Node runs without WebAssembly (`--jitless`). */
const module = (() => {
  if (typeof WebAssembly === 'undefined') return undefined;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE));
  return { memory: instance.exports.memory as WebAssembly.Memory, list: instance.exports.list as (at: number, nullItem: number, template: number, plain: number) => number };
})();

let view = module ? Buffer.from(module.memory.buffer) : undefined;
let templatesEnd = 0;

/** Whether lists can be scanned here (not under `--jitless`). */
export const listScanAvailable = module !== undefined;

/** Stores a template (its bytes, 0 at the end) and gives its address, or undefined when there is no room (or no module). */
export function storeTemplate(template: Uint8Array): number | undefined {
  if (view === undefined || templatesEnd + template.length > TEMPLATE_BYTES) return undefined;
  const address = templatesEnd;
  view.set(template, address);
  templatesEnd += template.length;
  return address;
}

/**
 * An ASCII text (one byte per character: its decoding was Latin-1 of ASCII bytes) put into the module's memory the
 * first time a list of it is asked about. The memory is one for the process: a ScannedText is used within one
 * synchronous call (the reader's), and another text's copy replaces it.
 */
export class ScannedText {
  private copied = false;

  /** `plain`: the text holds no backslash and no control character (its strings need their closing quote alone). */
  constructor(
    private readonly text: string,
    private readonly plain = false,
  ) {}

  /** Where the list at `at` in the form `template` describes ends (past its `]`), or -1. */
  listEnd(at: number, template: number, nullItem: boolean): number {
    if (module === undefined) return -1;
    const length = this.text.length;
    const start = TEMPLATE_BYTES;
    if (!this.copied) {
      const needed = start + length + TAIL.length;
      if (view!.length < needed) {
        module.memory.grow(Math.ceil((needed - view!.length) / PAGE));
        // Growing detaches the old ArrayBuffer: a view over the new one.
        view = Buffer.from(module.memory.buffer);
      }
      view!.write(this.text, start, length, 'latin1');
      view!.set(TAIL, start + length);
      this.copied = true;
    }
    const end = module.list(start + at, nullItem ? 1 : 0, template, this.plain ? 1 : 0);
    // Past the text: its end was read into the tail (which no list of the text can match; this makes sure).
    return end === 0 || end - start > length ? -1 : end - start;
  }
}
