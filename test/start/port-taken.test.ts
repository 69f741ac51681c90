/**
 * `npm start` while another process holds the gateway's port (often a start still running): the start used to
 * take that process's readiness answer for its own gateway's (which had died on EADDRINUSE) and print its banner
 * for a stack without a gateway. Now it stops at once, naming the variable and the port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnStart } from './spawn-start.js';

// Answers everything with 200, /health/ready included, as a running gateway would.
const squatter = http.createServer((_request, response) => response.end('{"status":"ready"}'));
afterAll(() => new Promise((resolve) => squatter.close(resolve)));

describe('npm start with the gateway port taken', () => {
  it('stops at once naming GATEWAY_PORT', async () => {
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    const start = await spawnStart({ GATEWAY_PORT: String(taken) });
    // Ends with the process, or with the banner of a start that took the squatter for its gateway.
    const code = await start.bannerOrExit;
    const output = start.output();
    expect({ code, output: output.slice(output.indexOf('Start-up failed')) }).toEqual({
      code: 1,
      output: `Start-up failed: GATEWAY_PORT=${taken} is in use by another process on 127.0.0.1 (another npm start still running?): stop that process or choose another port\n`,
    });
  }, 300_000);
});
