/** What the gateway knows of a request: the verified caller and a request id carried to subgraphs. */
import type { Viewer } from '../platform/auth/viewer.js';

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  /**
   * Aborted when the request's time is up (GATEWAY_REQUEST_TIMEOUT_MS) or its caller has gone:
   * subgraph fetches in flight are cancelled with it (pipeline/request-deadline.ts).
   */
  signal?: AbortSignal;
}
