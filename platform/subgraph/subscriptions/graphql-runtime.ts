/**
 * graphql-js as Apollo's packages load it (CommonJS). Schemas built by
 * @apollo/subgraph and @apollo/federation-internals belong to that
 * instance, and graphql-js refuses a schema from another one ("Cannot use
 * GraphQLSchema from another module or realm"), which is what a bundler
 * preferring the package's ESM build would hand this code. Code that
 * validates or executes against those schemas takes graphql from here.
 */
import { createRequire } from 'node:module';

export const graphqlRuntime = createRequire(import.meta.url)('graphql') as typeof import('graphql');
