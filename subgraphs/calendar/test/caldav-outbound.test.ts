/**
 * connectCalDAVAccount under the outbound policy, through the gateway as a
 * student: the server's own network is refused, and an open port that is not
 * CalDAV answers exactly like a closed one (no port scanning through it).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/support/test-platform.js';

const CONNECT = `mutation($url: String!) { connectCalDAVAccount(url: $url, username: "sam", appPassword: "secret") { id } }`;

let platform: TestPlatform;
let inside: http.Server;
let outside: http.Server;
let closedPort: number;

const listen = async (server: http.Server, host: string) => {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
};

beforeAll(async () => {
  // A web service on 127.0.0.1 (the "internal" one) and one on 127.0.0.2, which this platform may reach.
  inside = http.createServer((_req, res) => res.end('internal admin page'));
  outside = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not a calendar</html>'));
  await listen(inside, '127.0.0.1');
  await listen(outside, '127.0.0.2');
  const probe = net.createServer();
  closedPort = await listen(probe as unknown as http.Server, '127.0.0.2');
  await new Promise((resolve) => probe.close(resolve));
  platform = await startTestPlatform({ subgraphs: ['academy', 'calendar'], env: { OUTBOUND_ALLOW_PRIVATE: '127.0.0.2/32' } });
});
afterAll(async () => {
  await platform?.stop();
  inside?.close();
  outside?.close();
});

async function connectAs(username: string, url: string) {
  const response = await platform.request({ token: await platform.tokenFor(username), query: CONNECT, variables: { url } });
  expect(response.status).toBeLessThan(500);
  return response.body.errors?.[0];
}

describe('connectCalDAVAccount and the outbound policy', () => {
  it("refuses a student's connection to the server's own network, however the address is written", async () => {
    const port = (inside.address() as AddressInfo).port;
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://0.0.0.0:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const error = await connectAs('sam.student', url);
      expect(error?.extensions?.code, url).toBe('OUTBOUND_REFUSED');
      expect(error?.message).not.toMatch(/127|169\.254|localhost|internal/);
    }
  });

  it('answers an open non-CalDAV port exactly like a closed one', async () => {
    const open = await connectAs('sam.student', `http://127.0.0.2:${(outside.address() as AddressInfo).port}/`);
    const closed = await connectAs('sam.student', `http://127.0.0.2:${closedPort}/`);
    expect(open?.extensions?.code).toBe('REMOTE_UNREACHABLE');
    expect(closed?.extensions?.code).toBe('REMOTE_UNREACHABLE');
    expect(open?.message).toBe(closed?.message);
  });
});
