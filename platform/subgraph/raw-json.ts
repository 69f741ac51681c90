/**
 * A list answered as its JSON text, written by someone else (PostgreSQL: a
 * course's live classes, subgraphs/meet/repositories/live-class-json.ts),
 * passed through graphql-jit's compiled query as it is (patches/graphql-jit:
 * `safeMap` hands a value marked RAW_JSON_LIST back untouched) and spliced
 * into the answer's text by `stringifyAnswer`: neither rows nor objects are
 * built for its items, nor written again by JSON.stringify.
 *
 * Only a request the fast path executes with graphql-jit may be answered so
 * (`mayAnswerRawJson`): graphql-js (Apollo Server's path, the subscriptions)
 * would complete the value as a list of objects. The text must be what the
 * field's completion would have written, byte for byte: the writer's tests
 * say so for each shape it writes.
 */
import { randomBytes } from 'node:crypto';

const RAW_JSON_LIST = Symbol.for('bheem.rawJsonList');

/**
 * What JSON.stringify writes in a RawJson's place (its toJSON), then replaced by its text. Random per process,
 * so no string of the data (PostgreSQL's text holds no NUL; a caller cannot guess the rest) writes the same.
 */
const PLACEHOLDER = `\u0000rawJson:${randomBytes(12).toString('hex')}`;
const PLACEHOLDER_TEXT = JSON.stringify(PLACEHOLDER);

/** The texts met by the stringifyAnswer running, in the order JSON.stringify met them. */
let written: string[] | undefined;

export class RawJson {
  readonly [RAW_JSON_LIST] = true;
  constructor(readonly json: string) {}

  /** graphql-jit's list check asks for an iterator; reading one as a list would be a mistake. */
  [Symbol.iterator](): Iterator<never> {
    throw new Error('A RawJson list was completed as a list: only graphql-jit (patched) may be handed one');
  }

  toJSON(): string {
    if (!written) throw new Error('A RawJson list was written outside stringifyAnswer');
    written.push(this.json);
    return PLACEHOLDER;
  }
}

/** JSON.stringify of `value`, each RawJson in it written as its own text. */
export function stringifyAnswer(value: unknown): string {
  const outer = written;
  const texts: string[] = [];
  written = texts;
  let text: string;
  try {
    text = JSON.stringify(value);
  } finally {
    written = outer;
  }
  if (texts.length === 0) return text;
  const parts = text.split(PLACEHOLDER_TEXT);
  if (parts.length !== texts.length + 1) throw new Error('stringifyAnswer: a placeholder of a RawJson list was not found once per list');
  const pieces = new Array<string>(parts.length + texts.length);
  pieces[0] = parts[0]!;
  for (let index = 0; index < texts.length; index++) {
    pieces[2 * index + 1] = texts[index]!;
    pieces[2 * index + 2] = parts[index + 1]!;
  }
  return pieces.join('');
}

/** Contexts of requests executed by graphql-jit in the fast path, whose resolvers may answer a RawJson list. */
const rawJsonContexts = new WeakSet<object>();

export function allowRawJson(context: object): void {
  rawJsonContexts.add(context);
}

export function withdrawRawJson(context: object): void {
  rawJsonContexts.delete(context);
}

export function mayAnswerRawJson(context: object): boolean {
  return rawJsonContexts.has(context);
}
