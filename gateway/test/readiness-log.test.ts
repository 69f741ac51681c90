/**
 * The gateway's log while its subgraphs are not up yet (as during `npm start`, where it is launched first and
 * polled until ready): each /health/ready answers 503, which is an answer, not a failed request, so nothing is
 * logged at error level for it. A request that does fail still is.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { freePort } from '../../platform/database/embedded-postgres.js';
import { startGateway, type RunningGateway } from '../start-gateway.js';

const lines: { level: number; msg: string; path?: string; status?: number }[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
let gateway: RunningGateway | undefined;
afterAll(() => gateway?.stop());

it('logs no error for the 503 of /health/ready while its subgraphs are down', async () => {
  // Every subgraph on a port nothing listens on.
  const env: Record<string, string | undefined> = { ...process.env, GATEWAY_EXPLORER: 'false', GATEWAY_WEB_APP: 'false' };
  for (const name of ['ACADEMY', 'ERP', 'MEET', 'CALENDAR', 'DOCUMENTS']) env[`${name}_URL`] = `http://127.0.0.1:${await freePort()}/graphql`;
  const config = loadConfig(env);
  gateway = await startGateway({ config, log: pino({ level: 'info' }, sink), port: 0 });
  const origin = `http://127.0.0.1:${gateway.port}`;
  for (let i = 0; i < 3; i++) expect((await fetch(`${origin}/health/ready`)).status).toBe(503);
  // A 5xx that is a failure is still logged as one (a route that answers 500: an unparsable supergraph reload is
  // not at hand, so the forwarded route to a subgraph that is down stands in).
  const forwarded = await fetch(`${origin}/files/x`);
  expect(forwarded.status).toBeGreaterThanOrEqual(500);
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines.filter((line) => line.level >= 50).map((line) => `${line.path} ${line.status}`)).toEqual([`/files/x ${forwarded.status}`]);
}, 60_000);
