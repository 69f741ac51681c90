/**
 * The start's check that each service's port is free covers what a client of the service's URL reaches, not only
 * HOST: the gateway's URL names localhost, which browsers (and most /etc/hosts) resolve to ::1 as well as
 * 127.0.0.1. A process on [::1] holding the gateway's port used to pass the check (HOST, 127.0.0.1, was free),
 * and a client reaching [::1] then met that process instead of the gateway. Real listeners, no start.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePortsFree } from '../../scripts/lib/free-ports.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A listener on `host`, any port: that port, or undefined when `host` is not an address of this machine. */
async function listenerOn(host: string): Promise<number | undefined> {
  const server = net.createServer();
  const port = await new Promise<number | undefined>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT' ? resolve(undefined) : reject(error)));
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
  });
  if (port !== undefined) servers.push(server);
  return port;
}

// Probed once: a machine without an IPv6 loopback cannot hold a port there, and the case is skipped saying so.
const ipv6Loopback = await listenerOn('::1').then(async (port) => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  return port !== undefined;
});
const onIpv6 = ipv6Loopback ? '' : ' (SKIPPED: this machine has no IPv6 loopback, ::1)';

describe('the ports npm start checks before it launches anything', () => {
  it.skipIf(!ipv6Loopback)(`refuses a port held on [::1] when the URL names localhost and HOST is 127.0.0.1${onIpv6}`, async () => {
    const port = (await listenerOn('::1'))!;
    await expect(ensurePortsFree({ GATEWAY_PORT: { port, url: `http://localhost:${port}/graphql` } }, '127.0.0.1')).rejects.toThrow(
      `GATEWAY_PORT=${port} is in use by another process on [::1] (another npm start still running?): stop that process or choose another port`,
    );
  });

  it('refuses a port held on 0.0.0.0 when HOST is 127.0.0.1', async () => {
    const port = (await listenerOn('0.0.0.0'))!;
    await expect(ensurePortsFree({ ACADEMY_PORT: { port, url: `http://127.0.0.1:${port}/graphql` } }, '127.0.0.1')).rejects.toThrow(
      `ACADEMY_PORT=${port} is in use by another process on 127.0.0.1`,
    );
  });

  it.skipIf(!ipv6Loopback)(`lets a port held on [::1] be used where the URL names 127.0.0.1 only${onIpv6}`, async () => {
    const port = (await listenerOn('::1'))!;
    await expect(ensurePortsFree({ ACADEMY_PORT: { port, url: `http://127.0.0.1:${port}/graphql` } }, '127.0.0.1')).resolves.toBeUndefined();
  });
});
