/**
 * The container health check (Dockerfile HEALTHCHECK): asks this container's
 * service for `/health/ready` on loopback and exits 0 when it is ready.
 * Which service runs here comes from SUBGRAPH (the subgraph images' setting),
 * else the gateway. Exit codes follow Docker's: 0 healthy, 1 unhealthy.
 */
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../platform/config.js';

const subgraph = process.env.SUBGRAPH as SubgraphName | undefined;
const service = subgraph && SUBGRAPH_NAMES.includes(subgraph) ? subgraph : 'gateway';
const port = loadConfig().ports[service];
try {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2500) });
  if (!response.ok) console.error(`${service} not ready: ${response.status} ${await response.text()}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`${service} not answering on port ${port}: ${(error as Error).message}`);
  process.exit(1);
}
