/**
 * The fast path (platform/subgraph/fast-path.ts) skips Apollo Server's
 * plugins, so a server whose plugins have per-request hooks it does not
 * account for is refused: a plugin of our own, or one of Apollo's defaults
 * that comes back when its Disabled form is dropped. The subgraphs' real
 * servers pass the same check at every start (startSubgraph).
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { textInputPlugin } from '../../graphql/text-input.js';
import { createFastPath, installedPlugins } from '../fast-path.js';

const schema = buildSubgraphSchema({ typeDefs: parse('type Query { hello: String }'), resolvers: { Query: { hello: () => 'hi' } } as never });
const servers: ApolloServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** A started server with these plugins and the fast path's recorder, checked as startSubgraph checks it. */
async function check(plugins: (fastPathPlugin: ApolloServerPlugin) => ApolloServerPlugin[], accountedFor: ApolloServerPlugin[] = []): Promise<void> {
  const fastPath = createFastPath({ service: 'test', schema, formatError: (formatted) => formatted, includeStacktrace: false, accountedFor });
  const server = new ApolloServer({ schema, plugins: plugins(fastPath.plugin) });
  servers.push(server);
  await server.start();
  fastPath.checkPlugins(installedPlugins(server));
}

const quiet = () => [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginInlineTraceDisabled()];

describe('subgraph fast path and plugins', () => {
  it('accepts a server whose per-request plugins are its own or accounted for', async () => {
    const textInput = textInputPlugin();
    await expect(check((recorder) => [...quiet(), textInput, recorder], [textInput])).resolves.toBeUndefined();
  });

  it('refuses a plugin with per-request hooks it does not account for', async () => {
    const timing: ApolloServerPlugin = { async requestDidStart() {} };
    await expect(check((recorder) => [...quiet(), timing, recorder])).rejects.toThrow(/a plugin \(requestDidStart\) would not run/);
    await expect(check((recorder) => [...quiet(), textInputPlugin(), recorder])).rejects.toThrow(/would not run/);
  });

  it("refuses Apollo's default cache-control plugin, there when its Disabled form is not", async () => {
    await expect(check((recorder) => [ApolloServerPluginInlineTraceDisabled(), recorder])).rejects.toThrow(/Apollo's CacheControl \(requestDidStart\)/);
  });

  it('ignores plugins without per-request hooks', async () => {
    await expect(check((recorder) => [...quiet(), { async serverWillStart() {} }, recorder])).resolves.toBeUndefined();
  });
});
