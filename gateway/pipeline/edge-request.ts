/**
 * The gateway's request handling as a pipeline of small steps, shared by
 * every way in (HTTP with its fast lane, graphql-ws, SSE): a rule is a step,
 * and a step listed in gateway-pipeline.ts is on every path that lists it.
 *
 * A step reads and fills the request (the caller, the operation's weight)
 * and either lets it through (undefined) or refuses it with a stable code.
 * Steps are synchronous unless they must wait (a token check, a rate-limit
 * store): a request that meets only synchronous steps costs no promise.
 */
import type { Viewer } from '../../platform/auth/viewer.js';
import type { LimitVerdict } from '../operation-limits.js';

export type Transport = 'http' | 'websocket' | 'sse';

export interface EdgeRequest {
  readonly transport: Transport;
  readonly clientIp: string;
  /** The bearer token as sent (undefined when none). */
  token: string | undefined;
  /** The GraphQL request as the client sent it; the safelist step may replace `query`. */
  query: unknown;
  variables: unknown;
  operationName: unknown;
  extensions: unknown;
  documentId: unknown;
  /** The safelist replaced what the client sent (the transport must send on `query`). */
  rewritten: boolean;
  /** The operation's verdict, once the operation step has passed it. */
  verdict: Extract<LimitVerdict, { ok: true }> | undefined;
  /** Rate-limit tokens the operation costs (operation step). */
  weight: number;
  /** The verified caller (auth step, or the connection's on graphql-ws). */
  viewer: Viewer | undefined;
  /** The long-lived connection the operation runs on (a graphql-ws socket), for caps per connection. */
  connection: object | undefined;
  /** Gives back what steps reserved (a subscription's place in its quotas): call once the operation ends, or if it never starts. */
  release: (() => void) | undefined;
}

/** Why a request is refused: a stable `extensions.code`, the HTTP status that goes with it, and headers (retry-after, www-authenticate). */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

export type StepOutcome = Refusal | undefined;
export type Step = (request: EdgeRequest) => StepOutcome | Promise<StepOutcome>;

export function refusal(status: number, code: string, message: string, headers?: Record<string, string>): Refusal {
  return headers ? { status, code, message, headers } : { status, code, message };
}

export function edgeRequest(
  transport: Transport,
  clientIp: string,
  token: string | undefined,
  params: { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown; documentId?: unknown },
  connection?: object,
): EdgeRequest {
  return {
    transport,
    clientIp,
    token,
    query: params.query,
    variables: params.variables,
    operationName: params.operationName,
    extensions: params.extensions,
    documentId: params.documentId,
    rewritten: false,
    verdict: undefined,
    weight: 1,
    viewer: undefined,
    connection,
    release: undefined,
  };
}

/** Runs `steps` in order; the first refusal ends the run. Returns a promise only once a step returned one. */
export function runSteps(steps: readonly Step[], request: EdgeRequest, from = 0): StepOutcome | Promise<StepOutcome> {
  for (let i = from; i < steps.length; i++) {
    const outcome = steps[i]!(request);
    if (outcome === undefined) continue;
    if (outcome instanceof Promise) return outcome.then((settled) => settled ?? runSteps(steps, request, i + 1));
    return outcome;
  }
  return undefined;
}
