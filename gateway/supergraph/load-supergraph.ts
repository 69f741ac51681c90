/**
 * A supergraph made ready to serve: parsed and validated by
 * @apollo/federation-internals (the same checks @apollo/gateway makes), with
 * its API schema (what clients see), the supergraph schema (type conditions
 * of entity fetches) and its subgraphs as join__Graph names them. Any
 * supergraph composed for Federation 2 will do: nothing here knows the
 * platform's own subgraphs.
 */
import { DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph, type Schema } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { AuthorizationRules } from '../planning/authorization-rules.js';
import { internOneByteNames } from './one-byte-names.js';

export interface LoadedSupergraph {
  sdl: string;
  supergraph: Supergraph;
  /** The API schema, as federation-internals models it (planning). */
  apiSchema: Schema;
  /** The same as graphql-js, of Apollo's graphql-js instance (validation, execution, introspection). */
  apiGraphQLSchema: GraphQLSchema;
  supergraphGraphQLSchema: GraphQLSchema;
  /** Each subgraph's name and the URL its join__Graph value gives (possibly empty). */
  subgraphs: readonly { name: string; url: string }[];
  /** Its @authenticated, @requiresScopes and @policy; undefined when it links none. */
  authorization?: AuthorizationRules;
}

/** Why a supergraph cannot be served; `code` is what clients and logs see. */
export class SupergraphError extends graphqlRuntime.GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'SUPERGRAPH_INVALID' } });
  }
}

/**
 * The features a supergraph may use `for: SECURITY` or `EXECUTION`: Apollo's defaults, @context/@fromContext
 * (the executor runs their context rewrites), @authenticated, @requiresScopes and @policy (enforced before
 * planning: planning/authorization-filter.ts; policies granted from token claims by GATEWAY_POLICIES_FILE).
 */
const SUPPORTED_FEATURES = new Set([
  ...DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES,
  'https://specs.apollo.dev/context/v0.1',
  'https://specs.apollo.dev/authenticated/v0.1',
  'https://specs.apollo.dev/requiresScopes/v0.1',
  'https://specs.apollo.dev/policy/v0.1',
]);

/** One-byte copies of the names of the supergraph loading now, held until its schemas hold them (one-byte-names.ts). */
let _heldNames: object | undefined;

export function loadSupergraph(sdl: string): LoadedSupergraph {
  _heldNames = internOneByteNames(sdl);
  try {
    const supergraph = Supergraph.build(sdl, { supportedFeatures: SUPPORTED_FEATURES });
    supergraph.subgraphs(); // extracts (and so checks) each subgraph's schema, as the planner will
    const apiSchema = supergraph.apiSchema();
    return {
      sdl,
      supergraph,
      apiSchema,
      // @defer is served (execution/incremental.ts): clients see it in the API schema.
      apiGraphQLSchema: apiSchema.toGraphQLJSSchema({ includeDefer: true }),
      supergraphGraphQLSchema: supergraph.schema.toGraphQLJSSchema(),
      subgraphs: supergraph.subgraphsMetadata().map(({ name, url }) => ({ name, url })),
      authorization: AuthorizationRules.of(supergraph.schema),
    };
  } catch (error) {
    throw new SupergraphError(`The supergraph cannot be served: ${(error as Error).message}`);
  } finally {
    _heldNames = undefined;
  }
}
