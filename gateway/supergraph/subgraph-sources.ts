/**
 * The gateway's connection pools to subgraphs, one per subgraph name and
 * URL, shared by the supergraphs served in this process: a reload that
 * keeps a subgraph's URL keeps its pool (and warm sockets); one that moves
 * it gets a new pool. Each serving supergraph holds its pools (`acquire`)
 * until it is replaced and its operations in flight have finished
 * (`release`, federation-gateway.ts); a pool no supergraph holds any more is
 * closed then, its sockets with it.
 */
import type { PlatformConfig } from '../../platform/config.js';
import { SubgraphDataSource } from '../subgraph-data-source.js';

export class SubgraphSources {
  private readonly pools = new Map<string, { source: SubgraphDataSource; holders: number }>();

  constructor(private readonly config: PlatformConfig) {}

  /** The pool of subgraph `name` at `url`, held until `release`d. */
  acquire(name: string, url: string): SubgraphDataSource {
    const key = `${name}\n${url}`;
    let pool = this.pools.get(key);
    if (!pool) {
      const source = new SubgraphDataSource({
        name,
        url,
        signingSecret: this.config.internalSigningSecret,
        timeoutMs: this.config.gateway.subgraphTimeoutMs,
        connections: this.config.gateway.subgraphConnections,
        maxResponseBytes: this.config.gateway.maxResponseBytes,
      });
      this.pools.set(key, (pool = { source, holders: 0 }));
    }
    pool.holders++;
    return pool.source;
  }

  /** Gives back pools `acquire`d; those nobody holds any more are closed. */
  async release(urls: Readonly<Record<string, string>>): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [name, url] of Object.entries(urls)) {
      const key = `${name}\n${url}`;
      const pool = this.pools.get(key);
      if (!pool || --pool.holders > 0) continue;
      this.pools.delete(key);
      closing.push(pool.source.close());
    }
    await Promise.all(closing);
  }

  /** Pools open now (one per subgraph name and URL held). */
  get size(): number {
    return this.pools.size;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.source.close()));
    this.pools.clear();
  }
}
