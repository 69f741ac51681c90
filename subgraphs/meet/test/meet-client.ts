/** Calls to the meet subgraph as a demo user, signed like the gateway signs. */
import type { Viewer } from '../../../platform/auth/viewer.js';
import { callSubgraph, demoViewer } from '../../../test/support/subgraph-client.js';
import type { TestPlatform } from '../../../test/support/test-platform.js';

export function meetCaller(platform: () => TestPlatform) {
  return (user: string | Viewer, query: string, variables?: Record<string, unknown>) =>
    callSubgraph({
      url: platform().subgraphs.meet!.url,
      audience: 'meet',
      secret: platform().config.internalSigningSecret,
      viewer: typeof user === 'string' ? demoViewer(user) : user,
      query,
      variables,
    });
}
