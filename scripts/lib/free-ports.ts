/**
 * Before `npm start` launches anything: each service's port is free. A port another process holds (often a
 * start still running) would otherwise surface late, after the database was initialised and migrated, as a
 * subgraph's EADDRINUSE; or not at all for the gateway, whose readiness would be answered by whatever holds
 * its port (another start's gateway). Refused at once, naming the variable.
 */
import net from 'node:net';

/** Listens on `port` and closes again: the error when it cannot (EADDRINUSE, EACCES), else undefined. */
function tryListen(port: number, host: string | undefined): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}

/** Throws naming the first variable whose port cannot be listened on. `ports`: variable name to port (0 is any). */
export async function ensurePortsFree(ports: Record<string, number>, host: string | undefined): Promise<void> {
  for (const [name, port] of Object.entries(ports)) {
    if (port === 0) continue;
    const error = await tryListen(port, host);
    if (!error) continue;
    const why = error.code === 'EADDRINUSE' ? 'is in use by another process (another npm start still running?)' : `cannot be listened on (${error.code ?? error.message})`;
    throw new Error(`${name}=${port} ${why}: stop that process or choose another port`);
  }
}
