/**
 * The real platform for gateway tests: every subgraph registered so far, in
 * process on a fresh database, and a gateway over a supergraph composed at
 * test time from their SDL files with their real URLs (so the suites grow
 * with the platform: a newly registered subgraph is covered at once).
 */
import http from 'node:http';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../../platform/config.js';
import { createLogger } from '../../../platform/logger.js';
import { readSchemaFile } from '../../../platform/paths.js';
import { SUBGRAPH_MODULES } from '../../../subgraphs/registry.js';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from '../../../test/support/test-platform.js';
import { startGateway, type RunningGateway, type StartGatewayOptions } from '../../start-gateway.js';

export const REGISTERED_SUBGRAPHS: SubgraphName[] = SUBGRAPH_NAMES.filter((name) => SUBGRAPH_MODULES[name]);

export function composeFor(urls: Partial<Record<SubgraphName, string>>): string {
  const result = composeServices((Object.entries(urls) as [SubgraphName, string][]).map(([name, url]) => ({ name, url, typeDefs: parse(readSchemaFile(name)) })));
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((error) => error.message).join('\n')}`);
  return result.supergraphSdl;
}

/** Limits high enough that only tests of rate limiting meet them. */
export const GENEROUS_RATE_LIMITS = {
  GATEWAY_RATE_LIMIT_STORE: 'memory',
  GATEWAY_RATE_LIMIT_USER_BURST: '100000',
  GATEWAY_RATE_LIMIT_IP_BURST: '100000',
};

export interface PostResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: GraphQLResponse;
  ms: number;
}

/**
 * node:http rather than fetch: fetch spends ~100 ms encoding a 2 MB body
 * before the first byte leaves, which would time the client, not the gateway.
 * The answer may come before the whole body is sent (413): that is the point.
 */
export function postTo(url: string, body: unknown, headers: Record<string, string> = {}): Promise<PostResult> {
  const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode!, headers: response.headers, body: text ? (JSON.parse(text) as GraphQLResponse) : {}, ms: performance.now() - started });
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // The gateway may close the socket while we are still sending a body it refused: its answer may still come.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') setTimeout(() => reject(error), 200);
      else reject(error);
    });
    request.end(payload);
  });
}

export interface GatewayPlatform extends TestPlatform {
  gateway: RunningGateway;
  supergraphSdl: string;
  /** POSTs any body (string: sent as is) to the gateway; `ms`: until the whole answer arrived. */
  post: (body: unknown, headers?: Record<string, string>) => Promise<PostResult>;
  /** Starts a second gateway over the same subgraphs (other settings), stopped with the platform. */
  startAnotherGateway: (overrides?: Partial<StartGatewayOptions>) => Promise<RunningGateway>;
}

export async function startGatewayPlatform(options: { subgraphs?: SubgraphName[]; env?: Record<string, string> } = {}): Promise<GatewayPlatform> {
  const platform = await startTestPlatform({ subgraphs: options.subgraphs ?? REGISTERED_SUBGRAPHS, gateway: false, env: { ...GENEROUS_RATE_LIMITS, ...options.env } });
  const urls = Object.fromEntries(Object.entries(platform.subgraphs).map(([name, running]) => [name, running!.url]));
  const supergraphSdl = composeFor(urls);
  const log = createLogger('gateway-test');
  const gateways: RunningGateway[] = [];
  const startAnotherGateway = async (overrides: Partial<StartGatewayOptions> = {}) => {
    const gateway = await startGateway({ config: platform.config, log, subgraphUrls: urls, supergraphSdl, ...overrides });
    gateways.push(gateway);
    return gateway;
  };
  const gateway = await startAnotherGateway();
  const gatewayUrl = gateway.url.replace('localhost', '127.0.0.1');
  const post: GatewayPlatform['post'] = (body, headers) => postTo(gatewayUrl, body, headers);
  const request: TestPlatform['request'] = (args) => platform.request({ url: gatewayUrl, ...args });
  return {
    ...platform,
    gateway,
    supergraphSdl,
    post,
    request,
    query: async (username, query, variables) => (await request({ token: await platform.tokenFor(username), query, variables })).body,
    startAnotherGateway,
    stop: async () => {
      for (const running of gateways) await running.stop();
      await platform.stop();
    },
  };
}
