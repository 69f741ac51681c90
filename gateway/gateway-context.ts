/** What the gateway knows of a request: the verified caller and a request id carried to subgraphs. */
import type { Viewer } from '../platform/auth/viewer.js';

export interface GatewayContext {
  viewer: Viewer;
  requestId: string;
}
