/**
 * Server-to-client WebSocket frames (RFC 6455 §5.2, never masked) read out
 * of a byte stream whose chunks may be views of one buffer reused for every
 * read (net's `onread`): each whole frame is handed over while its chunk is
 * valid, and the start of an unfinished one is kept as a copy until the
 * rest arrives.
 */

/** A frame's opcode and where its payload lies in `data` (valid only during the call). */
export type OnFrame = (opcode: number, data: Buffer, start: number, end: number) => void;

/** Returns the function to hand each chunk read to, in order. */
export function websocketFrameReader(onFrame: OnFrame): (chunk: Buffer) => void {
  let pending: Buffer | undefined;
  return (chunk) => {
    const data = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = undefined;
    let at = 0;
    while (data.length - at >= 2) {
      const opcode = data[at]! & 0x0f;
      let length = data[at + 1]! & 0x7f;
      let start = at + 2;
      if (length === 126) {
        if (data.length - at < 4) break;
        length = data.readUInt16BE(at + 2);
        start = at + 4;
      } else if (length === 127) {
        if (data.length - at < 10) break;
        length = Number(data.readBigUInt64BE(at + 2));
        start = at + 10;
      }
      const end = start + length;
      if (end > data.length) break;
      onFrame(opcode, data, start, end);
      at = end;
    }
    // The chunk's buffer may be overwritten by the next read (another socket's): keep a copy.
    if (at < data.length) pending = Buffer.from(data.subarray(at));
  };
}
