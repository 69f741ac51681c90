/** What the gateway knows of a request: the verified caller and a request id carried to subgraphs. */
import type { Viewer } from '../platform/auth/viewer.js';
import type { CancelSignal } from './cancellation.js';
import type { IncrementalDelivery } from './execution/incremental.js';

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
  /**
   * Aborted when the request's time is up (GATEWAY_REQUEST_TIMEOUT_MS) or its caller has gone:
   * subgraph fetches in flight are cancelled with it (pipeline/request-deadline.ts). An AbortSignal will do.
   */
  signal?: CancelSignal;
  /** Set when the client reads incremental delivery (multipart/mixed, graphql-ws): @defer's later parts go there. */
  incremental?: IncrementalDelivery;
}
