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
 * Client frames must be masked (RFC 6455 §5.3); a zero mask key leaves the
 * payload as is. Server frames are never masked.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

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
  const socket = net.connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  let settle: (ok: boolean) => void = () => {};
  const subscribed = new Promise<boolean>((resolve) => {
    settle = (ok) => {
      settle = () => {};
      resolve(ok);
    };
  });
  let upgraded = false;
  let pending: Buffer | undefined;

  const control = (payload: Buffer) => {
    const message = JSON.parse(payload.toString()) as { type: string };
    if (message.type === 'connection_ack') {
      socket.write(text({ id: '1', type: 'subscribe', payload: { query: options.query } }));
      settle(true);
    } else if (message.type === 'ping') socket.write(text({ type: 'pong' }));
    else if (message.type === 'error') settle(false);
  };

  /** Reads the whole frames in `data` and returns what is left of an unfinished one. */
  const frames = (data: Buffer): Buffer | undefined => {
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
      if (opcode === OPCODE_TEXT) {
        const next = data.indexOf(NEXT, start);
        if (next >= 0 && next < end) options.onNext();
        else control(data.subarray(start, end));
      } else if (opcode === OPCODE_PING) socket.write(clientFrame(OPCODE_PONG, data.subarray(start, end)));
      else if (opcode === OPCODE_CLOSE) {
        settle(false);
        socket.end();
      }
      at = end;
    }
    return at < data.length ? data.subarray(at) : undefined;
  };

  socket.on('connect', () => {
    socket.write(
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
    );
  });
  socket.on('data', (chunk: Buffer) => {
    let data = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = undefined;
    if (!upgraded) {
      const end = data.indexOf(HEADER_END);
      if (end < 0) return void (pending = data);
      if (!data.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) {
        settle(false);
        return void socket.destroy();
      }
      upgraded = true;
      socket.write(text({ type: 'connection_init', payload: { authorization: `Bearer ${options.token}` } }));
      data = data.subarray(end + HEADER_END.length);
    }
    pending = frames(data);
  });
  socket.on('error', () => settle(false));
  socket.on('close', () => settle(false));
  return { socket, subscribed };
}
