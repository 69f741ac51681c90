/**
 * The gateway as Apollo Server sees it (its GatewayInterface): the API
 * schema and our executor over the supergraph serving now. A new supergraph
 * (the file changed) is built whole beside the one serving and replaces it
 * only once it loads; a request keeps the supergraph it was validated
 * against (found by its schema), so requests in flight finish on the old one,
 * and the connection pools the new one no longer uses are closed after them.
 */
import { readFileSync } from 'node:fs';
import type { GatewayExecutor, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../../platform/logger.js';
import type { PlanExecutor } from '../execution/plan-executor.js';
import { serveSupergraph, type ServingOptions, type ServingSupergraph } from './serving-supergraph.js';
import { SubgraphSources } from './subgraph-sources.js';
import { watchFile } from './watch-file.js';

const RETIRE_GRACE_MS = 1_000;

export interface FederationGatewayOptions extends Omit<ServingOptions, 'sources'> {
  log: Logger;
  /** A supergraph given as text (served as is), or a file (reloaded when it changes). */
  supergraph: { sdl: string } | { file: string };
}

export class FederationGateway implements GatewayInterface {
  readonly sources: SubgraphSources;
  private serving: ServingSupergraph | undefined;
  private readonly bySchema = new WeakMap<GraphQLSchema, ServingSupergraph>();
  private readonly schemaListeners = new Set<GatewaySchemaLoadOrUpdateCallback>();
  private readonly servingListeners = new Set<(serving: ServingSupergraph) => void>();
  private stopWatching: (() => void) | undefined;

  constructor(private readonly options: FederationGatewayOptions) {
    this.sources = new SubgraphSources(options.config);
  }

  /** The supergraph serving now (set once loaded). */
  get current(): ServingSupergraph {
    if (!this.serving) throw new Error('The gateway has not loaded its supergraph yet');
    return this.serving;
  }

  /** The executor of the supergraph serving now, for requests that skip Apollo Server (fast-lane.ts). */
  readonly currentExecutor = (): PlanExecutor => this.current.executor;

  readonly executor: GatewayExecutor = (requestContext) => (this.bySchema.get(requestContext.schema) ?? this.current).executor.executor(requestContext);

  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback): () => void {
    this.schemaListeners.add(callback);
    return () => this.schemaListeners.delete(callback);
  }

  /** Told of every supergraph that starts serving (subscriptions follow it). */
  onServing(listener: (serving: ServingSupergraph) => void): void {
    this.servingListeners.add(listener);
  }

  async load(): Promise<{ executor: GatewayExecutor }> {
    const { supergraph } = this.options;
    this.install(serveSupergraph('sdl' in supergraph ? supergraph.sdl : readFileSync(supergraph.file, 'utf8'), { ...this.options, sources: this.sources }));
    if ('file' in supergraph) this.stopWatching = watchFile(supergraph.file, () => this.reload());
    return { executor: this.executor };
  }

  /** Reads the supergraph file again; serves it if it changed and loads, else keeps the one serving. True when it now serves. */
  reload(): boolean {
    const { supergraph, log } = this.options;
    if (!('file' in supergraph)) return false;
    let sdl: string;
    try {
      sdl = readFileSync(supergraph.file, 'utf8');
    } catch (error) {
      log.warn({ err: error, file: supergraph.file }, 'supergraph file unreadable: the current supergraph keeps serving');
      return false;
    }
    if (sdl === this.serving?.loaded.sdl) return false;
    try {
      this.install(serveSupergraph(sdl, { ...this.options, sources: this.sources }));
    } catch (error) {
      log.error({ err: error, file: supergraph.file }, 'new supergraph refused: the current one keeps serving');
      return false;
    }
    log.info({ file: supergraph.file, subgraphs: Object.keys(this.current.urls) }, 'supergraph reloaded');
    return true;
  }

  private install(serving: ServingSupergraph): void {
    const retired = this.serving;
    this.bySchema.set(serving.loaded.apiGraphQLSchema, serving);
    this.serving = serving;
    // The pools only the old supergraph used close once its operations in flight have finished (after a grace
    // for requests Apollo Server validated against it that have not reached its executor yet).
    if (retired) setTimeout(() => void retired.executor.idle().then(() => this.sources.release(retired.urls)), RETIRE_GRACE_MS).unref();
    for (const listener of this.schemaListeners) listener({ apiSchema: serving.loaded.apiGraphQLSchema, coreSupergraphSdl: serving.loaded.sdl });
    for (const listener of this.servingListeners) listener(serving);
  }

  async stop(): Promise<void> {
    this.stopWatching?.();
    this.stopWatching = undefined;
  }
}
