/**
 * The shape every subgraph exports from `subgraphs/<name>/subgraph.ts`, so
 * that one bootstrap can serve, migrate, seed and test any of them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { PlatformConfig, SubgraphName } from '../config.js';
import type { Logger } from '../logger.js';
import type { Viewer } from '../auth/viewer.js';
import type { Migrations } from '../database/migrate.js';

export interface BaseContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
  /**
   * Fires when a GraphQL request's caller is gone (start-subgraph.ts): the request's statements are then cancelled,
   * those of its own Kysely (`forRequest(db, signal)`, platform/database/request-database.ts). None outside a request
   * over HTTP (subscriptions, tests).
   */
  signal?: AbortSignal;
}

export interface SubgraphDeps {
  config: PlatformConfig;
  databaseUrl: string;
  log: Logger;
}

/** Plain HTTP routes beside /graphql (webhooks, file transfer). */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'HEAD' | 'DELETE' | 'OPTIONS';
  /** Matched as a prefix when it ends with `/`, exactly otherwise. */
  path: string;
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

export interface SubgraphRuntime<TContext extends BaseContext> {
  /** Per-request context: fresh DataLoaders, the viewer, the services. */
  createContext: (base: BaseContext) => TContext;
  routes?: HttpRoute[];
  /** Readiness checks besides the database (LiveKit, CalDAV, storage...). */
  readiness?: Record<string, () => Promise<void>>;
  stop?: () => Promise<void>;
}

export interface SubgraphModule<TContext extends BaseContext = BaseContext> {
  name: SubgraphName;
  /** PostgreSQL schema this subgraph owns. */
  dbSchema: string;
  migrations: Migrations;
  /** Resolvers as typed by codegen (`generated/resolvers-types.ts`). */
  resolvers: object;
  /** Runs before migrations, for schemas that are not ours (Moodle's tables in embedded mode). */
  provision?: (deps: SubgraphDeps, db: Kysely<any>) => Promise<void>;
  start: (deps: SubgraphDeps) => Promise<SubgraphRuntime<TContext>>;
  /** Demo rows for embedded mode; runs once, on an empty schema. */
  seed?: (deps: SubgraphDeps) => Promise<void>;
}
