/**
 * One completed event, serialized once for every client that receives it:
 * with thousands of subscribers on one shared subscription, a
 * JSON.stringify (and a UTF-8 encoding) per client would cost more than
 * the writes themselves. The graphql-ws `next` message differs between
 * clients only by the subscription id, and clients pick few distinct ids
 * (most say "1"), so each (event, id) pair is encoded once, as a whole
 * WebSocket frame.
 */
import type { ExecutionResult } from 'graphql';

/** Distinct ids kept per event; past it (clients with odd ids), messages are encoded per client. */
const MAX_CACHED_IDS = 32;

/** A final, unmasked WebSocket text frame (RFC 6455 §5.2: servers do not mask), header and payload in one buffer. */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, header, 'utf8');
  return frame;
}

export class EventMessage {
  private json: string | undefined;
  private readonly nextMessages = new Map<string, Buffer>();
  private sse: Buffer | undefined;

  constructor(readonly result: ExecutionResult) {}

  /** The result as JSON. */
  get payload(): string {
    return (this.json ??= JSON.stringify(this.result));
  }

  /** The graphql-transport-ws `next` message for subscription `id`, as a server's WebSocket text frame. */
  graphqlWsFrame(id: string): Buffer {
    let frame = this.nextMessages.get(id);
    if (!frame) {
      frame = textFrame(`{"id":${JSON.stringify(id)},"type":"next","payload":${this.payload}}`);
      if (this.nextMessages.size < MAX_CACHED_IDS) this.nextMessages.set(id, frame);
    }
    return frame;
  }

  /** The Server-Sent Events `next` event (graphql-sse, distinct connections mode). */
  sseNext(): Buffer {
    // JSON has no raw line breaks, so the payload is one `data:` line.
    return (this.sse ??= Buffer.from(`event: next\ndata: ${this.payload}\n\n`));
  }
}
