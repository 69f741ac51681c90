/**
 * An incremental answer (@defer) is one operation to the gateway's bounds:
 * it keeps its admission slot (GATEWAY_CONCURRENT_PLANS) until its last
 * part is sent or its client has gone, and all its parts count against
 * GATEWAY_MAX_RESPONSE_BYTES, a part past it ending the answer with
 * RESPONSE_TOO_LARGE. Over multipart/mixed and SSE, through the real
 * gateway over the subgraphs of the @requires suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevUserToken } from '../../../platform/auth/user-token.js';
import { loadConfig } from '../../../platform/config.js';
import { createLogger } from '../../../platform/logger.js';
import { demoViewer } from '../../../test/support/subgraph-client.js';
import { gatewayMetrics } from '../../gateway-metrics.js';
import { startGateway, type RunningGateway } from '../../start-gateway.js';
import { postTo } from '../support/gateway-platform.js';
import { composeSupergraph } from './support/compose.js';
import { incrementalClient } from './support/incremental-client.js';
import { startSubgraphServer, type SubgraphServer } from './support/subgraph-server.js';
import { requiresProvidesSuite } from './suites/requires-provides.js';

const DEFERRED = '{ posts { id ... @defer(label: "stats") { seen estimate } } }';
const INITIAL = { data: { posts: [{ id: 'p1' }, { id: 'p2' }] }, hasNext: true };
const PART = {
  hasNext: false,
  incremental: [
    { data: { seen: 1, estimate: 20 }, path: ['posts', 0], label: 'stats' },
    { data: { seen: 1, estimate: 40 }, path: ['posts', 1], label: 'stats' },
  ],
};
/** Each part alone is within this bound (the subgraphs' answers too), the two together are not. */
const BOUND = Buffer.byteLength(JSON.stringify(INITIAL)) + Buffer.byteLength(JSON.stringify(PART)) - 1;

let servers: SubgraphServer[] = [];
const gateways: RunningGateway[] = [];
let token: string;

beforeAll(async () => {
  servers = await Promise.all(requiresProvidesSuite.subgraphs.map((definition) => startSubgraphServer(definition)));
  token = await signDevUserToken(loadConfig().auth, demoViewer('admin'));
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await Promise.all(servers.map((server) => server.stop()));
});

async function gatewayWith(env: Record<string, string>) {
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory', ...env });
  const gateway = await startGateway({ config, log: createLogger('defer-bounds-test'), supergraphSdl: composeSupergraph(servers) });
  gateways.push(gateway);
  return gateway.url.replace('localhost', '127.0.0.1');
}

/** Holds the stats subgraph's answers until `release`; `arrived` resolves when the first one waits. */
function holdStats() {
  const stats = servers.find((server) => server.name === 'stats')!;
  let release!: () => void;
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  stats.hold = { until: new Promise<void>((resolve) => (release = resolve)), arrived: arrive };
  return {
    arrived,
    release: () => {
      stats.hold = undefined;
      release();
    },
  };
}

const waitingOperations = async () => (await gatewayMetrics.operationsWaiting.get()).values[0]?.value ?? 0;

describe('admission of an incremental answer', () => {
  let url: string;
  beforeAll(async () => {
    url = await gatewayWith({ GATEWAY_CONCURRENT_PLANS: '1' });
  });

  for (const transport of ['multipart', 'sse'] as const) {
    it(`over ${transport}: the slot is held while deferred parts are pending, and given back when the client leaves mid-stream`, async () => {
      const client = incrementalClient(url, token);
      const hold = holdStats();
      const leave = new AbortController();
      try {
        const stream = transport === 'multipart' ? await client.multipart(DEFERRED, undefined, leave.signal) : await client.sse(DEFERRED, { signal: leave.signal });
        expect((await stream.until(1))[0]).toEqual(transport === 'multipart' ? INITIAL : { event: 'next', data: INITIAL });
        await hold.arrived;

        // Another operation of several fetches (none to stats) waits for the slot the stream holds.
        let answered = false;
        const other = postTo(url, { query: '{ posts { author { name } } }' }).then((answer) => {
          answered = true;
          return answer;
        });
        while (!answered && (await waitingOperations()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(answered).toBe(false);

        leave.abort();
        expect((await other).body).toEqual({ data: { posts: [{ author: { name: 'Ann' } }, { author: { name: 'Raj' } }] } });
      } finally {
        hold.release();
      }
    });
  }
});

describe('the response-size bound over an incremental answer', () => {
  let url: string;
  beforeAll(async () => {
    url = await gatewayWith({ GATEWAY_MAX_RESPONSE_BYTES: String(BOUND) });
  });

  const tooLarge = {
    hasNext: false,
    incremental: [{ data: null, path: ['posts', 0], label: 'stats', errors: [{ message: expect.stringContaining('exceeds'), extensions: { code: 'RESPONSE_TOO_LARGE' } }] }],
  };

  it('answers in full within the bound', async () => {
    const unbounded = await gatewayWith({ GATEWAY_MAX_RESPONSE_BYTES: String(BOUND + 1) });
    expect((await (await incrementalClient(unbounded, token).multipart(DEFERRED)).rest()).items).toEqual([INITIAL, PART]);
  });

  it('over multipart/mixed: the part that takes the answer past the bound ends it with RESPONSE_TOO_LARGE', async () => {
    const { items, text } = await (await incrementalClient(url, token).multipart(DEFERRED)).rest();
    expect(items).toEqual([INITIAL, tooLarge]);
    expect(text.endsWith('\r\n-----\r\n')).toBe(true);
  });

  it('over SSE: the same parts, then `complete`', async () => {
    const { items } = await (await incrementalClient(url, token).sse(DEFERRED)).rest();
    expect(items).toEqual([
      { event: 'next', data: INITIAL },
      { event: 'next', data: tooLarge },
      { event: 'complete', data: null },
    ]);
  });
});
