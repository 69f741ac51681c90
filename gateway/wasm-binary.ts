/**
 * What the gateway's hand-assembled WebAssembly modules (control-bytes.ts,
 * list-scan.ts) are written with: WebAssembly's binary format, numbers as
 * LEB128, sections by id (the core specification's "Binary Format").
 */

/** An unsigned LEB128 number (lengths, indices). */
export function leb(value: number): number[] {
  const bytes: number[] = [];
  do {
    const low = value & 0x7f;
    value >>>= 7;
    bytes.push(value === 0 ? low : low | 0x80);
  } while (value !== 0);
  return bytes;
}

/** A signed LEB128 number (i32.const's operand). */
export function sleb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const low = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (low & 0x40) === 0) || (value === -1 && (low & 0x40) !== 0);
    bytes.push(done ? low : low | 0x80);
    if (done) return bytes;
  }
}

export const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
export const name = (text: string) => [text.length, ...Buffer.from(text, 'latin1')];

/** A module's bytes: the magic number and version, then its sections in order. */
export const moduleBytes = (...sections: number[][]) => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
