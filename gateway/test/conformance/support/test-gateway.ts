/**
 * One gateway over a conformance case's subgraphs, as the HTTP-level tests start it: anonymous callers allowed,
 * rate limits in memory, a demo admin's token, the URL on 127.0.0.1. Stop it with `stopTestGateway`.
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { signDevUserToken } from '../../../../platform/auth/user-token.js';
import { loadConfig } from '../../../../platform/config.js';
import { createLogger } from '../../../../platform/logger.js';
import { demoViewer } from '../../../../test/support/subgraph-client.js';
import { type RunningGateway, startGateway } from '../../../start-gateway.js';
import { composeSupergraph } from './compose.js';
import type { SubgraphServer } from './subgraph-server.js';

export interface TestGateway {
  gateway: RunningGateway;
  config: ReturnType<typeof loadConfig>;
  url: string;
  /** A demo admin of the demo company. */
  token: string;
}

export async function startTestGateway(servers: readonly SubgraphServer[], options: { name: string; log?: Logger; env?: Record<string, string> }): Promise<TestGateway> {
  const config = loadConfig({ ...process.env, GATEWAY_ANONYMOUS: 'true', GATEWAY_RATE_LIMIT_STORE: 'memory', ...options.env });
  const log = options.log ?? createLogger(options.name, 'warn');
  const gateway = await startGateway({ config, log, supergraphSdl: composeSupergraph([...servers]) });
  const token = await signDevUserToken(config.auth, demoViewer('admin'));
  return { gateway, config, url: gateway.url.replace('localhost', '127.0.0.1'), token };
}

/** Stops the gateway first (it holds connections to the subgraphs), then the subgraphs. */
export async function stopTestGateway(test: TestGateway | undefined, servers: readonly SubgraphServer[]): Promise<void> {
  await test?.gateway.stop();
  await Promise.all(servers.map((server) => server.stop()));
}

/** A logger at `warn` whose lines land, parsed, in the array returned beside it (what a test reads of the log). */
export function collectingLogger(): { log: Logger; logged: { msg: string; err?: { message?: string } }[] } {
  const logged: { msg: string; err?: { message?: string } }[] = [];
  const log = pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line));
        done();
      },
    }),
  );
  return { log, logged };
}
