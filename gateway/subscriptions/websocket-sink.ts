/**
 * How events reach one graphql-ws subscription: its `next` frame, made
 * once per event and id (event-message.ts), written straight to the
 * socket. One instance per client subscription, its methods on the
 * prototype: the fan-out touches one small object per client, not an
 * object of closures (client-stream.ts says what that cost).
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ClientHooks } from './subscription-engine.js';
import { SubscriptionCloseCode } from './close-codes.js';
import type { EventMessage } from './event-message.js';

/** ws sends Buffers as binary frames unless told otherwise; graphql-ws messages are text. */
const TEXT = { binary: false } as const;

/**
 * The TCP socket under a ws connection. ws keeps it private, but with no
 * extension negotiated (no compression: our server offers none) a whole
 * frame written to it is byte for byte what ws.send would write, minus the
 * copying, corking and framing per client.
 */
function rawSocketOf(socket: WebSocket): Duplex | undefined {
  // Fixed once the handshake is done (and read once per subscription: the getter allocates).
  return socket.extensions === '' ? (socket as unknown as { _socket?: Duplex })._socket : undefined;
}

const frameHeaderLength = (frame: Buffer) => (frame[1]! < 126 ? 2 : frame[1] === 126 ? 4 : 10);

export class WebSocketSink implements ClientHooks {
  private readonly raw: Duplex | undefined;

  /**
   * `maxBufferedBytes`: what the socket may hold unsent before its client counts as too slow.
   * `onEnd`: called once when the client's stream ends (gives back its place in the quotas).
   */
  constructor(
    private readonly socket: WebSocket,
    private readonly id: string,
    private readonly maxBufferedBytes: number,
    readonly onEnd: () => void,
  ) {
    this.raw = rawSocketOf(socket);
  }

  deliver(event: EventMessage): void {
    const { socket, raw } = this;
    if (socket.readyState !== socket.OPEN) return;
    const frame = event.graphqlWsFrame(this.id);
    if (raw) raw.write(frame);
    else socket.send(frame.subarray(frameHeaderLength(frame)), TEXT); // ws frames it (should its internals change)
  }

  /** The client's queue is its socket's unsent bytes. */
  isBehind(): boolean {
    return (this.raw ? this.raw.writableLength : this.socket.bufferedAmount) > this.maxBufferedBytes;
  }

  onTooSlow(reason: string): void {
    this.socket.close(SubscriptionCloseCode.TooSlow, reason);
  }
}
