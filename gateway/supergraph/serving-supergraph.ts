/**
 * One supergraph as the gateway serves it: loaded and validated, each
 * subgraph given its URL and pool, a planner, and our executor over them.
 * Built whole before it replaces the one serving, so a supergraph that does
 * not load, or names a subgraph nobody says how to reach, never serves.
 */
import type { PlatformConfig } from '../../platform/config.js';
import type { OperationAdmission } from '../execution/operation-admission.js';
import { PlanExecutor } from '../execution/plan-executor.js';
import type { GatewayContext } from '../gateway-context.js';
import { apolloPlanner } from '../planning/apollo-planner.js';
import type { SubgraphDataSource } from '../subgraph-data-source.js';
import { loadSupergraph, SupergraphError, type LoadedSupergraph } from './load-supergraph.js';
import type { SubgraphSources } from './subgraph-sources.js';
import { subgraphUrl, type UrlSources } from './subgraph-urls.js';
import type { Logger } from '../../platform/logger.js';

export interface ServingSupergraph {
  loaded: LoadedSupergraph;
  /** Subgraph name to URL. */
  urls: Record<string, string>;
  executor: PlanExecutor;
}

export interface ServingOptions extends Omit<UrlSources, 'config'> {
  config: PlatformConfig;
  sources: SubgraphSources;
  admission?: OperationAdmission;
  /** Where the planner's words go when it finds no plan (apollo-planner.ts). */
  log?: Pick<Logger, 'warn'>;
}

export function serveSupergraph(sdl: string, options: ServingOptions): ServingSupergraph {
  const loaded = loadSupergraph(sdl);
  const urls: Record<string, string> = {};
  for (const subgraph of loaded.subgraphs) {
    const url = subgraphUrl(subgraph.name, subgraph.url, options);
    if (!url) throw new SupergraphError(`Subgraph "${subgraph.name}" has no URL: give one in its join__Graph or in GATEWAY_SUBGRAPH_URL_<NAME>`);
    urls[subgraph.name] = url;
  }
  const planner = apolloPlanner(loaded, options.log);
  // Pools last: nothing above may throw with pools held (federation-gateway.ts releases them when this one retires).
  const byName = new Map<string, SubgraphDataSource>();
  for (const [name, url] of Object.entries(urls)) byName.set(name, options.sources.acquire(name, url));
  const executor = new PlanExecutor({
    planner,
    supergraphSchema: loaded.supergraphGraphQLSchema,
    send: (fetch, variables, context, read) => {
      const source = byName.get(fetch.serviceName);
      if (!source) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
      return source.fetch(fetch.operation, variables, fetch.operationName, context as GatewayContext | undefined, fetch.isMutation, read);
    },
    admission: options.admission,
    authorization: loaded.authorization,
  });
  return { loaded, urls, executor };
}
