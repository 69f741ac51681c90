/**
 * A subgraph request's body, `JSON.stringify({ query, variables,
 * operationName })` byte for byte, with a representations list that more
 * than one fetch sends (execution/shared-representations.ts) written once:
 * an entity fetch's `representations` is the last of its variables
 * (execute-plan.ts's fetchEntities), so its text goes at the end of theirs.
 * A fetch's operation text is the same every request: its JSON string is
 * written once and kept (JSON.stringify escaped it character by character
 * every time, ~9 k instructions of a lookup's ~320 k, bench/README-results.md).
 */
import { sharedListText } from './execution/shared-representations.js';

/** JSON strings of the fetch texts seen, by text: one per planned fetch, so few; a bound for the unexpected. */
const quotedTexts = new Map<string, string>();
const QUOTED_KEPT = 1_000;

/** JSON.stringify(query), kept. */
function quoted(query: string): string {
  let text = quotedTexts.get(query);
  if (text === undefined) {
    if (quotedTexts.size >= QUOTED_KEPT) quotedTexts.clear();
    quotedTexts.set(query, (text = JSON.stringify(query)));
  }
  return text;
}

export function requestBody(query: string, variables: Record<string, unknown> | undefined, operationName: string | undefined): string {
  // Keys whose value JSON.stringify leaves out (undefined) are left out here too.
  const name = operationName === undefined ? '}' : `,"operationName":${JSON.stringify(operationName)}}`;
  const head = `{"query":${quoted(query)}`;
  const list = variables?.representations;
  const text = Array.isArray(list) ? sharedListText(list) : undefined;
  const keys = text === undefined ? undefined : Object.keys(variables!);
  if (text === undefined || keys![keys!.length - 1] !== 'representations') {
    const written = JSON.stringify(variables) as string | undefined;
    return written === undefined ? `${head}${name}` : `${head},"variables":${written}${name}`;
  }
  const others: Record<string, unknown> = {};
  for (let index = 0; index < keys!.length - 1; index++) others[keys![index]!] = variables![keys![index]!];
  const before = JSON.stringify(others);
  const written = before === '{}' ? `{"representations":${text}}` : `${before.slice(0, -1)},"representations":${text}}`;
  return `${head},"variables":${written}${name}`;
}
