/**
 * A GraphQL request's BaseContext as start-subgraph.ts gives it to the subgraph's createContext. Its logger, a
 * child of the subgraph's naming the request, is made on first use: pino's `child` serialises its bindings
 * at once, for every fetch, while a fetch that logs nothing is the rule.
 */
import type { Logger } from '../logger.js';
import type { Viewer } from '../auth/viewer.js';
import type { BaseContext } from './subgraph-module.js';

export class RequestBase implements BaseContext {
  readonly viewer: Viewer;
  readonly requestId: string;
  readonly signal: AbortSignal | undefined;
  readonly #parentLog: Logger;
  #log: Logger | undefined;

  constructor(viewer: Viewer, requestId: string, signal: AbortSignal | undefined, parentLog: Logger) {
    this.viewer = viewer;
    this.requestId = requestId;
    this.signal = signal;
    this.#parentLog = parentLog;
  }

  get log(): Logger {
    if (this.#log === undefined) this.#log = this.#parentLog.child({ requestId: this.requestId });
    return this.#log;
  }
}
