/**
 * The operation itself, before anything runs: its limits and text rules
 * (operation-limits.ts, cached per text), which of its operations runs
 * (`operationName`), whether this transport serves that kind of operation,
 * and its variables. Sets the request's weight for the rate limit.
 */
import type { OperationLimitsConfig } from '../../platform/config.js';
import { checkOperationLimits, checkVariables, type OperationEntry } from '../operation-limits.js';
import { refusal, type EdgeRequest, type Refusal, type Step } from './edge-request.js';
import { SSE_PATH } from './paths.js';

const SUBSCRIPTION_OVER_HTTP = refusal(
  400,
  'SUBSCRIPTION_NOT_SUPPORTED',
  `Subscriptions are not served by a plain HTTP request: use graphql-ws (a WebSocket on /graphql, subprotocol graphql-transport-ws) or Server-Sent Events (${SSE_PATH})`,
);
const BAD_OPERATION_NAME = refusal(400, 'BAD_REQUEST', 'operationName must be a string');
const BAD_VARIABLES = refusal(400, 'BAD_REQUEST', 'variables must be a JSON object');
const BAD_EXTENSIONS = refusal(400, 'BAD_REQUEST', 'extensions must be a JSON object');

const notAnObject = (value: unknown) => value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value));

/** The operation `operationName` picks, as graphql-js's getOperationAST would, or the refusal saying why none. */
function pick(operations: readonly OperationEntry[], operationName: string | undefined): OperationEntry | Refusal {
  if (operationName === undefined) {
    if (operations.length === 1) return operations[0]!;
    return refusal(
      400,
      'OPERATION_RESOLUTION_FAILURE',
      operations.length === 0 ? 'The document has no operation to run' : 'The document has several operations: name the one to run in operationName',
    );
  }
  for (const operation of operations) if (operation.name === operationName) return operation;
  return refusal(400, 'OPERATION_RESOLUTION_FAILURE', `Unknown operation named "${operationName.slice(0, 100)}"`);
}

export function operationStep(limits: OperationLimitsConfig): Step {
  return (request: EdgeRequest) => {
    // Not a GraphQL request at all: the transport answers it (Apollo Server's own 400s over HTTP).
    if (typeof request.query !== 'string') return undefined;
    const { operationName, variables, extensions } = request;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return BAD_OPERATION_NAME;
    if (notAnObject(variables)) return BAD_VARIABLES;
    // Apollo Server refuses these too, but with its stack trace outside production.
    if (notAnObject(extensions)) return BAD_EXTENSIONS;
    const verdict = checkOperationLimits(request.query, limits);
    if (!verdict.ok) return refusal(verdict.status, verdict.code, verdict.message);
    const picked = pick(verdict.operations, operationName ?? undefined);
    if ('status' in picked) return picked;
    if (picked.kind === 'subscription' && request.transport === 'http') return SUBSCRIPTION_OVER_HTTP;
    if (variables) {
      const problem = checkVariables(variables, limits);
      if (problem && !problem.ok) return refusal(problem.status, problem.code, problem.message);
    }
    request.verdict = verdict;
    request.weight = verdict.weight;
    return undefined;
  };
}
