/**
 * A client whose network vanishes without a close: a TCP proxy between it
 * and the gateway stops forwarding and reading (no FIN, no RST), as a
 * dropped NAT entry or a dead host would. graphql-ws's keep-alive must
 * notice within GATEWAY_WS_PING_INTERVAL_MS + GATEWAY_WS_PONG_TIMEOUT_MS and
 * end the subscription upstream.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeSubscriptions } from '../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import { subscribeWs } from './subscriptions-support.js';

const OF_PHYSICS = 'subscription { liveClassStatusChanged(courseId: "101") { id status } }';

/** Forwards to `target` until `freeze()`: then nothing more passes either way, and no socket is closed. */
async function freezableProxy(target: URL) {
  const pairs: net.Socket[][] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => {});
    upstream.on('error', () => {});
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/graphql`,
    freeze: () => {
      for (const [client, upstream] of pairs) {
        client!.unpipe(upstream!);
        upstream!.unpipe(client!);
        client!.pause();
        upstream!.pause();
      }
    },
    close: () => {
      for (const pair of pairs) for (const socket of pair) socket.destroy();
      server.close();
    },
  };
}

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({
    subgraphs: ['academy', 'meet'],
    env: { GATEWAY_WS_PING_INTERVAL_MS: '500', GATEWAY_WS_PONG_TIMEOUT_MS: '500' },
  });
}, 120_000);
afterAll(async () => {
  await platform?.stop();
});

describe('a peer that vanishes without a close', () => {
  it('over graphql-ws: is dropped within a ping interval plus the pong timeout, and its subscription ends upstream', async () => {
    const proxy = await freezableProxy(new URL(platform.gateway!.url.replace('localhost', '127.0.0.1')));
    try {
      const subscription = subscribeWs(proxy.url, await platform.tokenFor('sam.student'), OF_PHYSICS);
      await expect.poll(() => activeSubscriptions('meet'), { timeout: 30_000, interval: 20 }).toBe(1);
      // Alive while it answers: a few pings pass.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(activeSubscriptions('meet')).toBe(1);
      proxy.freeze();
      // 1 s by the settings; 15 s of slack for a loaded machine (graphql-ws's own keep-alive waited 30 s to 60 s).
      await expect.poll(() => activeSubscriptions('meet'), { timeout: 15_000, interval: 50 }).toBe(0);
      subscription.dispose();
    } finally {
      proxy.close();
    }
  });
});
