/**
 * A graphql-ws subscriber reduced to what the subscriptions bench needs:
 * the WebSocket handshake and frames by hand over a bare TCP socket, every
 * `next` counted without being decoded or checked. It is a lighter
 * measuring instrument than the `ws` package's client (no per-message
 * events, buffer lists, UTF-8 checks or masking work): on a machine whose
 * cores the clients share with the gateway, less of the clients' CPU shows
 * up as delivery latency. It does not make the gateway any faster, and the
 * bench says which client it ran.
 *
 * Reads go into one buffer per process (net's `onread`), not through the
 * socket's stream: Node's default allocates a 64 KiB buffer for every read
 * and pushes each chunk through the Readable's machinery to a 'data'
 * listener, for a 260-byte frame. Every frame is still read whole and
 * every `next` counted as before; only the copy and the stream are gone
 * (a partial frame is copied out before the buffer's next read).
 *
 * Client frames must be masked (RFC 6455 §5.3); a zero mask key leaves the
 * payload as is. Server frames are never masked.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { websocketFrameReader } from './websocket-frame-reader.js';

const NEXT = Buffer.from('"type":"next"');
const HEADER_END = Buffer.from('\r\n\r\n');
const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;

/** A final, masked (zero key) client frame. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.alloc(header + 4 + length);
  frame[0] = 0x80 | opcode;
  if (header === 2) frame[1] = 0x80 | length;
  else if (header === 4) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, header + 4);
  return frame;
}

const text = (message: object) => clientFrame(OPCODE_TEXT, Buffer.from(JSON.stringify(message)));

/** Every subscriber's reads land here: one process, one thread, each read handled before the next is made. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

export interface LightSubscriberOptions {
  url: string;
  token: string;
  query: string;
  /** Called for every `next` message, as soon as its frame is read. */
  onNext: () => void;
}

/** Connects and subscribes; resolves true once acknowledged, false on any failure. The socket is returned for closing. */
export function lightSubscriber(options: LightSubscriberOptions): { socket: net.Socket; subscribed: Promise<boolean> } {
  const url = new URL(options.url);
  const socket = net.connect({
    host: url.hostname,
    port: Number(url.port),
    noDelay: true,
    onread: {
      buffer: READ_BUFFER,
      callback: (length: number, buffer: Uint8Array) => {
        read(buffer as Buffer, length);
        return true; // keep reading
      },
    },
  });
  let settle: (ok: boolean) => void = () => {};
  const subscribed = new Promise<boolean>((resolve) => {
    settle = (ok) => {
      settle = () => {};
      resolve(ok);
    };
  });
  let upgraded = false;
  let handshake: Buffer | undefined;

  const control = (payload: Buffer) => {
    const message = JSON.parse(payload.toString()) as { type: string };
    if (message.type === 'connection_ack') {
      socket.write(text({ id: '1', type: 'subscribe', payload: { query: options.query } }));
      settle(true);
    } else if (message.type === 'ping') socket.write(text({ type: 'pong' }));
    else if (message.type === 'error') settle(false);
  };

  const frames = websocketFrameReader((opcode, data, start, end) => {
    if (opcode === OPCODE_TEXT) {
      const next = data.indexOf(NEXT, start);
      if (next >= 0 && next < end) options.onNext();
      else control(data.subarray(start, end));
    } else if (opcode === OPCODE_PING) socket.write(clientFrame(OPCODE_PONG, data.subarray(start, end)));
    else if (opcode === OPCODE_CLOSE) {
      settle(false);
      socket.end();
    }
  });

  socket.on('connect', () => {
    socket.write(
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
    );
  });
  /** One read: `length` bytes at the start of the shared buffer, valid only until this returns. */
  const read = (buffer: Buffer, length: number) => {
    const chunk = buffer.subarray(0, length);
    if (upgraded) return frames(chunk);
    handshake = handshake ? Buffer.concat([handshake, chunk]) : Buffer.from(chunk);
    const end = handshake.indexOf(HEADER_END);
    if (end < 0) return;
    if (!handshake.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) {
      settle(false);
      return void socket.destroy();
    }
    upgraded = true;
    socket.write(text({ type: 'connection_init', payload: { authorization: `Bearer ${options.token}` } }));
    frames(handshake.subarray(end + HEADER_END.length));
    handshake = undefined;
  };
  socket.on('error', () => settle(false));
  socket.on('close', () => settle(false));
  return { socket, subscribed };
}
