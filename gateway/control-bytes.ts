/**
 * Whether bytes hold a C0 control character (a byte below 0x20), by a small
 * WebAssembly function that reads them 64 at a time with SIMD: about 0.2
 * instructions a byte, where a JavaScript loop takes ~6 and irregexp's
 * character class ~2.3 more a character than a class of the quote alone
 * (bench/README-results.md). The bytes must be in the module's memory:
 * `scratch(length)` hands out a Buffer over it, reused by every call (what
 * is written there is overwritten by the next caller).
 *
 * The module, written out by hand (WebAssembly's binary format; SIMD
 * opcodes after the 0xfd prefix):
 *
 *   (func (export "control") (param $at i32) (param $end i32) (result i32) (local $low v128)
 *     (local.set $low (v128.const i8x16 0xff ...))
 *     (block (loop                                  ;; 64 bytes a step: the lowest byte of each lane
 *       (br_if 1 (i32.gt_u (i32.add (local.get $at) (i32.const 64)) (local.get $end)))
 *       (local.set $low (i8x16.min_u (i8x16.min_u (i8x16.min_u (i8x16.min_u (local.get $low)
 *         (v128.load offset=0 (local.get $at))) (v128.load offset=16 (local.get $at)))
 *         (v128.load offset=32 (local.get $at))) (v128.load offset=48 (local.get $at))))
 *       (local.set $at (i32.add (local.get $at) (i32.const 64)))
 *       (br 0)))
 *     (if (v128.any_true (i8x16.lt_u (local.get $low) (v128.const i8x16 0x20 ...))) (then (return (i32.const 1))))
 *     (block (loop                                  ;; the last 0-63 bytes one by one
 *       (br_if 1 (i32.ge_u (local.get $at) (local.get $end)))
 *       (if (i32.lt_u (i32.load8_u (local.get $at)) (i32.const 32)) (then (return (i32.const 1))))
 *       (local.set $at (i32.add (local.get $at) (i32.const 1)))
 *       (br 0)))
 *     (i32.const 0))
 *   (memory (export "memory") 1)
 */

import { leb, moduleBytes, name, section } from './wasm-binary.js';

const lanes = (byte: number) => Array<number>(16).fill(byte);
const load = (offset: number) => [0x20, 0x00, 0xfd, 0x00, 0x00, offset, 0xfd, 0x77]; // local.get $at, v128.load, i8x16.min_u

const BODY = [
  [0x01, 0x01, 0x7b], // one local: v128
  [0xfd, 0x0c, ...lanes(0xff), 0x21, 0x02], // $low = all ones
  [0x02, 0x40, 0x03, 0x40], // block, loop
  [0x20, 0x00, 0x41, 0xc0, 0x00, 0x6a, 0x20, 0x01, 0x4b, 0x0d, 0x01], // br_if 1 (at + 64 > end)
  [0x20, 0x02, ...load(0), ...load(16), ...load(32), ...load(48), 0x21, 0x02], // $low = min($low, 4 x 16 bytes)
  [0x20, 0x00, 0x41, 0xc0, 0x00, 0x6a, 0x21, 0x00], // at += 64
  [0x0c, 0x00, 0x0b, 0x0b], // br 0, end, end
  [0x20, 0x02, 0xfd, 0x0c, ...lanes(0x20), 0xfd, 0x26, 0xfd, 0x53], // any_true($low <u 0x20)
  [0x04, 0x40, 0x41, 0x01, 0x0f, 0x0b], // if: return 1
  [0x02, 0x40, 0x03, 0x40], // block, loop
  [0x20, 0x00, 0x20, 0x01, 0x4f, 0x0d, 0x01], // br_if 1 (at >= end)
  [0x20, 0x00, 0x2d, 0x00, 0x00, 0x41, 0x20, 0x49, 0x04, 0x40, 0x41, 0x01, 0x0f, 0x0b], // if (load8_u(at) < 32) return 1
  [0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, 0x0c, 0x00, 0x0b, 0x0b], // at += 1, br 0, end, end
  [0x41, 0x00, 0x0b], // 0
].flat();

const MODULE = moduleBytes(
  section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f]), // one type: (i32, i32) -> i32
  section(3, [0x01, 0x00]), // one function, of that type
  section(5, [0x01, 0x00, 0x01]), // one memory, one page to start with
  section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('control'), 0x00, 0x00]),
  section(10, [0x01, ...leb(BODY.length), ...BODY]),
);

const PAGE = 64 * 1024;

/** The module's memory and function; undefined where Node runs without WebAssembly (`--jitless`). */
const module = (() => {
  if (typeof WebAssembly === 'undefined') return undefined;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE));
  return { memory: instance.exports.memory as WebAssembly.Memory, control: instance.exports.control as (at: number, end: number) => number };
})();

let view = module ? Buffer.from(module.memory.buffer) : Buffer.allocUnsafeSlow(PAGE);

/** A Buffer of `length` bytes over the module's memory (its first bytes), to write bytes into before asking about them. */
export function scratch(length: number): Buffer {
  if (view.length < length) {
    const pages = Math.ceil((length - view.length) / PAGE);
    if (module) {
      module.memory.grow(pages);
      // Growing detaches the old ArrayBuffer: a view over the new one.
      view = Buffer.from(module.memory.buffer);
    } else view = Buffer.allocUnsafeSlow(view.length + pages * PAGE);
  }
  return view.subarray(0, length);
}

/**
 * Whether the first `end` bytes of the scratch buffer (scratch(n) with n >= end) may hold a byte below 0x20: without
 * WebAssembly, always (nothing is then known free of them, and readers check every character as before).
 */
export function scratchHasControl(end: number): boolean {
  if (end > view.length) throw new RangeError('past the scratch buffer');
  return module ? module.control(0, end) !== 0 : true;
}
