/**
 * A subgraph's fast path past Apollo Server's request pipeline, for what its
 * traffic is: the gateway POSTing the same few operation texts (entity
 * fetches, root fields) with new variables. A text that Apollo Server has
 * already parsed, validated and resolved to an operation (recorded by the
 * plugin below) is executed here directly, as a graphql-jit query compiled
 * once per text (so only texts sent at least twice are compiled), with the
 * same schema, context, text checks and error formatting, and answered as
 * Apollo would answer it: status, media type and body. Apollo's pipeline costs every
 * request its plugins' hooks, a hash of the text, media-type negotiation
 * twice and their promises, for small entity fetches a fair share of the work.
 *
 * Anything else goes through Apollo Server as before, having run nothing:
 * a new or invalid text, extensions, another media type, variables that do
 * not coerce (graphql-js runs no resolver then), a text refused by the text
 * checks (Apollo refuses it the same way).
 *
 * Apollo Server's plugins do not run for fast requests: a plugin of the
 * subgraph's server with per-request hooks must have that work done here too
 * and be named in `accountedFor` (the text-input checks are), or
 * checkPlugins refuses the server at start.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, ExecutionResult, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { normalizeErrors } from '../graphql/normalize-errors.js';
import { checkTextInput } from '../graphql/text-input.js';
import { instrument, metricsRegistry } from '../observability/metrics.js';
import { SeriesCounter } from '../observability/series-metrics.js';
import { preferredMediaType } from '../http/media-negotiation.js';
import { allowRawJson, stringifyAnswer, withdrawRawJson } from './raw-json.js';
import { graphqlRuntime } from './subscriptions/graphql-runtime.js';

const { execute } = graphqlRuntime;
// graphql-jit as CommonJS, so that it shares Apollo's graphql-js instance (graphql-runtime.ts).
const require = createRequire(import.meta.url);
const jit = require('graphql-jit') as typeof import('graphql-jit');
type CompiledQuery = import('graphql-jit').CompiledQuery;

const served = instrument(
  'bheem_subgraph_fast_path_requests_total',
  () =>
    // Counted on every fast answer: its series taken once per subgraph (series-metrics.ts), no labels hashed per request.
    new SeriesCounter({
      name: 'bheem_subgraph_fast_path_requests_total',
      help: "GraphQL requests a subgraph answered past Apollo Server's pipeline, by service",
      labelNames: ['service'],
      registers: [metricsRegistry],
    }),
);

/** Operation texts remembered; the gateway sends a few dozen distinct ones. Beyond, the oldest is forgotten. */
const MAX_DOCUMENTS = 1000;

export interface FastPathOptions {
  service: string;
  schema: GraphQLSchema;
  /** Apollo Server's formatError, as configured for the subgraph. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  includeStacktrace: boolean;
  /** Plugins of the subgraph's server whose per-request work execute() does itself (the text-input checks). */
  accountedFor: readonly ApolloServerPlugin[];
  /**
   * What executes a known text: graphql-jit's query compiled once per text and operation name (the default), or
   * graphql-js's execute. The same answers (test/fast-path-engines.test.ts), but for the order of errors; the compiled query reads plain
   * properties inline and builds no resolve info or promise per field, which graphql-js does for every field of
   * every entity.
   */
  engine?: 'jit' | 'graphql-js';
}

export interface FastAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a fast request needs before its context exists, or undefined to leave it to Apollo Server. */
export interface FastRequest {
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
  contentType: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
// Apollo Server's third choice for a single result: left to Apollo, as is an accept header it would refuse (406).
const CALLBACK_TYPE = 'application/json; callbackSpec=1.0; charset=utf-8';
const negotiated = new Map<string, string | undefined>([
  ['*/*', JSON_TYPE],
  ['application/json', JSON_TYPE],
  ['application/graphql-response+json', GRAPHQL_RESPONSE_TYPE],
]);

/**
 * The media type Apollo Server answers an accept header with for a single result, negotiated as Apollo does
 * (the same package, the same three candidates in its order), once per header text: other gateways send lists
 * with parameters and weights (`application/graphql-response+json; charset=utf-8, application/json;
 * charset=utf-8`), and their requests deserve the fast path as much as ours.
 */
function contentTypeFor(accept: string | undefined): string | undefined {
  if (accept === undefined || accept === '') return JSON_TYPE;
  if (negotiated.has(accept)) return negotiated.get(accept);
  const preferred = preferredMediaType(accept, [JSON_TYPE, GRAPHQL_RESPONSE_TYPE, CALLBACK_TYPE]);
  const type = preferred === JSON_TYPE || preferred === GRAPHQL_RESPONSE_TYPE ? preferred : undefined;
  // A gateway sends one or two header texts: bounded against a caller who sends a new one each time.
  if (negotiated.size < 64) negotiated.set(accept, type);
  return type;
}

/** Apollo Server's plugin hooks that run for a request; none of them runs for a fast one. */
const PER_REQUEST_HOOKS = ['requestDidStart', 'contextCreationDidFail', 'invalidRequestWasReceived', 'unexpectedErrorProcessingRequest'] as const;

/**
 * Every plugin a started server runs, the ones Apollo Server adds by default included (cache control, inline
 * traces, landing page...): Apollo keeps them in `internals.plugins`, which is not public API, so a version
 * that moves them fails here rather than leaving the check blind.
 */
export function installedPlugins(server: ApolloServer<any>): readonly ApolloServerPlugin[] {
  const plugins = (server as unknown as { internals?: { plugins?: unknown } }).internals?.plugins;
  if (!Array.isArray(plugins)) throw new Error("Apollo Server's plugins are not where fast-path.ts reads them (internals.plugins): check it against this version");
  return plugins as ApolloServerPlugin[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function createFastPath(options: FastPathOptions) {
  const documents = new Map<string, DocumentNode>();
  const servedHere = served.series({ service: options.service });

  /** Records each text Apollo Server let through to execution (parsed, valid, its operation found). */
  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation({ source, document, operation }) {
          if (!operation || operation.operation === 'subscription' || documents.has(source)) return;
          if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
          documents.set(source, document);
        },
      };
    },
  };

  /** Compiled queries by document and operation name; undefined when graphql-jit refuses it (Apollo Server answers then). */
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | undefined>>();
  function compiledQuery(document: DocumentNode, operationName: string | undefined): CompiledQuery | undefined {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    if (!byName.has(key)) {
      const made = jit.compileQuery(options.schema, document, operationName);
      byName.set(key, jit.isCompiledQuery(made) ? made : undefined);
    }
    return byName.get(key);
  }

  return {
    plugin,

    /** Throws unless each of the server's plugins with per-request hooks is this path's own or in `accountedFor`. */
    checkPlugins(plugins: readonly ApolloServerPlugin[]): void {
      const unaccounted = plugins.filter(
        (candidate) => candidate !== plugin && !options.accountedFor.includes(candidate) && PER_REQUEST_HOOKS.some((hook) => typeof candidate[hook] === 'function'),
      );
      if (unaccounted.length === 0) return;
      const described = unaccounted.map((candidate) => {
        const id = (candidate as { __internal_plugin_id__?: string }).__internal_plugin_id__;
        return `${id ? `Apollo's ${id}` : 'a plugin'} (${PER_REQUEST_HOOKS.filter((hook) => typeof candidate[hook] === 'function').join(', ')})`;
      });
      throw new Error(
        `${options.service}: the fast path skips Apollo Server's plugins, and ${described.join('; ')} would not run for its requests: do that work in fast-path.ts and name the plugin in accountedFor, or disable it`,
      );
    },

    /** The request's prepared form when this path may serve it (a parsed JSON POST body and its accept header), else undefined. */
    prepare(method: string | undefined, body: unknown, headers: IncomingHttpHeaders): FastRequest | undefined {
      if (method !== 'POST' || !isRecord(body) || typeof body.query !== 'string') return undefined;
      if (body.extensions !== undefined && body.extensions !== null) return undefined;
      const { variables, operationName } = body;
      if (variables !== undefined && variables !== null && !isRecord(variables)) return undefined;
      if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
      const contentType = contentTypeFor(headers.accept);
      const document = contentType && documents.get(body.query);
      if (!document) return undefined;
      return { document, variables: variables ?? undefined, operationName: operationName ?? undefined, contentType: contentType! };
    },

    /** Executes it with `contextValue`, or returns undefined having run no resolver (Apollo Server answers then). */
    async execute(request: FastRequest, contextValue: object): Promise<FastAnswer | undefined> {
      try {
        checkTextInput(request.document, request.variables);
      } catch {
        return undefined;
      }
      let result: ExecutionResult;
      if (options.engine === 'graphql-js') {
        result = await execute({ schema: options.schema, document: request.document, contextValue, variableValues: request.variables, operationName: request.operationName });
      } else {
        const compiled = compiledQuery(request.document, request.operationName);
        if (!compiled) return undefined;
        // graphql-jit (patched) passes a list answered as JSON text through, and stringifyAnswer splices it in.
        allowRawJson(contextValue);
        result = await compiled.query(undefined, contextValue, request.variables);
      }
      // No data at all: the variables did not coerce or the operation name matched nothing; nothing ran. Apollo
      // Server executes it with this context then, by graphql-js: no raw JSON lists.
      if (result.data === undefined) {
        withdrawRawJson(contextValue);
        return undefined;
      }
      const errors = result.errors?.length ? normalizeErrors(result.errors, options) : undefined;
      servedHere.inc();
      const body = `${stringifyAnswer({ errors: errors?.formatted, data: result.data, extensions: result.extensions })}\n`;
      return {
        status: errors?.status ?? 200,
        // Framed by length as Apollo's answers are: node writes head and body together, not as chunks framed apart.
        headers: { ...errors?.headers, 'content-type': request.contentType, 'content-length': String(Buffer.byteLength(body)) },
        body,
      };
    },
  };
}

export type FastPath = ReturnType<typeof createFastPath>;
