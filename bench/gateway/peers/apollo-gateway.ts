/**
 * The vanilla peer: @apollo/gateway on Apollo Server's standalone server,
 * default settings, over the benchmark's supergraph file (BENCH_SUPERGRAPH).
 * The one change: the client's Authorization header is forwarded to every
 * subgraph (they run with REQUIRE_GATEWAY_SIGNATURE=false for the peers).
 * BENCH_PROCESSES > 1: that many workers under node:cluster sharing the port
 * (Apollo has no multi-process option of its own).
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

interface Context {
  authorization?: string;
}

const processes = Number(process.env.BENCH_PROCESSES ?? 1);
if (processes > 1 && cluster.isPrimary) {
  for (let i = 0; i < processes; i++) cluster.fork();
} else {
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env.BENCH_SUPERGRAPH!, 'utf8'),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<Context>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
        },
      }),
  });
  const server = new ApolloServer<Context>({ gateway });
  await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT), host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
}
