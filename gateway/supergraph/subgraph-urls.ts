/**
 * Where the gateway reaches each subgraph. The supergraph's join__Graph
 * carries a URL per subgraph (what composition was given); the environment
 * may override it per name (GATEWAY_SUBGRAPH_URL_<NAME>, or the platform's
 * older ACADEMY_URL… names), and code (tests) per name again. When the
 * platform serves its own supergraph, whose URLs are the containers' names
 * (http://academy:4000/graphql), its subgraphs default to the local ports
 * that `npm start` uses.
 */
import { envName } from '../../platform/config/gateway-config.js';
import type { PlatformConfig } from '../../platform/config.js';

export interface UrlSources {
  config: PlatformConfig;
  /** Set by code: win over everything. */
  explicit?: Partial<Record<string, string>>;
  /** Serving the platform's own supergraph (GATEWAY_SUPERGRAPH_FILE unset, no SDL given). */
  platformSupergraph: boolean;
}

/** The URL of subgraph `name` (undefined when no source names one). */
export function subgraphUrl(name: string, supergraphUrl: string, sources: UrlSources): string | undefined {
  const fromEnv = sources.config.gateway.subgraphUrls[envName(name)];
  const platformDefault = sources.platformSupergraph ? (sources.config.subgraphUrls as Record<string, string>)[name] : undefined;
  return sources.explicit?.[name] || fromEnv || platformDefault || supergraphUrl || undefined;
}
