/**
 * A request's context whose services are built when a resolver first reads them, not all of them for every
 * request: a subgraph's fetch touches one or two of its services (the course page's documents fetch reads
 * `documents` only), while its createContext built them all, each with its DataLoaders, for every fetch.
 *
 * `lazyContext(shared, services)` returns a createContext: `shared(base)` runs for every request (what the
 * services share, such as the request's Kysely and repositories); each of `services` runs at most once per
 * request, on its first read, given the context (to read the services it needs) and the shared objects. The
 * contexts are instances of one class made here (their services are getters of its prototype), so that a
 * resolver's `context.documents` reads one shape whichever services a request has built. A service is never
 * built for a request that does not read it: its constructor must have no effect a request relies on.
 */
import type { BaseContext } from './subgraph-module.js';

type ServiceFactories<TContext extends BaseContext, TShared> = {
  [K in Exclude<keyof TContext, keyof BaseContext>]: (context: TContext, shared: TShared) => TContext[K];
};

const SHARED = Symbol('shared');
const BUILT = Symbol('built');
const BASE = Symbol('base');

export function lazyContext<TContext extends BaseContext, TShared>(
  shared: (base: BaseContext) => TShared,
  services: ServiceFactories<TContext, TShared>,
): (base: BaseContext) => TContext {
  const names = Object.keys(services) as (keyof typeof services & string)[];
  class RequestContext implements BaseContext {
    viewer: BaseContext['viewer'];
    requestId: string;
    signal: AbortSignal | undefined;
    /** Read through for `log`, which the base may make on first use (request-base.ts). */
    [BASE]: BaseContext;
    [SHARED]: TShared;
    /** Each service once built, by its index in `names`. */
    [BUILT]: unknown[];
    constructor(base: BaseContext) {
      this.viewer = base.viewer;
      this.requestId = base.requestId;
      this.signal = base.signal;
      this[BASE] = base;
      this[SHARED] = shared(base);
      this[BUILT] = new Array(names.length);
    }
    get log(): BaseContext['log'] {
      return this[BASE].log;
    }
  }
  names.forEach((name, index) => {
    const build = services[name] as (context: TContext, shared: TShared) => unknown;
    Object.defineProperty(RequestContext.prototype, name, {
      enumerable: true,
      get(this: RequestContext) {
        const built = this[BUILT];
        let service = built[index];
        if (service === undefined) service = built[index] = build(this as unknown as TContext, this[SHARED]);
        return service;
      },
    });
  });
  return (base) => new RequestContext(base) as unknown as TContext;
}
