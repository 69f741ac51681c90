/**
 * A subgraph request's body, `JSON.stringify({ query, variables,
 * operationName })` byte for byte, with a representations list that more
 * than one fetch sends (execution/shared-representations.ts) written once:
 * an entity fetch's `representations` is the last of its variables
 * (execute-plan.ts's fetchEntities), so its text goes at the end of theirs.
 */
import { sharedListText } from './execution/shared-representations.js';

export function requestBody(query: string, variables: Record<string, unknown> | undefined, operationName: string | undefined): string {
  const list = variables?.representations;
  const text = Array.isArray(list) ? sharedListText(list) : undefined;
  if (text === undefined) return JSON.stringify({ query, variables, operationName });
  const keys = Object.keys(variables!);
  if (keys[keys.length - 1] !== 'representations') return JSON.stringify({ query, variables, operationName });
  const others: Record<string, unknown> = {};
  for (let index = 0; index < keys.length - 1; index++) others[keys[index]!] = variables![keys[index]!];
  const head = JSON.stringify(others);
  const written = head === '{}' ? `{"representations":${text}}` : `${head.slice(0, -1)},"representations":${text}}`;
  return `{"query":${JSON.stringify(query)},"variables":${written}${operationName === undefined ? '' : `,"operationName":${JSON.stringify(operationName)}`}}`;
}
