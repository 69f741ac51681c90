/**
 * The real platform in one test process: chosen subgraphs on ephemeral
 * loopback ports over a fresh database, and the real gateway in front of
 * them. Nothing of the project is mocked.
 */
import { loadConfig, SUBGRAPH_NAMES, type PlatformConfig, type SubgraphName } from '../../platform/config.js';
import { signDevUserToken } from '../../platform/auth/user-token.js';
import { createLogger } from '../../platform/logger.js';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/start-subgraph.js';
import { startGateway, type RunningGateway } from '../../gateway/start-gateway.js';
import { SUBGRAPH_MODULES } from '../../subgraphs/registry.js';
import { DEMO_COMPANIES, DEMO_USERS } from '../../platform/demo/demo-ids.js';
import type { Kysely } from 'kysely';
import { createKysely } from '../../platform/database/connection.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestPlatform {
  config: PlatformConfig;
  database: TestDatabase;
  /**
   * The test's own hand on that database, over this process's one pool for
   * it, the subgraphs' (connection.ts): `stop` closes it. A test never
   * destroys it, which would end that pool under the running subgraphs.
   */
  db: Kysely<any>;
  subgraphs: Partial<Record<SubgraphName, RunningSubgraph>>;
  gateway?: RunningGateway;
  /** A dev token for a demo user (by username), optionally with other roles. */
  tokenFor: (username: string, overrides?: { roles?: string[]; companyId?: string; expiresIn?: number }) => Promise<string>;
  /** POSTs to a URL (the gateway's by default) and returns status and parsed body. */
  request: <T = any>(options: {
    token?: string;
    query: string;
    variables?: Record<string, unknown>;
    url?: string;
    headers?: Record<string, string>;
  }) => Promise<{ status: number; body: GraphQLResponse<T> }>;
  /** A query through the gateway as a demo user. */
  query: <T = any>(username: string, query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse<T>>;
  stopSubgraph: (name: SubgraphName) => Promise<void>;
  restartSubgraph: (name: SubgraphName) => Promise<void>;
  stop: () => Promise<void>;
}

export interface TestPlatformOptions {
  subgraphs?: SubgraphName[];
  gateway?: boolean;
  seeded?: boolean;
  env?: Record<string, string>;
  /** The gateway's port (0, the default: any free one); fixed when PUBLIC_URL must name it before it starts. */
  gatewayPort?: number;
  /** The dev token the gateway puts on its explorer and web client pages. */
  devToken?: () => Promise<string | undefined>;
}

export async function startTestPlatform(options: TestPlatformOptions = {}): Promise<TestPlatform> {
  const database = await createTestDatabase({ seeded: options.seeded });
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url, ...options.env });
  const log = createLogger('test');
  const deps = { config, databaseUrl: database.url, log };
  const names = options.subgraphs ?? [...SUBGRAPH_NAMES];
  const subgraphs: TestPlatform['subgraphs'] = {};
  const ports: Partial<Record<SubgraphName, number>> = {};
  const start = async (name: SubgraphName) => {
    const module = await SUBGRAPH_MODULES[name]!();
    subgraphs[name] = await startSubgraph(module, deps, { port: ports[name] ?? 0 });
    ports[name] = subgraphs[name]!.port;
    // Subgraphs that call each other (CourseAccess → academy) read this shared config object.
    config.subgraphUrls[name] = subgraphs[name]!.url;
  };
  for (const name of names) await start(name);
  let gateway: RunningGateway | undefined;
  if (options.gateway !== false) {
    const subgraphUrls = Object.fromEntries(names.map((name) => [name, subgraphs[name]!.url]));
    gateway = await startGateway({ config, log, subgraphUrls, port: options.gatewayPort, devToken: options.devToken });
  }

  const tokenFor: TestPlatform['tokenFor'] = async (username, overrides = {}) => {
    const user = DEMO_USERS.find((candidate) => candidate.username === username);
    if (!user) throw new Error(`No demo user ${username}`);
    return signDevUserToken(
      config.auth,
      {
        userId: `passport-${user.id}`,
        companyId: overrides.companyId ?? DEMO_COMPANIES[user.company].id,
        roles: overrides.roles ?? user.roles,
        name: `${user.firstname} ${user.lastname}`,
        email: `${user.username}@${user.company}.example`,
        moodleUserId: user.id,
      },
      overrides.expiresIn,
    );
  };

  const request: TestPlatform['request'] = async ({ token, query, variables, url, headers }) => {
    const response = await fetch(url ?? gateway!.url.replace('localhost', '127.0.0.1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse };
  };

  return {
    config,
    database,
    db: createKysely<any>(database.url),
    subgraphs,
    gateway,
    tokenFor,
    request,
    query: async (username, query, variables) => (await request({ token: await tokenFor(username), query, variables })).body,
    stopSubgraph: async (name) => {
      await subgraphs[name]?.stop();
      delete subgraphs[name];
    },
    restartSubgraph: start,
    stop: async () => {
      await gateway?.stop();
      for (const running of Object.values(subgraphs)) await running?.stop();
      await database.drop();
    },
  };
}
