/**
 * Before `npm start` launches anything: each service's port is free. A port another process holds (often a
 * start still running) would otherwise surface late, after the database was initialised and migrated, as a
 * subgraph's EADDRINUSE; or not at all for the gateway, whose readiness would be answered by whatever holds
 * its port (another start's gateway). Refused at once, naming the variable.
 *
 * Free on HOST, where the service listens, and on every address a client of the service's URL may reach: the
 * gateway's URL names localhost, which browsers (and most /etc/hosts) resolve to ::1 as well as 127.0.0.1. A
 * process on [::1] does not stop the service listening on 127.0.0.1, yet a client trying ::1 first meets it.
 */
import { lookup } from 'node:dns/promises';
import net from 'node:net';

/** Listens on `port` and closes again: the error when it cannot (EADDRINUSE, EACCES), else undefined. */
function tryListen(port: number, host: string | undefined): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}

/** The addresses a client of `url` may connect to: what its host resolves to; for localhost, both loopbacks too. */
async function clientAddresses(url: string): Promise<string[]> {
  const hostname = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  const resolved = await lookup(hostname, { all: true }).catch(() => []);
  const loopbacks = hostname === 'localhost' || hostname.endsWith('.localhost') ? ['127.0.0.1', '::1'] : [];
  return [...new Set([...resolved.map(({ address }) => address), ...loopbacks])];
}

/** An address as it appears in a URL. */
const inUrl = (address: string | undefined) => (address?.includes(':') ? `[${address}]` : (address ?? 'every address'));

/**
 * Throws naming the first variable whose port cannot be listened on, on `host` or on an address its service's
 * URL leads to. `ports`: variable name to port (0 is any) and the URL clients reach the service at.
 */
export async function ensurePortsFree(ports: Record<string, { port: number; url: string }>, host: string | undefined): Promise<void> {
  for (const [name, { port, url }] of Object.entries(ports)) {
    if (port === 0) continue;
    const addresses = [host, ...(await clientAddresses(url)).filter((address) => address !== host)];
    for (const [i, address] of addresses.entries()) {
      const error = await tryListen(port, address);
      if (!error) continue;
      // Where clients may reach but this machine has no such address (no IPv6 loopback, a name of another host): nothing can hold it.
      if (i > 0 && (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT')) continue;
      const why =
        error.code === 'EADDRINUSE'
          ? `is in use by another process on ${inUrl(address)} (another npm start still running?)`
          : `cannot be listened on${i > 0 ? ` on ${inUrl(address)}` : ''} (${error.code ?? error.message})`;
      throw new Error(`${name}=${port} ${why}: stop that process or choose another port`);
    }
  }
}
