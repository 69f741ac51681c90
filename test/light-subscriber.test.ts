/**
 * The subscriptions bench's light client (bench/support/light-subscriber.ts):
 * its frame reader on chunks that are views of one reused read buffer, and
 * the whole client against a real `ws` server speaking graphql-transport-ws,
 * with frames of every length form, split across reads, pings of both kinds.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { lightSubscriber } from '../bench/support/light-subscriber.js';
import { websocketFrameReader } from '../bench/support/websocket-frame-reader.js';

/** A server's (unmasked, final) text frame. */
function serverFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header = payload.length < 126 ? Buffer.from([0x81, payload.length]) : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, payload]);
}

describe('websocketFrameReader', () => {
  it('keeps an unfinished frame whole while its buffer is reused by other reads', () => {
    const shared = Buffer.alloc(1024);
    const seen = { a: [] as string[], b: [] as string[] };
    const readerA = websocketFrameReader((_opcode, data, start, end) => seen.a.push(data.toString('utf8', start, end)));
    const readerB = websocketFrameReader((_opcode, data, start, end) => seen.b.push(data.toString('utf8', start, end)));
    const read = (reader: (chunk: Buffer) => void, bytes: Buffer) => {
      bytes.copy(shared);
      reader(shared.subarray(0, bytes.length));
    };
    const long = serverFrame(`{"id":"1","type":"next","payload":${JSON.stringify({ data: 'x'.repeat(300) })}}`);
    read(readerA, long.subarray(0, 3)); // not even the whole header
    read(readerB, serverFrame('{"type":"ping"}'));
    read(readerA, long.subarray(3, 200));
    read(readerB, Buffer.concat([serverFrame('{"type":"pong"}'), serverFrame('{"id":"1","type":"next","payload":{}}').subarray(0, 9)]));
    read(readerA, long.subarray(200));
    expect(seen.a).toEqual([long.subarray(4).toString()]);
    expect(seen.b).toEqual(['{"type":"ping"}', '{"type":"pong"}']);
  });
});

describe('lightSubscriber', () => {
  let server: WebSocketServer | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('counts every next message, answers both pings, whatever the frame lengths and reads', async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    const pongs: string[] = [];
    const sizes = [10, 200, 70_000, 3, 130_000];
    const served = new Promise<WebSocket>((resolve) =>
      server!.on('connection', (socket) => {
        socket.on('pong', () => pongs.push('websocket'));
        socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type: string; id?: string; payload?: unknown };
          if (message.type === 'connection_init') socket.send(JSON.stringify({ type: 'connection_ack' }));
          else if (message.type === 'pong') pongs.push('graphql-ws');
          else if (message.type === 'subscribe') resolve(socket);
        });
      }),
    );
    await new Promise((resolve) => server!.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    let nexts = 0;
    const { socket, subscribed } = lightSubscriber({ url: `ws://127.0.0.1:${port}/graphql`, token: 't', query: 'subscription { x }', onNext: () => nexts++ });
    try {
      expect(await subscribed).toBe(true);
      const peer = await served;
      peer.ping();
      peer.send(JSON.stringify({ type: 'ping' }));
      for (const size of sizes) peer.send(JSON.stringify({ id: '1', type: 'next', payload: { data: { x: 'y'.repeat(size) } } }));
      peer.send(JSON.stringify({ id: '1', type: 'complete' }));
      await expect.poll(() => nexts).toBe(sizes.length);
      await expect.poll(() => [...pongs].sort()).toEqual(['graphql-ws', 'websocket']);
    } finally {
      socket.destroy();
    }
  });
});
