/**
 * The gateway's executor for queries and mutations: plans from our planning
 * step (gateway/planning/, cached per operation text and name), run on plain
 * JSON (execute-plan.ts), the answer shaped by a selection shape compiled
 * once per cached plan (shape-response.ts), where @apollo/gateway rebuilds
 * its operation and walks it per request. There is no other executor behind
 * it: what it does not run (unsupported.ts) is refused with a stable code,
 * and counted.
 */
import type { GatewayExecutionResult, GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLError, GraphQLSchema, OperationDefinitionNode, ValidationRule } from 'graphql';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { gatewayMetrics } from '../gateway-metrics.js';
import { Cancellation } from '../cancellation.js';
import type { OperationPlanner, PlannedOperation } from '../planning/operation-planner.js';
import { filterOperation, requirementsOf, type FilteredOperation, type RemovedField } from '../planning/authorization-filter.js';
import { callerOf, type AuthorizationRules } from '../planning/authorization-rules.js';
import { AuthorizedVariants } from '../planning/authorization-variants.js';
import type { GatewayContext } from '../gateway-context.js';
import { compilePlan, fetchCount, hasDefer, type CompiledDefer, type CompiledFetch, type CompiledNode } from './compiled-plan.js';
import { deferShapes } from './defer-shapes.js';
import { deferredParts, removedIn, withClientLabels } from './removed-fields.js';
import { rootDefer, runDeferredParts, whenDelivered, type DeferShapes, type SubsequentPayload } from './incremental.js';
import { conditionValues, conditionVariables, conditionsKey, type Conditions } from './conditions.js';
import { deepMerge } from './deep-merge.js';
import { compileIntrospection, type Introspection } from './introspection.js';
import { deferredIntrospectionError, defersIntrospection } from '../planning/deferred-introspection.js';
import { executePlan, type AnswerReader, type PlanRun, type SubgraphAnswer } from './execute-plan.js';
import { mergeEntityFetches } from './merge-entity-fetches.js';
import { passThroughFields } from './pass-through-fields.js';
import { SERVER_BUSY, type OperationAdmission } from './operation-admission.js';
import { rootShape, type SelectionShape } from './response-shape.js';
import { shapeResponse } from './shape-response.js';
import { stringVariables, stringsCoerce, type StringVariables } from './string-variables.js';
import { unsupported, unsupportedReason } from './unsupported.js';

/** Our alias of each client field planned under one, to the client's response name. */
function clientNames(readFrom: ReadonlyMap<FieldNode, string>): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  for (const [field, alias] of readFrom) names.set(alias, field.alias?.value ?? field.name.value);
  return names;
}

const { getOperationAST, getVariableValues, isAbstractType, isObjectType, Kind, parse, validate, GraphQLError: GraphQLErrorClass } = graphqlRuntime;

/**
 * Sends one fetch of a plan to its subgraph, with the caller's context (identity, request id); `read`, when given,
 * is tried on the answer's text before JSON.parse (execute-plan.ts).
 */
export type SubgraphSender = (fetch: CompiledFetch, variables: Record<string, unknown>, context: unknown, read?: AnswerReader) => Promise<SubgraphAnswer>;

/** An answer whose `data` may hold subgraph text (raw-json.ts): `spliced` names the objects and lists holding it. */
export type SplicedResult = GatewayExecutionResult & { spliced?: ReadonlySet<object> };

export interface PlanExecutorOptions {
  planner: OperationPlanner;
  /** The supergraph as graphql-js (type conditions of `requires`). */
  supergraphSchema: GraphQLSchema;
  send: SubgraphSender;
  /** Cached plans (default 1000). */
  cacheSize?: number;
  /** Bounds the operations of several fetches running at once (operation-admission.ts); none by default. */
  admission?: OperationAdmission;
  /** Entity fetches of one operation text in parallel branches sent as one request (merge-entity-fetches.ts). Default true. */
  mergeEntityFetches?: boolean;
  /** The supergraph's @authenticated, @requiresScopes and @policy: what a caller may not ask is removed before planning. */
  authorization?: AuthorizationRules;
}

/** An operation this executor runs. */
export interface PreparedOperation {
  plan: CompiledNode;
  /** The answer's shape; for an operation with @skip/@include on variables, the one with them all false. */
  shape: SelectionShape;
  /** @skip/@include on variables: their values per request, and the shape for each combination. */
  conditional?: { values: (variables: Record<string, unknown>) => Conditions; shape: (conditions: Conditions) => SelectionShape };
  /** Root `__schema`/`__type`, answered from the API schema. */
  introspection?: Introspection;
  /** The API schema (variable coercion). */
  schema: GraphQLSchema;
  kind: OperationDefinitionNode['operation'];
  /** The operation's own name (null when anonymous), as Apollo Server names it. */
  name: string | null;
  /** The operation's variables, for coercion checks; undefined when it declares none. */
  variableDefinitions?: OperationDefinitionNode['variableDefinitions'];
  /** Its variables when all are IDs or Strings without defaults: their coercion is checked without graphql-js (string-variables.ts). */
  stringVariables?: StringVariables;
  /** Its plan makes several fetches: it waits for admission (operation-admission.ts). */
  multiFetch: boolean;
  /** Aliases planning gave the client's fields (client-argument-aliases.ts), to the client's response names: error paths. */
  clientNames?: ReadonlyMap<string, string>;
  /** Entity fields an answer may take as their subgraph wrote them (pass-through-fields.ts). */
  passThrough: ReadonlyMap<CompiledFetch, readonly string[]>;
  /** Its plan has Defer nodes (@defer): the shapes of their parts, per @skip/@include values (incremental.ts). */
  deferShapes?: (conditions: Conditions | undefined) => DeferShapes;
  /** It asks fields with requirements: the operation planned for a caller failing some (authorization-variants.ts). */
  authorized?: AuthorizedVariants<Compiled>;
  /** A variant of `authorized`: an error per field removed, in every answer. */
  unauthorized?: readonly GraphQLError[];
  /** A variant of `authorized`: the fields removed, for the parts of an incremental answer (removed-fields.ts). */
  removed?: readonly RemovedField[];
}

/** The errors of an incremental answer's primary part: all but those of removals only deferred parts ask (`parts`: deferredParts). */
function primaryErrors(
  errors: readonly GraphQLError[],
  removed: readonly RemovedField[],
  parts: ReadonlySet<string>,
  clientNames?: ReadonlyMap<string, string>,
): readonly GraphQLError[] {
  const primary = new Set(removedIn(removed, undefined, parts, clientNames).map(({ error }) => error));
  const deferred = new Set(removed.map(({ error }) => error).filter((error) => !primary.has(error)));
  return errors.filter((error) => !deferred.has(error));
}

/** Not run: an answer known in advance (planning failed, or what this executor does not run: `unsupported`, counted). */
type Compiled = PreparedOperation | { plan?: undefined; errors: readonly GraphQLError[]; unsupported?: string };

export class PlanExecutor {
  private readonly cache = new Map<string, Compiled>();
  /**
   * By operation text, then operationName ('' when none): the text the request brought, whose hash V8 has kept
   * since the operation step looked it up, is the key as it is (a key joining name and text was a new string,
   * copied and hashed whole, per request).
   */
  private readonly byText = new Map<string, Map<string, PreparedOperation>>();
  private byTextSize = 0;
  /** Operations prepared outside Apollo Server (prepareOutside), apart: they never open the fast lane. */
  private readonly outside = new Map<string, PreparedOperation>();
  private readonly cacheSize: number;
  /** Operations running now, and who waits for there to be none (idle()). */
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  /** Entity fetches of different texts merge only over object types of the supergraph (merged-entity-operation.ts). */
  private readonly isObjectType = (name: string) => isObjectType(this.options.supergraphSchema.getType(name));

  constructor(private readonly options: PlanExecutorOptions) {
    this.cacheSize = options.cacheSize ?? 1000;
  }

  readonly executor: GatewayExecutor = async (requestContext) => {
    const compiled = this.compiled(requestContext);
    if (!compiled.plan) {
      if (compiled.unsupported) gatewayMetrics.fallbacks.inc({ reason: compiled.unsupported });
      return { errors: compiled.errors };
    }
    const variableErrors = this.coerce(compiled, requestContext.request.variables);
    if (variableErrors) return { errors: variableErrors };
    return this.run(compiled, requestContext.request.variables, requestContext.context);
  };

  /**
   * An operation text that already went through Apollo Server (parsed, validated, resolved) and runs here,
   * for callers that skip Apollo's pipeline for it (fast-lane.ts).
   */
  prepared(query: string, operationName: string | undefined): PreparedOperation | undefined {
    return this.byText.get(query)?.get(operationName ?? '');
  }

  /**
   * An operation that does not come through Apollo Server (a query over graphql-ws): parsed, validated against
   * `schema` with `rules` (the caller's: graphql-js's own, and no introspection where it is off), and planned.
   */
  prepareOutside(
    query: string,
    operationName: string | undefined,
    schema: GraphQLSchema,
    rules: readonly ValidationRule[],
  ): PreparedOperation | { errors: readonly GraphQLError[] } {
    const key = `${operationName ?? ''}\n${query}`;
    const cached = this.outside.get(key);
    if (cached) return cached;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return { errors: [new GraphQLErrorClass((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] };
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length > 0)
      return { errors: invalid.map((error) => new GraphQLErrorClass(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) };
    const operation = getOperationAST(document, operationName) ?? undefined;
    const compiled = this.compile({ document, operation, request: { operationName }, schema } as unknown as GatewayGraphQLRequestContext);
    if (!compiled.plan) {
      if (compiled.unsupported) gatewayMetrics.fallbacks.inc({ reason: compiled.unsupported });
      return { errors: compiled.errors };
    }
    if (this.outside.size >= this.cacheSize) this.outside.delete(this.outside.keys().next().value!);
    this.outside.set(key, compiled);
    return compiled;
  }

  /** The errors of variables that do not coerce to the operation's types, as graphql-js reports them. */
  coerce(compiled: PreparedOperation, variables: Record<string, unknown> | undefined): readonly GraphQLError[] | undefined {
    if (!compiled.variableDefinitions?.length) return undefined;
    if (compiled.stringVariables && stringsCoerce(compiled.stringVariables, variables)) return undefined;
    return getVariableValues(compiled.schema, compiled.variableDefinitions, variables ?? {}).errors;
  }

  /** Resolves once no operation runs here (at once when none does): a replaced supergraph's pools may then close. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private readonly settled = () => {
    if (--this.inFlight > 0 || this.idleWaiters.length === 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  };

  /**
   * Runs a compiled operation whose variables coerce. With `splice`, the answer's data may hold subgraph text
   * (raw-json.ts): only for a caller that writes it with answer-chunks.ts, given the result's `spliced`.
   */
  run(compiled: PreparedOperation, variables: Record<string, unknown> | undefined, context: unknown, splice = false): Promise<SplicedResult> {
    // The one place a caller's rights choose the plan: every path runs here (Apollo Server's, the fast lane, graphql-ws and SSE).
    const variant = compiled.authorized?.for(callerOf((context as GatewayContext | undefined)?.viewer));
    if (variant && !variant.plan) {
      if (variant.unsupported) gatewayMetrics.fallbacks.inc({ reason: variant.unsupported });
      // Nothing left to ask: no data at all (Apollo Router answers `data: {}` here, which no selection set has).
      return Promise.resolve({ data: null, errors: [...variant.errors] });
    }
    this.inFlight++;
    return this.admitted(variant ?? compiled, variables, context, splice).finally(this.settled);
  }

  private admitted(compiled: PreparedOperation, variables: Record<string, unknown> | undefined, context: unknown, splice: boolean): Promise<SplicedResult> {
    const { admission } = this.options;
    if (admission && compiled.multiFetch) {
      // A bounded wait: past GATEWAY_MAX_QUEUED_PLANS waiting, refused at once (the fast lane answers 503).
      if (admission.full)
        return Promise.resolve({ errors: [new GraphQLErrorClass('The gateway is busy: retry in a moment', { extensions: { code: SERVER_BUSY, http: { status: 503 } } })] });
      return admission.acquire().then(async (release) => {
        try {
          return await this.runNow(compiled, variables, context, splice);
        } finally {
          // An incremental answer keeps its slot until its last part is sent or its client has gone.
          const delivery = (context as GatewayContext | undefined)?.incremental;
          if (delivery?.rest) delivery.rest = whenDelivered(delivery.rest, (context as GatewayContext).signal, release);
          else release();
        }
      });
    }
    return this.runNow(compiled, variables, context, splice);
  }

  private async runNow(compiled: PreparedOperation, variables: Record<string, unknown> | undefined, context: unknown, splice: boolean): Promise<SplicedResult> {
    const values = variables ?? {};
    let shape = compiled.shape;
    let conditions: Conditions | undefined;
    if (compiled.conditional) {
      conditions = compiled.conditional.values(values);
      shape = compiled.conditional.shape(conditions);
    }
    // @defer for a client that reads incremental delivery: the primary part now, the rest streamed (incremental.ts).
    const delivery = compiled.deferShapes && (context as GatewayContext | undefined)?.incremental;
    const defer = delivery ? rootDefer(compiled.plan, conditions) : undefined;
    // Incremental: the errors of fields removed from deferred parts go with those parts.
    const parts = defer && compiled.removed ? deferredParts(defer, compiled.clientNames) : undefined;
    const unauthorized = parts ? primaryErrors(compiled.unauthorized!, compiled.removed!, parts, compiled.clientNames) : compiled.unauthorized;
    const run: PlanRun = {
      variables: values,
      conditions,
      errors: unauthorized ? [...unauthorized] : ([] as GraphQLError[]),
      data: {},
      send: (fetch, fetchVariables, read) => this.options.send(fetch, fetchVariables, context, read),
      splice: splice && compiled.passThrough.size > 0 ? { shape, fields: compiled.passThrough } : undefined,
      clientNames: compiled.clientNames,
    };
    const plan = defer ? defer.primary.node : compiled.plan;
    if (defer)
      shape = compiled.deferShapes!(conditions)(
        defer.primary.subselection ?? '{}',
        [],
        undefined,
        defer.deferred.map((part) => part.queryPath),
      );
    if (compiled.introspection) {
      const [introspected] = await Promise.all([compiled.introspection(values), plan && executePlan(plan, run)]);
      deepMerge(run.data, introspected.data);
      run.errors.push(...introspected.errors);
    } else if (plan) {
      await executePlan(plan, run);
    }
    // The answer may share the merged data's objects, unless deferred parts will still merge into them.
    const shaped = shapeResponse(run.data, shape, defer === undefined);
    if (defer && shaped.data !== null) delivery!.rest = this.streamDeferred(defer, run, context as GatewayContext, compiled, conditions, parts);
    const result: SplicedResult = run.errors.length > 0 ? { errors: run.errors, data: shaped.data } : { data: shaped.data };
    if (shaped.spliced) result.spliced = shaped.spliced;
    // As @apollo/gateway: nulls the shaping had to bubble up are reported apart when no fetch failed.
    if (run.errors.length === 0 && shaped.errors.length > 0) result.extensions = { valueCompletion: shaped.errors };
    return result;
  }

  /**
   * Starts the deferred parts of an operation whose primary part is answered; counted in flight until they are
   * done. Their fetches are cancelled when the transport stops reading before the last part (too large a part).
   */
  private streamDeferred(
    defer: CompiledDefer,
    primary: PlanRun,
    context: GatewayContext,
    compiled: PreparedOperation,
    conditions: Conditions | undefined,
    parts: ReadonlySet<string> | undefined,
  ): AsyncIterable<SubsequentPayload> {
    const { schema, removed, clientNames } = compiled;
    this.inFlight++;
    // Aborted with the request, or alone when the transport stops reading before the last part.
    const stop = new Cancellation(context.signal);
    const deferredContext: GatewayContext = { ...context, signal: stop };
    const run: PlanRun = { ...primary, send: (fetch, fetchVariables) => this.options.send(fetch, fetchVariables, deferredContext) };
    const isOfType = (typename: unknown, condition: string) => {
      if (typename === condition) return true;
      const type = schema.getType(condition);
      const runtime = typeof typename === 'string' ? schema.getType(typename) : undefined;
      return type !== undefined && isAbstractType(type) && runtime !== undefined && isObjectType(runtime) && schema.isSubType(type, runtime);
    };
    const unauthorized =
      removed && parts && ((queryPath: readonly string[], ref: string | undefined) => removedIn(removed, { queryPath, ref }, parts, clientNames).map(({ error }) => error));
    const { rest, done } = runDeferredParts(defer, { run, shapes: compiled.deferShapes!(conditions), isOfType, unauthorized });
    done.catch((error: unknown) => run.errors.push(error as GraphQLError)).finally(this.settled);
    return whenDelivered(rest, undefined, (early) => {
      if (early) stop.abort(Object.assign(new Error('the answer was ended before its deferred parts'), { code: 'REQUEST_CANCELLED' }));
    });
  }

  private compiled(requestContext: GatewayGraphQLRequestContext): Compiled {
    const operationName = requestContext.request.operationName ?? '';
    const key = `${requestContext.queryHash}\n${operationName}`;
    let compiled = this.cache.get(key);
    if (compiled === undefined) {
      compiled = this.compile(requestContext);
      if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, compiled);
    }
    if (compiled.plan) {
      // Apollo Server let this text through (parsed, validated): later requests with it may skip its pipeline.
      const source = requestContext.source;
      const name = requestContext.request.operationName ?? '';
      if (!this.byText.get(source)?.has(name)) {
        if (this.byTextSize >= this.cacheSize) {
          const [oldest, names] = this.byText.entries().next().value!;
          this.byText.delete(oldest);
          this.byTextSize -= names.size;
        }
        let names = this.byText.get(source);
        if (!names) this.byText.set(source, (names = new Map()));
        names.set(name, compiled);
        this.byTextSize++;
      }
    }
    return compiled;
  }

  /**
   * `cut`: the operation less what a caller may not ask (authorization-filter.ts), planned in its place; the answer
   * keeps the shape of the operation as asked, so what was removed answers null.
   */
  private compile(requestContext: GatewayGraphQLRequestContext, cut?: FilteredOperation): Compiled {
    const { document, operation, request, schema } = requestContext;
    // No operation resolved (several without operationName, or an unknown name): the pipeline refuses these first.
    if (!operation)
      return {
        errors: [new graphqlRuntime.GraphQLError('No operation to run: name one of the document in operationName', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })],
      };
    if (operation.operation === 'subscription') {
      return {
        errors: [new graphqlRuntime.GraphQLError('Subscriptions are served over graphql-ws (/graphql) and SSE (/graphql/stream)', { extensions: { code: 'BAD_REQUEST' } })],
      };
    }
    let planned: PlannedOperation;
    try {
      planned = this.options.planner.plan(cut?.document ?? document, request.operationName ?? undefined);
    } catch (error) {
      // The planner's own words about deferred introspection tell the client nothing it can act on.
      return { errors: [defersIntrospection(document) ? deferredIntrospectionError() : (error as GraphQLError)] };
    }
    const reason = unsupportedReason(document);
    if (reason) return unsupported(reason);
    const node = planned.node;
    const isMutation = operation.operation === 'mutation';
    const compiledPlan: CompiledNode | undefined = !node
      ? { kind: 'Sequence', nodes: [] }
      : node.kind === 'Subscription'
        ? undefined
        : compilePlan(node, this.options.supergraphSchema, isMutation);
    if (!compiledPlan) return unsupported('plan');
    // The labels the filter gave unlabelled @defer fragments name parts apart, never shown.
    const plan = cut ? withClientLabels(compiledPlan, cut.labels) : compiledPlan;
    const merged = this.options.mergeEntityFetches === false ? plan : mergeEntityFetches(plan, this.isObjectType);
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    const root = schema.getRootType(operation.operation)!;
    const variables = conditionVariables(document, operation);
    // Fields the filter rebuilt are known to the planner's aliases by their new node: the client's is the original.
    const readFrom = cut && planned.readFrom ? new Map([...planned.readFrom].map(([field, alias]) => [cut.origins.get(field) ?? field, alias])) : planned.readFrom;
    const shapeFor = (conditions?: Conditions) => rootShape(root, operation.selectionSet, { schema, fragments, conditions, readFrom });
    let conditional: PreparedOperation['conditional'];
    if (variables.length > 0) {
      const shapes = new Map<string, SelectionShape>();
      conditional = {
        values: (given) => conditionValues(variables, given),
        shape: (conditions) => {
          const key = conditionsKey(conditions);
          let shape = shapes.get(key);
          if (!shape) shapes.set(key, (shape = shapeFor(conditions)));
          return shape;
        },
      };
    }
    const names = readFrom && clientNames(readFrom);
    const rules = this.options.authorization;
    const requirements = rules && !cut ? requirementsOf(rules, schema, document, operation) : [];
    return {
      plan: merged,
      shape: shapeFor(),
      conditional,
      introspection: compileIntrospection(schema, document, operation),
      schema,
      kind: operation.operation,
      name: operation.name?.value ?? null,
      variableDefinitions: operation.variableDefinitions,
      stringVariables: stringVariables(schema, operation.variableDefinitions),
      multiFetch: fetchCount(merged) > 1,
      deferShapes: hasDefer(plan) ? deferShapes(schema, operation, fragments, names, cut?.removed, (conditions) => deferredParts(rootDefer(merged, conditions), names)) : undefined,
      passThrough: passThroughFields(merged),
      clientNames: names,
      authorized:
        requirements.length > 0
          ? new AuthorizedVariants(requirements, (denied) => {
              const filtered = filterOperation(rules!, schema, document, operation, denied);
              // What compile reads of the request, not the request (its context stays with it, not with the cache).
              const asked = { document, operation, request: { operationName: request.operationName }, schema } as GatewayGraphQLRequestContext;
              return filtered.document ? this.compile(asked, filtered) : { errors: filtered.errors };
            })
          : undefined,
      unauthorized: cut?.errors,
      removed: cut?.removed,
    };
  }
}
