/**
 * A client that stops taking part without a close.
 *
 * Over graphql-ws, one whose network vanishes (a TCP proxy between it and
 * the gateway stops forwarding and reading: no FIN, no RST, as a dropped NAT
 * entry or a dead host would) must be noticed within
 * GATEWAY_WS_PING_INTERVAL_MS + GATEWAY_WS_PONG_TIMEOUT_MS and its
 * subscription ended upstream.
 *
 * SSE gives the client no way to answer (sse-transport.ts): the gateway
 * writes a comment line every GATEWAY_SSE_PING_INTERVAL_MS, keeps TCP
 * keep-alive on with that idle time, and cuts a stream whose written bytes
 * have waited unsent for GATEWAY_SSE_STALL_TIMEOUT_MS. Checked here with
 * real SSE clients over loopback.
 */
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_LIVE_CLASSES } from '../../platform/demo/demo-ids.js';
import { publishEvent } from '../../platform/events/publish-event.js';
import { activeSubscriptions } from '../../platform/subgraph/subscriptions/serve-subscriptions.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import { TOO_SLOW_ERROR_CODE } from '../subscriptions/close-codes.js';
import { FAN_OUT_TIMINGS_CHANNEL } from '../subscriptions/fan-out-timings.js';
import { activeClientSubscriptions } from '../subscriptions/start-subscriptions.js';
import { whileAdvancing } from '../../test/support/while-advancing.js';
import { rawSseSubscriber, subscribeWs } from './subscriptions-support.js';

const OF_PHYSICS = 'subscription { liveClassStatusChanged(courseId: "101") { id status } }';
const SSE_PING_MS = 500;
const SSE_STALL_MS = 2_000;

/**
 * Forwards to `target` until `freeze()`: then nothing more passes either way, and no socket is closed.
 * Counts the gateway's pings on the way: a server's frames are unmasked, an empty ping is the bytes 0x89 0x00,
 * which no other frame of this test holds (its messages are short ASCII JSON).
 */
const PING = Buffer.from([0x89, 0x00]);
async function freezableProxy(target: URL) {
  const pairs: net.Socket[][] = [];
  let pings = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on('data', (chunk: Buffer) => {
      for (let at = chunk.indexOf(PING); at >= 0; at = chunk.indexOf(PING, at + 1)) pings++;
    });
    client.on('error', () => {});
    upstream.on('error', () => {});
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/graphql`,
    pings: () => pings,
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

// The gateway and this test's client share one event loop: a stall of the process longer than the pong timeout
// would cut a client that answers (the deadline's timer runs before the pong is read). Ten ping intervals leave
// room for a loaded machine; a frozen peer never answers, however long the wait.
const WS_PING_MS = 500;
const WS_PONG_TIMEOUT_MS = 5_000;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({
    subgraphs: ['academy', 'meet'],
    env: {
      GATEWAY_WS_PING_INTERVAL_MS: String(WS_PING_MS),
      GATEWAY_WS_PONG_TIMEOUT_MS: String(WS_PONG_TIMEOUT_MS),
      GATEWAY_SSE_PING_INTERVAL_MS: String(SSE_PING_MS),
      GATEWAY_SSE_STALL_TIMEOUT_MS: String(SSE_STALL_MS),
    },
  });
});
afterAll(async () => {
  await platform?.stop();
});

describe('a peer that vanishes without a close', () => {
  it('over graphql-ws: is dropped within a ping interval plus the pong timeout, and its subscription ends upstream', async () => {
    const proxy = await freezableProxy(new URL(platform.gateway!.url.replace('localhost', '127.0.0.1')));
    try {
      const subscription = subscribeWs(proxy.url, await platform.tokenFor('sam.student'), OF_PHYSICS);
      await expect.poll(() => activeSubscriptions('meet'), { timeout: 30_000, interval: 20 }).toBe(1);
      // Alive while it answers: three pings pass, however long they take to come.
      const answered = proxy.pings() + 3;
      await expect.poll(() => proxy.pings(), { interval: 20 }).toBeGreaterThanOrEqual(answered);
      expect(activeSubscriptions('meet')).toBe(1);
      proxy.freeze();
      // A ping interval and the pong timeout by the settings; 15 s of slack for a loaded machine (graphql-ws's own
      // keep-alive waited 30 s to 60 s).
      await expect.poll(() => activeSubscriptions('meet'), { timeout: WS_PING_MS + WS_PONG_TIMEOUT_MS + 15_000, interval: 50 }).toBe(0);
      subscription.dispose();
    } finally {
      proxy.close();
    }
  });
});

/** The /proc/net/tcp fields of a loopback TCP socket: [slot, local, remote, state, tx_queue:rx_queue, timer, ...]. */
function tcpFields(localPort: number, remotePort: number): string[] | undefined {
  const hex = (port: number) => `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1]?.endsWith(hex(localPort)) && fields[2]?.endsWith(hex(remotePort))) return fields;
  }
  return undefined;
}

/** The kernel's keep-alive timer of a loopback TCP socket: whether it runs, and the seconds left on it. */
function keepAliveTimer(localPort: number, remotePort: number): { running: boolean; seconds: number } | undefined {
  const timer = tcpFields(localPort, remotePort)?.[5];
  if (!timer) return undefined;
  const [kind, ticks] = timer.split(':');
  // Kind 2 is the keep-alive timer; what is left is in clock ticks (USER_HZ, 100 a second).
  return { running: kind === '02', seconds: Number.parseInt(ticks!, 16) / 100 };
}

/** Bytes a loopback TCP socket's kernel buffers hold: sent and not yet acknowledged (tx), received and not yet read (rx). */
function tcpQueues(localPort: number, remotePort: number): { tx: number; rx: number } | undefined {
  const queues = tcpFields(localPort, remotePort)?.[4];
  if (!queues) return undefined;
  const [tx, rx] = queues.split(':').map((hex) => Number.parseInt(hex, 16));
  return { tx: tx!, rx: rx! };
}

/** How many bytes a loopback connection whose reader reads nothing takes in before the writer must hold them: its kernel buffers. */
async function loopbackHolds(chunkBytes: number): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const reader = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  reader.pause();
  const [writer] = (await new Promise((resolve) => server.once('connection', (socket) => resolve([socket])))) as net.Socket[];
  const chunk = Buffer.alloc(chunkBytes, 'x');
  let written = 0;
  while (writer!.writableLength === 0) {
    writer!.write(chunk);
    written += chunkBytes;
    // Loopback moves bytes to the reader's buffer between writes.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const held = written - writer!.writableLength;
  writer!.destroy();
  reader.destroy();
  server.close();
  return held;
}

describe('SSE keep-alive and stall cut', () => {
  const PHYSICS_ENERGY = DEMO_LIVE_CLASSES[1]!;
  const sseUrl = () => platform.gateway!.url.replace('localhost', '127.0.0.1').replace(/\/graphql$/, '/graphql/stream');
  const query = `subscription { liveClassStatusChanged(liveClassId: "${PHYSICS_ENERGY.id}") { id description } }`;
  const DESCRIPTION = 60_000;
  // Closed after each test, passed or failed: clients of one identity and operation share one upstream subscription.
  const clients: { close: () => void }[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await expect.poll(() => activeSubscriptions('meet'), { timeout: 30_000, interval: 20 }).toBe(0);
  });

  it('writes a comment line at the ping interval and keeps TCP keep-alive on with that idle time; a reader outlives the stall timeout', async () => {
    const client = rawSseSubscriber(sseUrl(), await platform.tokenFor('admin'), query);
    clients.push(client);
    await client.open;
    await expect.poll(() => activeSubscriptions('meet'), { timeout: 30_000, interval: 20 }).toBe(1);
    // The gateway's end of the connection: a keep-alive timer of at most one ping interval (rounded up to the
    // kernel's whole second), not the system's two hours.
    const gatewayPort = Number(new URL(sseUrl()).port);
    await expect.poll(() => keepAliveTimer(gatewayPort, client.localPort()), { timeout: 10_000, interval: 50 }).toMatchObject({ running: true });
    expect(keepAliveTimer(gatewayPort, client.localPort())!.seconds).toBeLessThanOrEqual(Math.max(1, SSE_PING_MS / 1000));
    // Comment lines, one an interval, for longer than the stall timeout: a client that reads is never cut.
    const pings = Math.ceil(SSE_STALL_MS / SSE_PING_MS) + 3;
    await expect.poll(() => client.pings.length, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(pings);
    const gaps = client.pings.slice(2).map((at, index) => at - client.pings[index + 1]!);
    const median = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
    // A timer fires late on a loaded machine, never early (20 ms for the two clocks and the socket between them).
    expect(median).toBeGreaterThanOrEqual(SSE_PING_MS - 20);
    // Not the default 12 s either (half of it: room for timers late on a loaded machine, none for the default).
    expect(median).toBeLessThan(12_000 / 2);
    expect(activeSubscriptions('meet')).toBe(1);
    expect(client.events).toEqual([]);
  });

  it('cuts a client that stops reading once its bytes have waited unsent for the stall timeout, and ends its subscription upstream', async () => {
    // Over the process's pool, which the platform's stop closes (destroying it here would end it under the subgraphs).
    const { db } = platform;
    await sql`UPDATE meet.live_classes SET description = repeat('x', ${DESCRIPTION}) WHERE id = ${PHYSICS_ENERGY.id}`.execute(db);
    // Enough events to fill the connection's kernel buffers and leave some with the gateway, well under its
    // too-slow bounds (100 events or 1 MiB held): only the stall can end this stream.
    const eventBytes = DESCRIPTION + 200;
    const count = Math.ceil((await loopbackHolds(eventBytes)) / eventBytes) + 8;
    const client = rawSseSubscriber(sseUrl(), await platform.tokenFor('admin'), query);
    clients.push(client);
    await client.open;
    await expect.poll(() => activeSubscriptions('meet'), { timeout: 30_000, interval: 20 }).toBe(1);
    client.pause();
    // Events the gateway has written to its clients (fan-out-timings.ts), followed below rather than timed.
    let written = 0;
    const onWritten = () => void written++;
    diagnostics.subscribe(FAN_OUT_TIMINGS_CHANNEL, onWritten);
    const publishedAt = performance.now();
    await db.transaction().execute(async (trx) => {
      for (let index = 0; index < count; index++) {
        await publishEvent(trx, {
          topic: 'meet.class.started',
          companyId: DEMO_COMPANIES.bheem.id,
          key: PHYSICS_ENERGY.id,
          source: 'meet',
          payload: { company_id: DEMO_COMPANIES.bheem.id, live_class_id: PHYSICS_ENERGY.id, course_id: '101' },
        });
      }
    });
    // Delivering the events (meet reads the class, the gateway completes and writes each) takes as long as the
    // machine makes it: waited on while they come. After the last, the stall timeout and a ping interval by the
    // settings, with 15 s of slack for a loaded machine. Should the cut not come, say where the bytes are.
    const gatewayPort = Number(new URL(sseUrl()).port);
    await whileAdvancing(
      () => written,
      () => activeSubscriptions('meet') === 0,
      { stallMs: SSE_STALL_MS + SSE_PING_MS + 15_000 },
    )
      .catch((error: Error) => {
        const kernel = { gateway: tcpQueues(gatewayPort, client.localPort()), client: tcpQueues(client.localPort(), gatewayPort) };
        error.message += `; events written ${written} of ${count} (${eventBytes} bytes each); kernel queues ${JSON.stringify(kernel)}`;
        throw error;
      })
      .finally(() => diagnostics.unsubscribe(FAN_OUT_TIMINGS_CHANNEL, onWritten));
    // Never before the stall timeout: the stall is counted from the first bytes the gateway had to hold.
    expect(performance.now() - publishedAt).toBeGreaterThanOrEqual(SSE_STALL_MS);
    expect(activeClientSubscriptions()).toBe(0);
    // Read again, the client gets what its buffers held, then the end of the connection: no `complete`, and no
    // too-slow event (that is the other bound, and it ends the stream with `complete`).
    client.resume();
    expect(await client.ended).toEqual({ complete: false });
    const received = client.nextEvents();
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(count);
    expect(received.every((event) => event.data.data?.liveClassStatusChanged.description.length === DESCRIPTION)).toBe(true);
    expect(JSON.stringify(received)).not.toContain(TOO_SLOW_ERROR_CODE);
  });
});
