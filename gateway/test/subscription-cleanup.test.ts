/**
 * A client that leaves ends its subscription upstream at once, however the
 * client left (graphql-ws's complete, a close frame without one, a TCP
 * connection cut without a close frame, an SSE request aborted), not at
 * the next keep-alive ping or event. "At once" needs no tight clock: the
 * gateway's pings are off (WebSocket) or an hour apart (SSE) and no event is
 * published, so the one other way out is ws's close timeout (30 s) on a
 * connection whose close handshake is left unfinished.
 */
import net from 'node:net';
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { activeSubscriptions } from '../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import { subscribeWs, wsUrlOf } from './subscriptions-support.js';

const QUERY = 'subscription { liveClassStatusChanged(courseId: "101") { id status } }';

let platform: TestPlatform;
let url: string;
let token: string;

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet'], env: { GATEWAY_WS_PING_INTERVAL_MS: '0', GATEWAY_SSE_PING_INTERVAL_MS: '3600000' } });
  url = wsUrlOf(platform.gateway!.url);
  token = await platform.tokenFor('sam.student');
});
afterAll(() => platform?.stop());

const subscribedUpstream = (count: number) => expect.poll(() => activeSubscriptions('meet'), { timeout: 30_000, interval: 20 }).toBe(count);

/** Meet stops serving the subscription after `leave()`: well before ws's close timeout, the one clock left. */
async function upstreamEndsAfter(leave: () => void): Promise<void> {
  leave();
  await expect.poll(() => activeSubscriptions('meet'), { timeout: 15_000, interval: 20 }).toBe(0);
}

/** A graphql-transport-ws client by hand: acknowledged and subscribed, with its raw TCP socket. */
async function rawClient(): Promise<{ socket: WebSocket; tcp: net.Socket }> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type !== 'connection_ack') return;
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
      resolve();
    });
  });
  socket.on('error', () => {});
  return { socket, tcp: (socket as unknown as { _socket: net.Socket })._socket };
}

describe('a subscription whose client leaves', () => {
  beforeEach(() => subscribedUpstream(0));

  it('ends upstream at once when the graphql-ws client completes it and closes', async () => {
    const subscription = subscribeWs(url, token, QUERY);
    await subscribedUpstream(1);
    await upstreamEndsAfter(() => subscription.dispose());
  });

  it('ends upstream at once when the socket closes without a complete', async () => {
    const { socket } = await rawClient();
    await subscribedUpstream(1);
    await upstreamEndsAfter(() => socket.close(1000));
  });

  it('ends upstream at once when the close handshake is not answered and the TCP connection is closed', async () => {
    const { tcp } = await rawClient();
    await subscribedUpstream(1);
    // A close frame (masked, code 1001), then the connection closed from this side, as a browser tab closing does.
    const closeFrame = Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe9]);
    await upstreamEndsAfter(() => {
      tcp.write(closeFrame);
      tcp.end();
    });
  });

  it('ends upstream at once when the client sends its close frame but leaves its TCP connection open', async () => {
    const { tcp } = await rawClient();
    await subscribedUpstream(1);
    // As a proxy or a browser that keeps the connection after the close handshake: no FIN from this side.
    const closeFrame = Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]);
    await upstreamEndsAfter(() => tcp.write(closeFrame));
    tcp.destroy();
  });

  it('ends upstream at once when the TCP connection is cut without a close frame', async () => {
    const { tcp } = await rawClient();
    await subscribedUpstream(1);
    await upstreamEndsAfter(() => tcp.destroy());
  });

  it('ends upstream at once when an SSE client goes away', async () => {
    const sseUrl = platform.gateway!.url.replace('localhost', '127.0.0.1').replace(/\/graphql$/, '/graphql/stream');
    const request = http.request(sseUrl, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'content-type': 'application/json' } });
    request.on('error', () => {});
    request.end(JSON.stringify({ query: QUERY }));
    await subscribedUpstream(1);
    await upstreamEndsAfter(() => request.destroy());
  });
});
