/** Where the gateway serves GraphQL: HTTP and graphql-ws on /graphql, SSE beside it. */
export const GRAPHQL_PATH = '/graphql';
export const SSE_PATH = '/graphql/stream';
