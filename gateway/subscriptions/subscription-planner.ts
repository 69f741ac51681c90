/**
 * Plans subscriptions with the same query planner as the gateway, over the
 * same supergraph: a plan is a `primary` fetch (streamed from the subgraph
 * owning the root field) and the `rest` (fields of other subgraphs, run for
 * every event). Operations are validated against the API schema and their
 * plans cached by text. Events run on @apollo/gateway's executor
 * (execute-event.ts), which ignores @fromContext's context rewrites: plans
 * with them are refused rather than answered without their arguments. What
 * the caller may not ask (@authenticated, @requiresScopes, @policy) is removed before
 * planning, as for queries (planning/authorization-filter.ts): its fields
 * answer null in every event, each event with the errors saying why.
 */
import type { Schema } from '@apollo/federation-internals';
import { buildOperationContext } from '@apollo/gateway';
import type { FetchNode, PlanNode } from '@apollo/query-planner';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import type { Viewer } from '../../platform/auth/viewer.js';
import { graphqlRuntime } from '../../platform/subgraph/subscriptions/graphql-runtime.js';
import { apolloPlanner } from '../planning/apollo-planner.js';
import { filterOperation, requirementsOf } from '../planning/authorization-filter.js';
import { callerOf, type AuthorizationRules } from '../planning/authorization-rules.js';
import { AuthorizedVariants } from '../planning/authorization-variants.js';
import type { OperationPlanner } from '../planning/operation-planner.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import type { Logger } from '../../platform/logger.js';

// The API schema is built by federation-internals: validate with its graphql-js instance.
const { getOperationAST, parse, validate } = graphqlRuntime;
const badRequest = (message: string) => new graphqlRuntime.GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });

type OperationContext = ReturnType<typeof buildOperationContext>;

/** Whether a plan sends @fromContext's contextual arguments. */
function usesContexts(node: PlanNode | undefined): boolean {
  if (!node) return false;
  switch (node.kind) {
    case 'Fetch':
      return (node.contextRewrites?.length ?? 0) > 0;
    case 'Flatten':
      return usesContexts(node.node);
    case 'Sequence':
    case 'Parallel':
      return node.nodes.some(usesContexts);
    case 'Condition':
      return usesContexts(node.ifClause) || usesContexts(node.elseClause);
    case 'Defer':
      return usesContexts(node.primary.node) || node.deferred.some((part) => usesContexts(part.node));
  }
}

export interface SubscriptionPlan {
  /** The fetch streamed from its subgraph. */
  primary: FetchNode;
  /** What other subgraphs add to each event; undefined when the owner serves every field. */
  rest?: PlanNode;
  document: DocumentNode;
  operationContext: OperationContext;
  /** Fields removed for this caller: an error each, sent with every event. */
  unauthorized?: readonly GraphQLError[];
}

export type Planned = { ok: true; plan: SubscriptionPlan; authorized?: AuthorizedVariants<Planned> } | { ok: false; errors: readonly GraphQLError[] };

const CACHE_SIZE = 500;

export class SubscriptionPlanner {
  readonly apiSchema: Schema;
  readonly apiGraphQLSchema: GraphQLSchema;
  readonly supergraphSchema: GraphQLSchema;
  private readonly planner: OperationPlanner;
  private readonly plans = new Map<string, Planned>();
  private readonly authorization: AuthorizationRules | undefined;

  /** `log`: where the planner's words go when it finds no plan (apollo-planner.ts). */
  constructor(loaded: LoadedSupergraph, log?: Pick<Logger, 'warn'>) {
    this.apiSchema = loaded.apiSchema;
    this.apiGraphQLSchema = loaded.apiGraphQLSchema;
    this.supergraphSchema = loaded.supergraphGraphQLSchema;
    this.planner = apolloPlanner(loaded, log);
    this.authorization = loaded.authorization;
  }

  /** The plan for this caller (`viewer`): cached per text, then per set of requirements it fails. */
  plan(query: string, operationName?: string | null, viewer?: Viewer): Planned {
    const key = `${operationName ?? ''}\n${query}`;
    let planned = this.plans.get(key);
    if (!planned) {
      planned = this.build(query, operationName ?? undefined);
      if (this.plans.size >= CACHE_SIZE) this.plans.clear();
      this.plans.set(key, planned);
    }
    return (planned.ok && planned.authorized?.for(callerOf(viewer))) || planned;
  }

  private build(query: string, operationName: string | undefined): Planned {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return { ok: false, errors: [error as GraphQLError] };
    }
    const errors = validate(this.apiGraphQLSchema, document);
    if (errors.length > 0) return { ok: false, errors };
    const operation = getOperationAST(document, operationName);
    if (!operation) return { ok: false, errors: [badRequest('No operation to run: name one with operationName')] };
    if (operation.operation !== 'subscription') {
      return { ok: false, errors: [badRequest('Only subscriptions are served here; send queries and mutations over HTTP')] };
    }
    const planned = this.planned(document, document, operationName);
    const rules = this.authorization;
    const requirements = rules && planned.ok ? requirementsOf(rules, this.apiGraphQLSchema, document, operation) : [];
    if (!planned.ok || requirements.length === 0) return planned;
    planned.authorized = new AuthorizedVariants<Planned>(requirements, (denied) => {
      const filtered = filterOperation(rules!, this.apiGraphQLSchema, document, operation, denied);
      if (!filtered.document) return { ok: false, errors: filtered.errors };
      const variant = this.planned(filtered.document, document, operationName);
      if (variant.ok) variant.plan.unauthorized = filtered.errors;
      return variant;
    });
    return planned;
  }

  /** `planning` planned; the answer shaped from `document` as asked (what the filter removed answers null). */
  private planned(planning: DocumentNode, document: DocumentNode, operationName: string | undefined): Planned {
    try {
      const plan = this.planner.plan(planning, operationName);
      const node = plan.node;
      if (node?.kind !== 'Subscription') throw new Error('The planner returned no subscription plan');
      if (usesContexts(node.primary) || usesContexts(node.rest)) {
        const refusal = new graphqlRuntime.GraphQLError('This gateway does not execute @fromContext in subscriptions', { extensions: { code: 'OPERATION_NOT_SUPPORTED' } });
        return { ok: false, errors: [refusal] };
      }
      const operationContext = buildOperationContext({ schema: this.apiGraphQLSchema, operationDocument: document, operationName });
      return { ok: true, plan: { primary: node.primary, rest: node.rest, document, operationContext } };
    } catch (error) {
      return { ok: false, errors: [error instanceof graphqlRuntime.GraphQLError ? error : badRequest((error as Error).message)] };
    }
  }
}
