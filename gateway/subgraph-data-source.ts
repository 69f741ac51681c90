/**
 * How the gateway calls a subgraph: one keep-alive connection pool per
 * subgraph (bounded), a timeout per call, and the caller's identity signed
 * over the exact body (see platform/auth/gateway-signature.ts). A subgraph
 * that is down or slow yields an error naming it, never a crash; mutations
 * are never retried.
 */
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';
import { IDENTITY_HEADER, signIdentity } from '../platform/auth/gateway-signature.js';
import type { GatewayContext } from './gateway-context.js';

export interface SubgraphDataSourceOptions {
  name: string;
  url: string;
  signingSecret: string;
  /** Per call, headers to body. Default 10 s. */
  timeoutMs?: number;
  /** Sockets per subgraph. Default 64. */
  connections?: number;
}

type GatewayResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(private readonly options: SubgraphDataSourceOptions) {
    const url = new URL(options.url);
    this.path = url.pathname + url.search;
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 64,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs ?? 10_000,
      bodyTimeout: options.timeoutMs ?? 10_000,
    });
  }

  async process({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayResponse> {
    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName });
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (context?.viewer) {
      headers[IDENTITY_HEADER] = signIdentity(this.options.signingSecret, context.viewer, this.options.name, body);
      headers['x-request-id'] = context.requestId;
    }
    let statusCode: number;
    let text: string;
    try {
      const response = await this.pool.request({ method: 'POST', path: this.path, headers, body });
      statusCode = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw this.unavailable(`Subgraph "${this.options.name}" is unavailable: ${(error as Error).message}`);
    }
    let parsed: GatewayResponse;
    try {
      parsed = JSON.parse(text) as GatewayResponse;
    } catch {
      throw this.unavailable(`Subgraph "${this.options.name}" answered HTTP ${statusCode} without a GraphQL body`);
    }
    if (!parsed || (parsed.data === undefined && !parsed.errors)) {
      throw this.unavailable(`Subgraph "${this.options.name}" answered HTTP ${statusCode} without data or errors`);
    }
    return parsed;
  }

  private unavailable(message: string): GraphQLError {
    return new GraphQLError(message, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.options.name } });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
