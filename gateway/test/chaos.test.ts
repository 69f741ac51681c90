/**
 * The chaos suite: a subgraph killed under load (the rest keeps answering,
 * errors name the dead subgraph) and restarted (recovery without a gateway
 * restart); a slow subgraph (timeouts, partial data); a gateway started
 * while a subgraph is down; PostgreSQL restarted (requests fail cleanly,
 * then recover); graceful shutdown draining in-flight requests.
 */
import http from 'node:http';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { signDevUserToken } from '../../platform/auth/user-token.js';
import { prepareDatabase } from '../../platform/bootstrap/prepare-database.js';
import { closePools } from '../../platform/database/connection.js';
import { freePort, startEmbeddedPostgres, type EmbeddedServer } from '../../platform/database/embedded-postgres.js';
import { DEMO_LIVE_CLASSES } from '../../platform/demo/demo-ids.js';
import { createLogger } from '../../platform/logger.js';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/start-subgraph.js';
import { SUBGRAPH_MODULES } from '../../subgraphs/registry.js';
import { demoViewer } from '../../test/support/subgraph-client.js';
import { startGateway, type RunningGateway } from '../start-gateway.js';
import { composeFor, GENEROUS_RATE_LIMITS, postTo, startGatewayPlatform, type GatewayPlatform, type PostResult } from './support/gateway-platform.js';

const MIXED = `{ courses { id } liveClass(id: "${DEMO_LIVE_CLASSES[0].id}") { id title } }`;
const ACADEMY_ONLY = '{ courses { id fullname } }';
const urlOf = (gateway: RunningGateway) => gateway.url.replace('localhost', '127.0.0.1');
const mentions = (result: PostResult, subgraph: string) => JSON.stringify(result.body.errors ?? []).includes(`"${subgraph}"`);

/** Sends `query` from `workers` concurrent loops until stopped; keeps every answer. */
function load(url: string, query: string, headers: Record<string, string>, workers = 4) {
  const results: PostResult[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) results.push(await postTo(url, { query }, headers));
  });
  return { results, stop: async () => ((running = false), await Promise.all(loops), results) };
}

// A bound for a condition that never comes, generous so that a busy machine only slows the test.
const until = async (condition: () => boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('subgraph failures', () => {
  let platform: GatewayPlatform;
  let headers: Record<string, string>;
  beforeAll(async () => {
    platform = await startGatewayPlatform({ subgraphs: ['academy', 'meet'] });
    headers = { authorization: `Bearer ${await platform.tokenFor('admin')}` };
  });
  afterAll(() => platform?.stop());

  it('keeps answering when a subgraph dies under load, naming it, and recovers when it is back', async () => {
    const url = urlOf(platform.gateway);
    const mixed = load(url, MIXED, headers);
    const academyOnly = load(url, ACADEMY_ONLY, headers, 2);
    await until(() => mixed.results.length > 20);
    const killedAt = mixed.results.length;
    const meet = platform.subgraphs.meet!;
    meet.server.closeAllConnections(); // abrupt: in-flight calls are cut, not drained
    await platform.stopSubgraph('meet');
    await until(() => mixed.results.slice(killedAt).some((result) => mentions(result, 'meet')));
    const downSince = mixed.results.length;
    await until(() => mixed.results.length > downSince + 20);

    await platform.restartSubgraph('meet');
    const restartedAt = mixed.results.length;
    await until(() => mixed.results.slice(restartedAt).filter((result) => !result.body.errors).length > 20);
    const all = await mixed.stop();
    const academy = await academyOnly.stop();

    expect(all.every((result) => result.status === 200)).toBe(true);
    // While meet was down: academy's part still answered, meet's field was null with an error naming meet.
    const whileDown = all.slice(downSince, downSince + 20);
    for (const result of whileDown) {
      expect(result.body.data?.courses?.length).toBeGreaterThan(0);
      expect(result.body.data?.liveClass).toBeNull();
      expect(mentions(result, 'meet')).toBe(true);
      expect(result.body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    }
    // Operations that do not touch meet never noticed.
    expect(academy.length).toBeGreaterThan(20);
    expect(academy.filter((result) => result.body.errors)).toEqual([]);
    // After the restart, without restarting the gateway: full answers again.
    expect(all.at(-1)!.body.errors).toBeUndefined();
    expect(all.at(-1)!.body.data?.liveClass?.id).toBe(DEMO_LIVE_CLASSES[0].id);
  });

  it('times out a slow subgraph and serves the rest of the answer', async () => {
    // A proxy in front of meet that holds every answer until the test lets it go: the gateway's
    // answer must come while meet's is still held, whatever the speed of the machine.
    const meetUrl = new URL(platform.subgraphs.meet!.url);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let meetAnswered = false;
    const proxy = http.createServer((request, response) => {
      const upstream = http.request({ host: meetUrl.hostname, port: meetUrl.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
        void released.then(() => {
          meetAnswered = true;
          response.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(response);
        });
      });
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const config = { ...platform.config, gateway: { ...platform.config.gateway, subgraphTimeoutMs: 300 } };
      const gateway = await platform.startAnotherGateway({
        config,
        subgraphUrls: { academy: platform.subgraphs.academy!.url, meet: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql` },
      });
      const result = await postTo(urlOf(gateway), { query: MIXED }, headers);
      expect(meetAnswered).toBe(false);
      expect(result.body.data?.courses?.length).toBeGreaterThan(0);
      expect(result.body.data?.liveClass).toBeNull();
      expect(mentions(result, 'meet')).toBe(true);
    } finally {
      release();
      proxy.closeAllConnections();
      proxy.close();
    }
  });

  it('starts while a subgraph is down, serves what it can, and reports it not ready', async () => {
    const gateway = await platform.startAnotherGateway({
      subgraphUrls: { academy: platform.subgraphs.academy!.url, meet: `http://127.0.0.1:${await freePort()}/graphql` },
    });
    const result = await postTo(urlOf(gateway), { query: MIXED }, headers);
    expect(result.body.data?.courses?.length).toBeGreaterThan(0);
    expect(mentions(result, 'meet')).toBe(true);
    const ready = await fetch(new URL('/health/ready', urlOf(gateway)));
    expect(ready.status).toBe(503);
    const checks = ((await ready.json()) as { checks: Record<string, string> }).checks;
    expect(checks.academy).toBe('ok');
    expect(checks.meet).not.toBe('ok');
  });

  it('drains in-flight requests on shutdown before closing', async () => {
    const meetUrl = new URL(platform.subgraphs.meet!.url);
    // A proxy that holds meet's answers until shutdown has started: the requests are then in flight
    // at the gateway (it has read them and forwarded them), which is what draining is about.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let forwarded = 0;
    let allForwarded!: () => void;
    const allInFlight = new Promise<void>((resolve) => (allForwarded = resolve));
    const proxy = http.createServer((request, response) => {
      if (++forwarded === 5) allForwarded();
      const upstream = http.request({ host: meetUrl.hostname, port: meetUrl.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
        void released.then(() => {
          response.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(response);
        });
      });
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const gateway = await startGateway({
        config: platform.config,
        log: createLogger('drain-test'),
        subgraphUrls: { academy: platform.subgraphs.academy!.url, meet: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql` },
        supergraphSdl: platform.supergraphSdl,
      });
      // Five different requests (an alias each): identical ones would be merged into one upstream request.
      const inFlight = Array.from({ length: 5 }, (_, i) =>
        postTo(urlOf(gateway), { query: `{ courses { id } class${i}: liveClass(id: "${DEMO_LIVE_CLASSES[0].id}") { id title } }` }, headers),
      );
      await allInFlight;
      const stopped = gateway.stop();
      await until(() => !gateway.server.listening); // shutdown has begun: no new connections
      release();
      await stopped;
      const answers = await Promise.all(inFlight);
      answers.forEach((answer, i) => {
        expect(answer.body.errors).toBeUndefined();
        expect(answer.body.data?.[`class${i}`]?.id).toBe(DEMO_LIVE_CLASSES[0].id);
      });
      await expect(postTo(urlOf(gateway), { query: MIXED }, headers)).rejects.toThrow();
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  });
});

describe('PostgreSQL restart', () => {
  // Under the checkout, like the test cluster: as root, PostgreSQL runs as another user that must reach it.
  const dataDir = path.join(process.cwd(), '.data', 'test', `chaos-${process.pid}`);
  let postgres: EmbeddedServer;
  let academy: RunningSubgraph;
  let gateway: RunningGateway;
  let headers: Record<string, string>;

  beforeAll(async () => {
    // A server of our own, on a fixed port, so that it can be stopped and started again at the same address.
    process.env.EMBEDDED_PG_PORT = String(await freePort());
    postgres = await startEmbeddedPostgres(dataDir);
    const databaseUrl = postgres.url();
    // Production behaviour (masked internal errors, no stack traces) on development secrets.
    const config = { ...loadConfig({ ...process.env, ...GENEROUS_RATE_LIMITS, GATEWAY_RATE_LIMIT_STORE: 'postgres', DATABASE_URL: databaseUrl }), production: true };
    const log = createLogger('chaos-pg');
    const module = await SUBGRAPH_MODULES.academy!();
    await prepareDatabase({ config, databaseUrl, log }, [module], { seed: true });
    academy = await startSubgraph(module, { config, databaseUrl, log });
    gateway = await startGateway({ config, log, subgraphUrls: { academy: academy.url }, supergraphSdl: composeFor({ academy: academy.url }) });
    headers = { authorization: `Bearer ${await signDevUserToken(config.auth, demoViewer('admin'))}` };
  });
  afterAll(async () => {
    await gateway?.stop();
    await academy?.stop();
    await closePools();
    await postgres?.stop();
    delete process.env.EMBEDDED_PG_PORT;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails requests cleanly while PostgreSQL is down, then recovers without restarts', async () => {
    const url = urlOf(gateway);
    expect((await postTo(url, { query: ACADEMY_ONLY }, headers)).body.errors).toBeUndefined();

    await postgres.stop();
    const whileDown: PostResult[] = [];
    for (let i = 0; i < 5; i++) whileDown.push(await postTo(url, { query: ACADEMY_ONLY }, headers));
    for (const result of whileDown) {
      expect(result.status).toBe(200);
      expect(result.body.data ?? null).toBeNull();
      expect(result.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(result.body.errors?.[0]?.extensions?.serviceName).toBe('academy');
      expect(JSON.stringify(result.body)).not.toMatch(/ECONNREFUSED|stack/i);
    }
    const notReady = await fetch(new URL('/health/ready', url));
    expect(notReady.status).toBe(503);

    postgres = await startEmbeddedPostgres(dataDir);
    let recovered: PostResult | undefined;
    const deadline = Date.now() + 60_000; // a bound for a recovery that never comes
    while (Date.now() < deadline) {
      recovered = await postTo(url, { query: ACADEMY_ONLY }, headers);
      if (!recovered.body.errors) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(recovered?.body.errors).toBeUndefined();
    expect(recovered?.body.data?.courses.length).toBeGreaterThan(0);
    // Readiness follows as each pool replaces its dead connections.
    let readiness = 0;
    while (Date.now() < deadline + 10_000 && readiness !== 200) {
      readiness = (await fetch(new URL('/health/ready', url))).status;
      if (readiness !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(readiness).toBe(200);
  });
});
