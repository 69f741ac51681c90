/**
 * An event serialized once for all its clients: the WebSocket frames built
 * by hand must read back, through ws's own frame parser, as the graphql-ws
 * `next` message a client expects, at every length encoding of RFC 6455
 * (7-bit, 16-bit and 64-bit lengths).
 */
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import type { ExecutionResult } from 'graphql';
import type { EventEmitter } from 'node:events';
import { EventMessage } from '../subscriptions/event-message.js';

// ws's frame parser (exported by ws, not declared by @types/ws).
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => EventEmitter & { write: (chunk: Buffer) => void } };

/** What a WebSocket client reads from `frame`. */
function readFrame(frame: Buffer): Promise<{ text: string; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => resolve({ text: data.toString('utf8'), isBinary }));
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe('EventMessage', () => {
  it.each([10, 200, 70_000])('frames a graphql-ws next message of a %i-character field for any id', async (size) => {
    const result = { data: { liveClassStatusChanged: { id: 'c1', description: 'é'.repeat(size) } } };
    const event = new EventMessage(result);
    for (const id of ['1', 'a "quoted" id']) {
      const { text, isBinary } = await readFrame(event.graphqlWsFrame(id));
      expect(isBinary).toBe(false);
      expect(JSON.parse(text)).toEqual({ id, type: 'next', payload: result });
    }
    expect(event.graphqlWsFrame('1')).toBe(event.graphqlWsFrame('1')); // encoded once per id
  });

  it('writes one Server-Sent Events `next` event', () => {
    const result = { data: { x: 'line\nbreak' }, errors: [{ message: 'partial' }] } as unknown as ExecutionResult;
    const text = new EventMessage(result).sseNext().toString('utf8');
    expect(text).toMatch(/^event: next\ndata: [^\n]+\n\n$/);
    expect(JSON.parse(text.slice('event: next\ndata: '.length))).toEqual(result);
  });
});
