/**
 * The gateway's explorer: GraphiQL over the gateway's own /graphql, with
 * queries and mutations over HTTP and subscriptions over graphql-ws (the
 * token goes in connection_init, as README "Subscriptions" says). The
 * gateway writes the page's config: in embedded mode the demo
 * administrator's dev token, and the README's example operations as tabs.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

interface ExplorerConfig {
  devToken?: string;
  examples?: { name: string; query: string }[];
}

const config = JSON.parse(document.getElementById('bheem-explorer-config')?.textContent || '{}') as ExplorerConfig;
const endpoint = new URL('/graphql', location.href).toString();
const headers = config.devToken
  ? JSON.stringify({ authorization: `Bearer ${config.devToken}` }, null, 2)
  : '{\n  "authorization": "Bearer <token of npm run -s token -- --user admin>"\n}';

// One graphql-ws connection per authorization header, since the token is sent once per connection.
const wsClients = new Map<string, Client>();
function wsClientFor(authorization: string | undefined): Client {
  const key = authorization ?? '';
  let client = wsClients.get(key);
  if (!client) {
    client = createClient({ url: endpoint.replace(/^http/, 'ws'), connectionParams: authorization ? { authorization } : {}, lazy: true });
    wsClients.set(key, client);
  }
  return client;
}

const http = createGraphiQLFetcher({ url: endpoint });
const fetcher: typeof http = (params, given) => {
  let authorization = Object.entries(given?.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1] as string | undefined;
  // GraphiQL introspects before its header editor is ready: the dev token covers that request too.
  if (!authorization && config.devToken) authorization = `Bearer ${config.devToken}`;
  const options = { ...given, headers: { ...given?.headers, ...(authorization && { authorization }) } };
  const parsed = operationToRun(params.query, params.operationName);
  // GraphiQL can hand over the operationName and document of the tab open before: name and parse what this tab runs
  // (the gateway rightly refuses a name the document lacks, and the toolkit picks graphql-ws from the document).
  const request = { ...params, operationName: parsed ? (parsed.operation.name?.value ?? undefined) : params.operationName };
  if (parsed?.operation.operation !== 'subscription') return http(request, options);
  return createGraphiQLFetcher({ url: endpoint, wsClient: wsClientFor(authorization) })(request, { ...options, documentAST: parsed.document });
};

/** The operation the request names, or the document's only one, with its document; undefined when the text does not parse (the gateway says why). */
function operationToRun(query: string, name: string | null | undefined): { document: DocumentNode; operation: OperationDefinitionNode } | undefined {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return undefined;
  }
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((candidate) => name && candidate.name?.value === name) ?? (operations.length === 1 ? operations[0] : undefined);
  return operation && { document, operation };
}

const defaultTabs = (config.examples ?? []).map(({ query }) => ({ query, headers }));

createRoot(document.getElementById('explorer')!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultHeaders: headers,
    defaultTabs: defaultTabs.length > 0 ? defaultTabs : undefined,
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: 'headers',
  }),
);
