/**
 * Hive Gateway's configuration for the benchmark: its defaults, plus the
 * client's Authorization header forwarded to every subgraph (they run with
 * REQUIRE_GATEWAY_SIGNATURE=false for the peers). BENCH_HIVE_ROUTER=true
 * swaps in the Rust query planner of @graphql-hive/router-runtime.
 */
import { defineConfig } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';

export const gatewayConfig = defineConfig({
  ...(process.env.BENCH_HIVE_ROUTER === 'true' && { unifiedGraphHandler }),
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => {
      const authorization = request.headers.get('authorization');
      return authorization ? { authorization } : {};
    },
  },
});
