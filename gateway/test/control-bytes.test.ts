/**
 * control-bytes.ts's WebAssembly check of bytes for C0 control characters,
 * against a plain loop: every byte value at every place of blocks of 64
 * and of the tail after them, lengths around the block size, and bytes
 * past the module's first page (its memory grown).
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { scratch, scratchHasControl } from '../control-bytes.js';

const hasControl = (bytes: Uint8Array) => bytes.some((byte) => byte < 0x20);

/** The bytes written into the scratch buffer, then asked about. */
function check(bytes: Uint8Array): boolean {
  scratch(bytes.length).set(bytes);
  return scratchHasControl(bytes.length);
}

describe('control bytes', () => {
  it('finds any byte below 0x20 wherever it is, and no other', () => {
    for (const length of [0, 1, 15, 16, 63, 64, 65, 127, 128, 130, 200]) {
      const clean = Buffer.alloc(length, 'a');
      expect(check(clean), `clean ${length}`).toBe(false);
      for (let at = 0; at < length; at++) {
        for (const byte of [0x00, 0x01, 0x0a, 0x1f, 0x20, 0x22, 0x5c, 0x7f, 0x80, 0xff]) {
          const bytes = Buffer.from(clean);
          bytes[at] = byte;
          expect(check(bytes), `${length} bytes, 0x${byte.toString(16)} at ${at}`).toBe(hasControl(bytes));
        }
      }
    }
  });

  it('reads only the bytes asked about', () => {
    const bytes = Buffer.alloc(300, 'a');
    bytes[200] = 0x01;
    scratch(bytes.length).set(bytes);
    expect(scratchHasControl(200)).toBe(false);
    expect(scratchHasControl(201)).toBe(true);
  });

  it('grows past its first page, and keeps finding them there', () => {
    const random = (() => {
      let seed = 11;
      return () => (seed = (seed * 16807) % 2147483647) % 256;
    })();
    for (const length of [65_536, 65_537, 200_000, 1_000_003]) {
      const bytes = Buffer.alloc(length, 'x');
      expect(check(bytes), `clean ${length}`).toBe(false);
      for (const at of [0, length >> 1, length - 64, length - 1]) {
        const marked = Buffer.from(bytes);
        marked[at] = random() % 0x20;
        expect(check(marked), `${length} bytes, a control at ${at}`).toBe(true);
      }
    }
  });

  it('without WebAssembly (node --jitless), says any bytes may hold one, and still hands out the scratch buffer', () => {
    const script = `
      const { scratch, scratchHasControl } = await import('./gateway/control-bytes.ts');
      const bytes = scratch(100_000);
      bytes.fill(0x61);
      console.log(typeof WebAssembly, bytes.length, scratchHasControl(100_000));`;
    const output = execFileSync(process.execPath, ['--jitless', '--no-warnings', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(output.trim()).toBe('undefined 100000 true');
  });
});
