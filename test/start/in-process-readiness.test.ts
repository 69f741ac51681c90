/**
 * A subgraph run in the start process is waited for until its readiness
 * checks pass: on a busy machine its database check may time out once (a 503)
 * and pass the next time; only a 503 lasting the stall limit fails the start.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitInProcessReady } from '../../scripts/lib/in-process-readiness.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A /health/ready answering 503 `notReadyTimes` times, then 200. */
async function health(notReadyTimes: number): Promise<{ url: string; asked: () => number }> {
  let asked = 0;
  const server = http.createServer((_request, response) => {
    asked += 1;
    if (asked <= notReadyTimes) response.writeHead(503).end('{"checks":{"database":"timed out after 2000 ms"}}');
    else response.writeHead(200).end('{"status":"ready"}');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/ready`, asked: () => asked };
}

describe('waiting for a subgraph run in the start process', () => {
  it('asks again after a 503 until it is ready', async () => {
    const { url, asked } = await health(2);
    await waitInProcessReady('academy', url, { stallMs: 60_000, totalMs: 60_000 }, () => {});
    expect(asked()).toBe(3);
  });

  it('fails the start, naming the subgraph and the failing check, when it stays not ready for the stall limit', async () => {
    const { url } = await health(Number.POSITIVE_INFINITY);
    const waited = waitInProcessReady('academy', url, { stallMs: 600, totalMs: 60_000 }, () => {});
    await expect(waited).rejects.toThrow(/^academy is listening but not ready after .*503: .*database.*timed out/);
  });
});
