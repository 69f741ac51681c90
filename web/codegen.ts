/**
 * Typed operations (GraphQL Code Generator's client preset): every
 * `graphql(`...`)` in src/ gets its result and variables types in src/gql/,
 * from the API schema of the supergraph (schema/api.graphql, written by the
 * root's `npm run compose`). Run `npm run codegen` after changing an
 * operation or the schema, and commit src/gql/.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../schema/api.graphql',
  documents: ['src/app/**/*.{ts,vue}', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
        onlyOperationTypes: true,
        // Operations as strings: sent as they are over HTTP and graphql-ws, no GraphQL parser in the bundle.
        documentMode: 'string',
      },
    },
  },
};

export default config;
