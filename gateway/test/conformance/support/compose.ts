/** A supergraph composed by @apollo/composition from running test subgraphs (their loopback URLs in join__Graph). */
import { composeServices } from '@apollo/composition';
import { graphqlRuntime } from '../../../../platform/subgraph/subscriptions/graphql-runtime.js';

export function composeSupergraph(subgraphs: readonly { name: string; url: string; typeDefs: string }[]): string {
  const result = composeServices(subgraphs.map(({ name, url, typeDefs }) => ({ name, url, typeDefs: graphqlRuntime.parse(typeDefs) })));
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((error) => error.message).join('\n')}`);
  return result.supergraphSdl;
}
