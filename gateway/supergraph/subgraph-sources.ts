/**
 * The gateway's connection pools to subgraphs, one per subgraph name and
 * URL, shared by every supergraph served in this process: a reload that
 * keeps a subgraph's URL keeps its pool (and warm sockets); one that moves it
 * gets a new pool while requests in flight finish on the old. Pools are
 * closed when the gateway stops (a handful at most: one per URL ever used).
 */
import type { PlatformConfig } from '../../platform/config.js';
import { SubgraphDataSource } from '../subgraph-data-source.js';

export class SubgraphSources {
  private readonly pools = new Map<string, SubgraphDataSource>();

  constructor(private readonly config: PlatformConfig) {}

  get(name: string, url: string): SubgraphDataSource {
    const key = `${name}\n${url}`;
    let source = this.pools.get(key);
    if (!source) {
      source = new SubgraphDataSource({
        name,
        url,
        signingSecret: this.config.internalSigningSecret,
        timeoutMs: this.config.gateway.subgraphTimeoutMs,
        connections: this.config.gateway.subgraphConnections,
        maxResponseBytes: this.config.gateway.maxResponseBytes,
      });
      this.pools.set(key, source);
    }
    return source;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((source) => source.close()));
    this.pools.clear();
  }
}
