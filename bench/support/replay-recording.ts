/**
 * The recording bench/gateway-replay.ts makes from the bench stack: the
 * supergraph, the requests run (with the right `data` of each) and every
 * subgraph answer by caller, service and request body. Read by the replay and
 * by bench/gateway-callgrind.ts, whose stub subgraphs answer from it.
 */
import { readFileSync } from 'node:fs';
import type { OperationName } from '../gateway/operations.js';

export interface Recorded {
  operation: OperationName;
  variables: Record<string, unknown>;
  /** canonical() of the right `data`. */
  expected: string;
  /** The caller's token: what a subgraph answers depends on who asks. */
  token: string;
}

export interface Recording {
  supergraph: string;
  requests: Recorded[];
  /** Subgraph answer text by answerKey(token, service, body). */
  answers: Record<string, string>;
}

export const answerKey = (token: string, service: string, body: string) => `${token}\n${service}\n${body}`;

export const readRecording = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Recording;

/** The subgraph answers one recorded request's caller had, by exchangeKey(service, the body sent). */
export function exchangesOf(recording: Recording, recorded: Recorded): Map<string, string> {
  const exchanges = new Map<string, string>();
  for (const [key, answer] of Object.entries(recording.answers)) {
    const [token, service, body] = key.split('\n') as [string, string, string];
    if (token === recorded.token) exchanges.set(exchangeKey(service, body), answer);
  }
  return exchanges;
}

export const exchangeKey = (service: string, body: string) => `${service}\n${body}`;
