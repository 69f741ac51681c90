/**
 * Subscriptions obey the HTTP path's rules (the same pipeline steps): the
 * rate limits, caps per connection and per user with a stable code, odd
 * input refused, and 4440 for any expired token, one already expired at
 * connect included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import WebSocket from 'ws';
import type { PlatformConfig } from '../../platform/config.js';
import { startTestPlatform, type TestPlatform } from '../../test/support/test-platform.js';
import { startGateway, type RunningGateway } from '../start-gateway.js';
import { createLogger } from '../../platform/logger.js';
import { subscribeWs, wsUrlOf } from './subscriptions-support.js';

const IDS = 'subscription { liveClassStatusChanged { id status } }';
let platform: TestPlatform;
let capped: RunningGateway;
let limited: RunningGateway;

function withGateway(config: PlatformConfig, gateway: Partial<PlatformConfig['gateway']>): PlatformConfig {
  return { ...config, gateway: { ...config.gateway, ...gateway } };
}

beforeAll(async () => {
  platform = await startTestPlatform({ subgraphs: ['academy', 'meet', 'calendar'], env: { GATEWAY_RATE_LIMIT_STORE: 'memory', MEET_RECONCILE_INTERVAL_SECONDS: '0' } });
  const subgraphUrls = Object.fromEntries(Object.entries(platform.subgraphs).map(([name, running]) => [name, running!.url]));
  const log = createLogger('edge-subscriptions');
  // Rate limits out of the way: the caps are what these tests count.
  const roomy = { store: 'memory' as const, user: { burst: 100_000, perSecond: 1_000 }, ip: { burst: 100_000, perSecond: 1_000 } };
  capped = await startGateway({ config: withGateway(platform.config, { maxSubscriptionsPerConnection: 2, maxSubscriptionsPerUser: 3, rateLimit: roomy }), log, subgraphUrls });
  limited = await startGateway({
    config: withGateway(platform.config, { rateLimit: { store: 'memory', user: { burst: 3, perSecond: 0.01 }, ip: { burst: 1000, perSecond: 0.01 } } }),
    log,
    subgraphUrls,
  });
});
afterAll(async () => {
  await capped?.stop();
  await limited?.stop();
  await platform?.stop();
});

/** graphql-transport-ws by hand: several subscriptions on one socket, each answer collected by id. */
async function connection(url: string, token: string) {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: any[] = [];
  const waiters: (() => void)[] = [];
  let closed: { code: number; reason: string } | undefined;
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    for (const wake of waiters.splice(0)) wake();
  });
  socket.on('close', (code, reason) => {
    closed = { code, reason: String(reason) };
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async <T>(find: () => T | undefined, what: string): Promise<T> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 500).unref();
      });
    }
  };
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await until(() => messages.find((message) => message.type === 'connection_ack') ?? closed, 'connection_ack');
  return {
    subscribe: (id: string, query: string, variables?: Record<string, unknown>) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
    complete: (id: string) => socket.send(JSON.stringify({ id, type: 'complete' })),
    /** The `error` message for `id`, or undefined once `quietMs` passed without one (accepted). */
    errorOf: async (id: string, quietMs = 1500) => {
      const deadline = Date.now() + quietMs;
      return until(() => messages.find((message) => message.id === id && message.type === 'error')?.payload ?? (Date.now() > deadline ? null : undefined), `an answer to ${id}`);
    },
    closed: () => until(() => closed, 'close'),
    close: () => socket.close(),
  };
}

describe('subscription caps', () => {
  it('caps subscriptions per connection, with TOO_MANY_SUBSCRIPTIONS, and frees a place on complete', async () => {
    const token = await platform.tokenFor('admin');
    const client = await connection(wsUrlOf(capped.url), token);
    client.subscribe('a', IDS);
    client.subscribe('b', IDS);
    expect(await client.errorOf('a')).toBeNull();
    expect(await client.errorOf('b')).toBeNull();
    client.subscribe('c', IDS);
    const refused = await client.errorOf('c');
    expect(refused?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    client.complete('a');
    client.subscribe('d', IDS);
    expect(await client.errorOf('d')).toBeNull();
    client.close();
  });

  it('caps subscriptions per user across connections', async () => {
    const token = await platform.tokenFor('tara.teacher');
    const first = await connection(wsUrlOf(capped.url), token);
    const second = await connection(wsUrlOf(capped.url), token);
    first.subscribe('1', IDS);
    first.subscribe('2', IDS);
    second.subscribe('3', IDS);
    for (const [client, id] of [
      [first, '1'],
      [first, '2'],
      [second, '3'],
    ] as const)
      expect(await client.errorOf(id)).toBeNull();
    second.subscribe('4', IDS);
    expect((await second.errorOf('4'))?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    // Leaving gives the places back.
    first.close();
    await first.closed();
    const third = await connection(wsUrlOf(capped.url), token);
    third.subscribe('5', IDS);
    expect(await third.errorOf('5')).toBeNull();
    second.close();
    third.close();
  });
});

describe('places in the caps are given back', () => {
  it('after many refused, failed and abandoned subscribes, the user can still open as many as the cap allows', async () => {
    const user = 'neil.student';
    const token = await platform.tokenFor(user);
    const client = await connection(wsUrlOf(capped.url), token);
    const stranger = 'subscription { liveClassStatusChanged(courseId: "00000000-0000-4000-8000-00000000dead") { id } }';
    for (let round = 0; round < 4; round++) {
      // Refused after the caps' step has passed: by validation, as a mutation (served over HTTP only), by the subgraph (a scope it cannot see).
      client.subscribe(`invalid${round}`, 'subscription { noSuchField }');
      client.subscribe(`query${round}`, 'mutation { __typename }');
      client.subscribe(`unseen${round}`, stranger);
      for (const id of [`invalid${round}`, `query${round}`, `unseen${round}`]) expect(await client.errorOf(id, 5_000), id).not.toBeNull();
      // Given up before the gateway answered: completed at once, or the socket closed at once.
      client.subscribe(`quit${round}`, IDS);
      client.complete(`quit${round}`);
      const leaving = await connection(wsUrlOf(capped.url), token);
      leaving.subscribe(`left${round}`, IDS);
      leaving.close();
      // SSE: the client sends its request and leaves at once, while its (fresh, not yet cached) token is checked.
      const fresh = await platform.tokenFor(user, { expiresIn: 600 + round });
      const { port } = new URL(capped.url.replace('localhost', '127.0.0.1'));
      const body = JSON.stringify({ query: IDS });
      const raw = net.connect(Number(port), '127.0.0.1');
      await new Promise((resolve) => raw.once('connect', resolve));
      raw.write(
        `POST /graphql/stream HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${fresh}\r\naccept: text/event-stream\r\n` +
          `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        () => raw.destroy(),
      );
      await new Promise((resolve) => raw.once('close', resolve));
    }
    // Whatever is still being torn down is given back shortly: as many as the cap allows (two connections,
    // two a connection), then the cap again.
    const fresh = [await connection(wsUrlOf(capped.url), token), await connection(wsUrlOf(capped.url), token)];
    const deadline = Date.now() + 10_000;
    for (let i = 0; i < 3; i++) {
      const on = fresh[i % 2]!;
      for (let attempt = 0; ; attempt++) {
        on.subscribe(`open${i}.${attempt}`, IDS);
        const refused = await on.errorOf(`open${i}.${attempt}`);
        if (refused === null) break;
        expect(refused[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
        if (Date.now() > deadline) throw new Error(`only ${i} of 3 subscriptions could be opened: places were not given back`);
      }
    }
    fresh[1]!.subscribe('over', IDS);
    expect((await fresh[1]!.errorOf('over'))?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    for (const socket of fresh) socket.close();
    client.close();
  });
});

describe('the pipeline on graphql-ws', () => {
  it('charges subscriptions to the user rate limit shared with HTTP', async () => {
    const token = await platform.tokenFor('ravi.teacher');
    const url = limited.url.replace('localhost', '127.0.0.1');
    // Two HTTP requests take two of the user's three tokens.
    for (let i = 0; i < 2; i++) expect((await platform.request({ url, token, query: '{ courses { id } }' })).status).toBe(200);
    const client = await connection(wsUrlOf(limited.url), token);
    client.subscribe('ok', IDS);
    expect(await client.errorOf('ok')).toBeNull();
    client.subscribe('over', IDS);
    expect((await client.errorOf('over'))?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    client.close();
  });

  it('refuses odd input in subscription variables with BAD_USER_INPUT', async () => {
    const client = await connection(wsUrlOf(capped.url), await platform.tokenFor('admin'));
    client.subscribe('nul', 'subscription($c: ID) { liveClassStatusChanged(courseId: $c) { id } }', { c: '1\u0000' });
    expect((await client.errorOf('nul'))?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    client.close();
  });

  it('closes with 4440 when the token is already expired at connect', async () => {
    const expired = await platform.tokenFor('admin', { expiresIn: -10 });
    expect((await subscribeWs(wsUrlOf(capped.url), expired, IDS).ended).code).toBe(4440);
    // A token that is not one at all stays 4403 (forbidden).
    expect((await subscribeWs(wsUrlOf(capped.url), 'not-a-token', IDS).ended).code).toBe(4403);
  });
});

describe('the pipeline on SSE', () => {
  const sse = async (gateway: RunningGateway, token: string, query: string, variables?: Record<string, unknown>) => {
    const controller = new AbortController();
    const response = await fetch(gateway.url.replace('localhost', '127.0.0.1').replace(/\/graphql$/, '/graphql/stream'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    return { status: response.status, body: response.status === 200 ? undefined : ((await response.json()) as any), close: () => controller.abort() };
  };

  it('caps SSE subscriptions per user, and refuses control characters', async () => {
    const token = await platform.tokenFor('sam.student');
    const open = [await sse(capped, token, IDS), await sse(capped, token, IDS), await sse(capped, token, IDS)];
    expect(open.map((stream) => stream.status)).toEqual([200, 200, 200]);
    const refused = await sse(capped, token, IDS);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    for (const stream of open) stream.close();
    const bad = await sse(capped, await platform.tokenFor('admin'), 'subscription($c: ID) { liveClassStatusChanged(courseId: $c) { id } }', { c: 'x\u0001' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
